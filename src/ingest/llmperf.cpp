// ray-project llmperf `*_summary.json` (flattened, some numbers as strings, error codes as a
// Python dict repr, stddev with ddof 1, seconds) and `*_individual_responses.json`. llmperf's ITL
// is E2E / chunks, so it is kept with its definition; vLLM's TPOT is recomputed from the
// individual responses. FORMATS.md section 7.

#include <cmath>
#include <regex>

#include "ingest/crosscheck.hpp"
#include "ingest/fields.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace sitegen::ingest {

namespace {

const char* k_itl_definition = "llmperf: sum of all gaps including TTFT / number of chunks, about E2E / n";

// llmperf writes pandas quantiles and std with ddof 1; ours is population std.
model::Stat summary_stat(Fields& f, const std::string& metric, std::optional<long long> n) {
  model::Stat s;
  const std::string base = "results_" + metric + "_";
  s.mean = f.number(base + "mean", 1000);
  s.min = f.number(base + "min", 1000);
  s.max = f.number(base + "max", 1000);
  if (const auto sd = f.number(base + "stddev", 1000)) {
    if (n && *n > 1) s.std = *sd * std::sqrt(static_cast<double>(*n - 1) / static_cast<double>(*n));
    else f.unreadable(base + "stddev", "sample std (ddof 1) without a request count to convert it");
  }
  for (const int p : {25, 50, 75, 90, 95, 99}) {
    if (const auto v = f.number(base + "quantiles_p" + std::to_string(p), 1000)) s.set_percentile(p, *v);
  }
  if (const auto p50 = s.percentile(50)) s.median = p50;
  return s;
}

// "{-100.0: 49, 429: 3}" -> {"llmperf_-100": 49, "llmperf_429": 3}.
std::map<std::string, long long> error_codes(const std::string& repr, bool& ok) {
  std::map<std::string, long long> out;
  ok = true;
  const std::string body(strings::trim(repr));
  if (body == "{}" || body.empty()) return out;
  static const std::regex k_entry(R"(\s*'?(-?[0-9.]+|[A-Za-z_]+)'?\s*:\s*([0-9]+)\s*)");
  if (body.front() != '{' || body.back() != '}') {
    ok = false;
    return out;
  }
  for (const std::string& part : strings::split(body.substr(1, body.size() - 2), ',')) {
    std::smatch m;
    if (!std::regex_match(part, m, k_entry)) {
      ok = false;
      return {};
    }
    std::string code = m[1];
    if (code.ends_with(".0")) code.resize(code.size() - 2);
    out["llmperf_" + code] += std::stoll(m[2]);
  }
  return out;
}

// The reason a response's field cannot be a sample ("" when it can): times are finite seconds
// >= 0, token counts whole numbers >= 0 (checked before any conversion to an integer).
std::string bad_field(const Json& v, bool tokens) {
  if (!v.is_number()) return "expected a number, got " + v.dump();
  const double d = v.get<double>();
  if (!std::isfinite(d)) return "expected a finite number, got " + std::string(d > 0 ? "Infinity" : "-Infinity");
  if (d < 0) return "expected a number >= 0, got " + v.dump();
  if (tokens && (d != std::floor(d) || d > 9e15)) return "expected a whole number of tokens, got " + v.dump();
  return "";
}

// Individual responses -> samples over requests without an error code. A response with a field
// that cannot be a sample, or without one the others have, is left out whole (so the samples stay
// aligned per request) and named in a warning.
long long responses_to_samples(const Json& list, model::Samples& s, Account& account, const std::string& file) {
  static constexpr std::pair<const char*, bool> k_fields[] = {
      {"ttft_s", false}, {"end_to_end_latency_s", false}, {"number_input_tokens", true}, {"number_output_tokens", true}};
  const auto ok = [](const Json& r) { return r.is_object() && !(r.contains("error_code") && !r.at("error_code").is_null()); };
  bool present[4] = {false, false, false, false};  // in any successful response
  for (const Json& r : list) {
    for (std::size_t k = 0; k < 4; ++k) present[k] = present[k] || (ok(r) && r.contains(k_fields[k].first));
  }
  long long errors = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& r = list[i];
    if (!r.is_object()) continue;
    if (!ok(r)) {
      ++errors;
      continue;
    }
    std::optional<double> v[4];
    std::string why;
    for (std::size_t k = 0; k < 4 && why.empty(); ++k) {
      const auto [key, tokens] = k_fields[k];
      if (!r.contains(key)) {
        if (present[k]) why = std::string(key) + ": missing";
        continue;
      }
      if (const std::string bad = bad_field(r.at(key), tokens); !bad.empty()) why = std::string(key) + ": " + bad;
      else v[k] = r.at(key).get<double>();
    }
    if (!why.empty()) {
      account.warnings.push_back(file + ": /" + std::to_string(i) + "/" + why + "; this response is left out");
      continue;
    }
    const auto& [ttft, e2e, in, out] = v;
    if (ttft) s.ttft_ms.push_back(*ttft * 1000);
    if (e2e) s.e2el_ms.push_back(*e2e * 1000);
    if (ttft && e2e && out && *out > 1) s.tpot_ms.push_back((*e2e - *ttft) / (*out - 1) * 1000);
    if (in) s.input_tokens.push_back(static_cast<long long>(*in));
    if (out) s.output_tokens.push_back(static_cast<long long>(*out));
  }
  return errors;
}

