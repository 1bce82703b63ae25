#include "site/site_model.hpp"

#include <algorithm>
#include <set>

#include "util/error.hpp"
#include "util/hash.hpp"
#include "util/strings.hpp"

namespace sitegen::site {

std::string config_path(const store::Configuration& config) { return "configs/" + config.id + "/index.html"; }

std::string run_dir(const SiteModel& m, const store::Run& run) {
  auto it = m.inputs->run_dirs.find(&run);
  return "runs/" + (it != m.inputs->run_dirs.end() ? it->second : site_run_dir(run));
}

std::string run_path(const SiteModel& m, const store::Run& run) { return run_dir(m, run) + "/index.html"; }

std::string root_of(const std::string& path) {
  std::string root;
  for (char c : path) {
    if (c == '/') root += "../";
  }
  return root;
}

std::pair<std::string, std::string> variant_of(const model::Report& report) {
  static const std::vector<std::string> k_labels = {"baseline", "human", "agent", "candidate"};
  auto from = [&](const model::Json& extra) -> std::string {
    for (const char* key : {"variant", "role", "iso_bench_variant"}) {
      if (extra.contains(key) && extra[key].is_string()) return extra[key].get<std::string>();
    }
    return "";
  };
  std::string label = from(report.provenance.extra);
  if (label.empty()) label = from(report.extra);
  if (label.empty()) label = from(report.system.extra);
  if (label.empty()) {
    const std::string ref = strings::lower(report.provenance.git_ref);
    if (std::find(k_labels.begin(), k_labels.end(), ref) != k_labels.end()) label = ref;
  }
  if (label.empty()) return {"", ""};
  std::string subject;
  for (const model::Json* extra : {&report.system.extra, &report.provenance.extra, &report.extra}) {
    for (const char* key : {"commit", "human_commit", "subject", "parent_commit"}) {
      if (subject.empty() && extra->contains(key) && (*extra)[key].is_string()) subject = (*extra)[key].get<std::string>();
    }
  }
  if (subject.size() > 8) subject = subject.substr(0, 8);  // short and long commit ids group together
  if (subject.empty()) subject = report.provenance.git_sha.substr(0, 12);
  if (subject.empty()) subject = report.system.model.id + "-" + report.workload.benchmark;
  return {strings::lower(label), strings::slug(subject)};
}

std::string base_model(const std::string& model_slug) {
  static const std::set<std::string> k_quant = {"awq", "gptq", "int4", "int8", "fp8", "fp4", "nvfp4", "mxfp4",
                                                "w4a16", "w8a8", "w4a8", "bf16", "fp16", "gguf", "dynamic", "quantized"};
  std::vector<std::string> kept;
  for (const std::string& token : strings::split(model_slug, '-'))
    if (!k_quant.count(token)) kept.push_back(token);
  // "Meta-Llama-3.1-8B-Instruct" is the earlier Hub name of "Llama-3.1-8B-Instruct".
  if (kept.size() > 1 && kept[0] == "meta" && kept[1].starts_with("llama")) kept.erase(kept.begin());
  const std::string out = strings::join(kept, "-");
  return out.empty() ? model_slug : out;
}

std::string model_group_key(const store::ConfigKey& key) { return base_model(key.model) + "--" + key.workload_id(); }

SiteModel make_model(const Inputs& inputs) {
  SiteModel m;
  m.inputs = &inputs;
  for (const store::Configuration& c : inputs.dataset.configurations) {
    const store::Run* run = c.latest_run();
    if (run && inputs.catalog) {
      m.economics.emplace(&c, econ::report_economics(run->report, *inputs.catalog, inputs.catalog->assumptions));
    }
    const store::ConfigKey& k = c.key;
    SiteModel::ModelGroup& group = m.model_groups[model_group_key(k)];
    if (group.title.empty()) {
      const store::Run* shown = run ? run : (c.runs.empty() ? nullptr : &c.runs.back());
      const std::string model = shown && !shown->report.system.model.id.empty() ? shown->report.system.model.id : k.model;
      group.title = model + " · " + k.benchmark + " (" + k.workload_short() + ")";
    }
    group.configs.push_back(&c);
    m.engine_groups[strings::slug(k.model + "-" + k.hardware + "-" + std::to_string(k.gpus) + "gpu-" + k.workload_id())]
        .push_back(&c);
    for (const store::Run& r : c.runs) {
      auto [label, subject] = variant_of(r.report);
      if (!label.empty()) m.variant_groups[subject].push_back({label, &r, &c});
    }
  }
  std::erase_if(m.engine_groups, [](const auto& g) { return g.second.size() < 2; });
  std::erase_if(m.variant_groups, [](const auto& g) {
    bool baseline = false;
    for (const auto& v : g.second) baseline = baseline || v.label == "baseline";
    return !baseline || g.second.size() < 2;
  });
  return m;
}

View common_view(const SiteModel& m, const std::string& root) {
  const Settings& s = m.inputs->settings;
  View nav = View::list();
  nav.push(View().set("href", root + "index.html").set("label", "Results"));
  nav.push(View().set("href", root + "runs.html").set("label", "All runs"));
  for (const Page& p : m.inputs->pages) nav.push(View().set("href", root + p.slug + ".html").set("label", p.title));
  return View()
      .set("site", View()
                       .set("title", s.title)
                       .set("description", s.description)
                       .set("repo_url", s.repo_url)
                       .set("footer", s.footer))
      .set("nav", std::move(nav));
}

std::uint64_t common_key(const SiteModel& m, const std::string& root, const std::string& title) {
  const Settings& s = m.inputs->settings;
  hash::Hasher h;
  h.add(root).add(title).add(s.title).add(s.description).add(s.repo_url).add(s.footer);
  for (const Page& p : m.inputs->pages) h.add(p.slug).add(p.title);
  return h.value();
}

std::string checked_base_url(const std::string& base_url) {
  if (base_url.empty()) return "";
  const bool path = base_url.starts_with("/") && !base_url.starts_with("//");
  const bool web = base_url.starts_with("https://") || base_url.starts_with("http://");
  if (!path && !web) {
    throw Error("--base-url: '" + base_url + "' is neither a path starting with / (\"/project/\") nor an http(s) URL");
  }
  for (char ch : base_url) {
    if (static_cast<unsigned char>(ch) <= ' ' || ch == '"' || ch == '<' || ch == '>' || ch == '\\') {
      throw Error("--base-url: '" + base_url + "' holds a space, quote, angle bracket or backslash");
    }
  }
  return base_url.ends_with("/") ? base_url : base_url + "/";
}

}  // namespace sitegen::site
