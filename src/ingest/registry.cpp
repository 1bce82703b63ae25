#include "ingest/registry.hpp"

#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::ingest {

const std::vector<std::unique_ptr<Importer>>& importers() {
  static const std::vector<std::unique_ptr<Importer>> k_all = [] {
    std::vector<std::unique_ptr<Importer>> v;
    // More specific signatures first: the Rust multi-turn file also has vLLM's keys.
    v.push_back(make_vllm_multi_turn_importer());
    v.push_back(make_vllm_importer());
    v.push_back(make_inferencex_agg_importer());
    v.push_back(make_sglang_importer());
    v.push_back(make_aiperf_importer());
    v.push_back(make_aiperf_records_importer());
    v.push_back(make_genai_perf_importer());
    v.push_back(make_guidellm_importer());
    v.push_back(make_llmperf_summary_importer());
    v.push_back(make_llmperf_individual_importer());
    v.push_back(make_developer_ai_lab_importer());
    v.push_back(make_token_labs_importer());
    v.push_back(make_iso_bench_importer());
    v.push_back(make_forge_charts_importer());
    v.push_back(make_portfolio_importer());
    v.push_back(make_portfolio_speculative_importer());
    v.push_back(make_mlperf_importer());
    return v;
  }();
  return k_all;
}

const Importer& importer_named(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& imp : importers()) {
    if (imp->name() == name) return *imp;
    names.push_back(imp->name());
  }
  std::string msg = "unknown format '" + name + "'";
  if (const std::string near = strings::closest(name, names); !near.empty()) msg += " (did you mean '" + near + "'?)";
  throw Error(msg + "; known formats: " + strings::join(names, ", "));
}

const Importer* detect_text_format(std::string_view text) {
  for (const auto& imp : importers()) {
    if (imp->reads_text() && imp->detect_text(text).empty()) return imp.get();
  }
  return nullptr;
}

const Importer& detect_format(const Json& first_value, const std::string& file) {
  std::string tried;
  for (const auto& imp : importers()) {
    const std::string why = imp->detect(first_value);
    if (why.empty()) return *imp;
    tried += "\n  " + imp->name() + ": " + why;
  }
  throw Error(file + ": no known format matches (use --format NAME to force one); formats tried:" + tried);
}

}  // namespace sitegen::ingest