std::string individual_detect(const Json& j) {
  if (!j.is_array()) return "not a JSON array";
  if (j.empty() || !j.front().is_object()) return "not an array of objects";
  if (!j.front().contains("ttft_s") || !j.front().contains("end_to_end_latency_s")) {
    return "entries lack `ttft_s` and `end_to_end_latency_s`";
  }
  return "";
}

class SummaryImporter : public Importer {
 public:
  std::string name() const override { return "llmperf"; }
  std::string description() const override {
    return "ray-project llmperf *_summary.json (reads *_individual_responses.json beside it for TPOT and the "
           "cross-check)";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    if (!j.contains("results_ttft_s_mean")) return "lacks `results_ttft_s_mean`";
    return "";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& j = source.values.front().value;
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not an llmperf summary: " + why);
    model::Report r = new_report(source, name(), "llmperf");
    Fields f(j, "", c.account);
    model::Point p;
    r.provenance.tool_version = f.text("version");
    r.system.model.id = f.text("model");
    precision_from_name(r.system.model.id, r.system.model);
    r.workload.benchmark = "serving";
    r.workload.endpoint = "/v1/chat/completions";
    r.workload.input_len = f.integer("mean_input_tokens");
    r.workload.output_len = f.integer("mean_output_tokens");
    p.concurrency = f.integer("num_concurrent_requests");
    r.workload.arrival = "concurrency";
    p.completed = f.integer("results_num_completed_requests");
    p.failed = f.integer("results_number_errors");
    if (const auto per_min = f.number("results_num_completed_requests_per_min")) p.request_throughput_rps = *per_min / 60;
    p.output_throughput_tps = f.number("results_mean_output_throughput_token_per_s");
    p.ttft_ms = summary_stat(f, "ttft_s", p.completed);
    p.e2el_ms = summary_stat(f, "end_to_end_latency_s", p.completed);
    p.itl_ms = summary_stat(f, "inter_token_latency_s", p.completed);
    if (!p.itl_ms.empty()) p.itl_ms.definition = k_itl_definition;
    const std::string repr = f.text("results_error_code_frequency");
    bool ok = true;
    p.errors = error_codes(repr, ok);
    if (!ok) f.unreadable("results_error_code_frequency", "not a dict of code: count: " + repr);
    if (const auto ts = f.number("timestamp")) {
      r.provenance.run_id = run_id_from_unix(*ts);
      r.provenance.started_at = iso_from_unix(*ts);
    }
    for (const char* key : {"framework", "model_size", "api"}) {
      if (const Json* x = f.raw(key)) r.system.extra[key] = finite_copy(*x);
    }
    attach_responses(source, p, c.account);
    if (p.tpot_ms.empty()) {
      note(c.account.unreadable, "tpot: llmperf has no TPOT; it needs the *_individual_responses.json beside the summary");
    }
    p.extra = f.rest();
    r.points.push_back(std::move(p));
    c.reports.push_back(std::move(r));
    return c;
  }

 private:
  void attach_responses(const Source& source, model::Point& p, Account& account) const {
    const std::string name = source.path.filename().string();
    const auto at = name.rfind("summary");
    if (at == std::string::npos) return;
    const std::filesystem::path companion =
        source.path.parent_path() / (name.substr(0, at) + "individual_responses" + name.substr(at + 7));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(companion, ec)) return;
    const std::string file = companion.generic_string();
    const std::vector<StreamValue> values = read_values(files::read(companion), file);
    if (!individual_detect(values.front().value).empty()) return;
    responses_to_samples(values.front().value, p.samples, account, file);
    note(account.consumed, file);
    account.cross_checked += cross_check(p, 0, source.file + " vs " + file, {}, account.warnings);
    if (!p.samples.tpot_ms.empty()) p.tpot_ms = summarize(p.samples.tpot_ms, {50, 90, 99});
  }
};

class IndividualImporter : public Importer {
 public:
  std::string name() const override { return "llmperf-individual"; }
  std::string description() const override {
    return "ray-project llmperf *_individual_responses.json (summaries recomputed from the responses)";
  }
  std::string detect(const Json& j) const override { return individual_detect(j); }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& j = source.values.front().value;
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not llmperf responses: " + why);
    model::Report r = new_report(source, name(), "llmperf");
    r.workload.benchmark = "serving";
    model::Point p;
    const long long errors = responses_to_samples(j, p.samples, c.account, source.file);
    p.completed = static_cast<long long>(j.size()) - errors;
    p.failed = errors;
    if (errors) p.errors["llmperf_error"] = errors;
    fill_from_samples(p);
    note(c.account.mapped, "ttft_s, end_to_end_latency_s, number_input_tokens, number_output_tokens, error_code");
    note(c.account.unreadable, "inter_token_latency_s, request_output_throughput_token_per_s, error_msg, GEN_TEXT: "
                               "llmperf's own per-request figures are not kept (TPOT recomputed instead)");
    note(c.account.unreadable, "model, concurrency and time: not in this file (import the *_summary.json beside it)");
    r.points.push_back(std::move(p));
    c.reports.push_back(std::move(r));
    return c;
  }
};

}  // namespace

std::unique_ptr<Importer> make_llmperf_summary_importer() { return std::make_unique<SummaryImporter>(); }
std::unique_ptr<Importer> make_llmperf_individual_importer() { return std::make_unique<IndividualImporter>(); }

}  // namespace sitegen::ingest
