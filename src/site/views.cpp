#include "site/views.hpp"

#include <algorithm>
#include <cmath>

#include "site/chart_specs.hpp"
#include "site/econ_view.hpp"
#include "site/figures.hpp"
#include "site/markdown.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/hash.hpp"
#include "util/strings.hpp"

namespace sitegen::site {

namespace {

using model::Point;
using model::Report;

// The non-empty pieces joined with single spaces ("" when all are empty).
std::string words(const std::vector<std::string>& pieces) {
  std::vector<std::string> kept;
  for (const std::string& p : pieces) {
    if (!p.empty()) kept.push_back(p);
  }
  return strings::join(kept, " ");
}

Json pair(const std::string& k, const std::string& v) { return {{"k", k}, {"v", v}}; }

void add_if(Json& list, const std::string& k, const std::string& v) {
  if (!v.empty()) list.push_back(pair(k, v));
}

std::string opt_text(const std::optional<long long>& v) { return v ? format::grouped(*v) : ""; }
std::string opt_text(const std::optional<double>& v) { return v ? format::human(*v) : ""; }

std::string gpu_text(const model::System& s) {
  const std::string name = s.gpu.model.empty() ? "unknown GPU" : s.gpu.model;
  return (s.gpu.count ? std::to_string(*s.gpu.count) + " × " : std::string()) + name;
}

// The configuration's name for people: "Qwen/Qwen3-Coder-30B fp8 · 1 × H200 · vllm · serving".
std::string config_title(const store::Configuration& c) {
  const store::Run* run = c.latest_run() ? c.latest_run() : (c.runs.empty() ? nullptr : &c.runs.back());
  if (!run) return c.id;
  const model::System& s = run->report.system;
  std::string t = s.model.id.empty() ? "unknown model" : s.model.id;
  if (!s.model.precision.empty()) t += " " + s.model.precision;
  t += " · " + gpu_text(s);
  if (!s.engine.name.empty()) t += " · " + s.engine.name;
  t += " · " + c.key.benchmark;
  return t;
}

const store::Run* shown_run(const store::Configuration& c) {
  if (const store::Run* r = c.latest_run()) return r;
  return c.runs.empty() ? nullptr : &c.runs.back();
}

Json points_table(const Report& report) {
  std::vector<const Metric*> cols;
  for (const Metric& m : point_metrics()) {
    for (const Point& p : report.points) {
      if (m.value(p)) {
        cols.push_back(&m);
        break;
      }
    }
  }
  Json columns = Json::array();
  for (const Metric* m : cols) columns.push_back({{"label", m->label}, {"key", m->key}});
  Json rows = Json::array();
  for (const Point& p : report.points) {
    Json cells = Json::array();
    for (const Metric* m : cols) cells.push_back(cell(m->value(p), m->decimals));  // {{.}} in the template
    const auto held = slo_held(report, p);
    Json row = Json::object();
    row["load"] = load_label(p);
    row["cells"] = std::move(cells);
    row["slo"] = held ? (*held ? "held" : "missed") : "—";
    rows.push_back(std::move(row));
  }
  return {{"columns", columns}, {"rows", rows}, {"has_rows", !report.points.empty()}};
}

Json system_view(const Report& r) {
  Json l = Json::array();
  const model::System& s = r.system;
  add_if(l, "Model", s.model.id);
  add_if(l, "Revision", s.model.revision);
  add_if(l, "Precision", s.model.precision);
  add_if(l, "Quantization", s.model.quantization);
  add_if(l, "GPU", gpu_text(s));
  add_if(l, "GPU memory (GB)", opt_text(s.gpu.memory_gb));
  add_if(l, "Driver / CUDA", s.gpu.driver.empty() && s.gpu.cuda.empty() ? "" : s.gpu.driver + " / " + s.gpu.cuda);
  add_if(l, "Host", s.host);
  add_if(l, "Engine", words({s.engine.name, s.engine.version}));
  add_if(l, "Image", s.engine.image);
  add_if(l, "Engine arguments", strings::join(s.engine.args, " "));
  const auto& par = s.parallelism;
  std::vector<std::string> p;
  if (par.tp) p.push_back("TP " + std::to_string(*par.tp));
  if (par.pp) p.push_back("PP " + std::to_string(*par.pp));
  if (par.dp) p.push_back("DP " + std::to_string(*par.dp));
  if (par.ep) p.push_back("EP " + std::to_string(*par.ep));
  if (par.disaggregated) p.push_back("disaggregated prefill/decode");
  add_if(l, "Parallelism", strings::join(p, ", "));
  return l;
}

Json workload_view(const Report& r) {
  Json l = Json::array();
  const model::Workload& w = r.workload;
  add_if(l, "Benchmark", w.benchmark);
  add_if(l, "Dataset", w.dataset);
  add_if(l, "Endpoint", w.endpoint);
  add_if(l, "Input tokens per request", opt_text(w.input_len));
  add_if(l, "Output tokens per request", opt_text(w.output_len));
  add_if(l, "Arrival", w.arrival);
  add_if(l, "Prompts", opt_text(w.num_prompts));
  add_if(l, "SLO: TTFT (ms)", opt_text(w.slo_ttft_ms));
  add_if(l, "SLO: TPOT (ms)", opt_text(w.slo_tpot_ms));
  return l;
}

Json provenance_view(const Report& r) {
  Json l = Json::array();
  const model::Provenance& p = r.provenance;
  add_if(l, "Tool", words({p.tool, p.tool_version}));
  add_if(l, "Run id", p.run_id);
  if (p.attempt > 1) add_if(l, "Attempt", std::to_string(p.attempt));
  add_if(l, "Status", r.status + (r.status_detail.empty() ? "" : ": " + r.status_detail));
  add_if(l, "Started", p.started_at);
  add_if(l, "Ended", p.ended_at);
  add_if(l, "Imported from", p.source_file);
  add_if(l, "Format", p.source_format);
  add_if(l, "Published at", p.source_url);
  add_if(l, "Git", words({p.git_ref, p.git_sha}));
  add_if(l, "CI", words({p.ci_provider, p.ci_run_id, p.ci_runner}));
  add_if(l, "Target", p.target);
  return l;
}

Json charts_of(const Report& r, const std::string& prefix) {
  Json charts = Json::array();
  auto add = [&](const std::string& svg, const std::string& caption) {
    if (!svg.empty()) charts.push_back({{"svg", svg}, {"caption", caption}});
  };
  add(throughput_chart(r, prefix + "tput"), "Throughput against load");
  add(latency_chart(r, prefix + "ttft", "ttft"), "Time to first token, median (solid) and p99 (dashed)");
  add(latency_chart(r, prefix + "tpot", "tpot"), "Time per output token and inter-token latency, median and p99");
  add(cdf_chart(r, prefix + "cdf"), "Latency CDF from per-request samples");
  return charts;
}

Json quality_view(const Report& r) {
  Json l = Json::array();
  for (const model::QualityResult& q : r.quality) {
    l.push_back({{"task", q.task}, {"metric", q.metric}, {"score", opt_text(q.score)},
                 {"baseline", q.baseline_label.empty() ? opt_text(q.baseline_score)
                                                       : q.baseline_label + " " + opt_text(q.baseline_score)}});
  }
  return l;
}

Json capacity_view(const Report& r) {
  Json l = Json::array();
  for (const model::CapacityResult& c : r.capacity) {
    l.push_back({{"team_size", std::to_string(c.team_size)},
                 {"slo", c.slo_held ? (*c.slo_held ? "held" : "missed") : "—"},
                 {"tokens_per_dev", opt_text(c.tokens_per_dev)},
                 {"ttft", opt_text(c.median_ttft_ms)},
                 {"tps", opt_text(c.median_tps_per_user)}});
  }
  return l;
}

// The headline figures of a configuration, as texts and numeric sort keys.
struct Row {
  const store::Configuration* config = nullptr;
  Json view;
  std::optional<double> peak, owned, rented, slo_load, dev_month;
};

Row index_row(const SiteModel& m, const store::Configuration& c, const std::string& root) {
  Row row;
  row.config = &c;
  const store::Run* run = shown_run(c);
  Json v;
  v["href"] = root + config_path(c);
  v["title"] = config_title(c);
  v["id"] = c.id;
  v["runs"] = std::to_string(c.runs.size());
  if (!run) return row.view = v, row;
  const Report& r = run->report;
  v["model"] = r.system.model.id.empty() ? "unknown model" : r.system.model.id;
  v["precision"] = r.system.model.precision;
  v["gpu"] = gpu_text(r.system);
  v["engine"] = r.system.engine.name;
  v["benchmark"] = c.key.benchmark;
  v["latest_href"] = root + run_path(m, *run);
  v["latest"] = r.provenance.run_id;
  const Headline h = headline(r);
  row.peak = h.peak_output_tps;
  v["peak"] = h.peak_output_tps ? format::human(*h.peak_output_tps) : "";
  v["peak_load"] = h.peak_load;
  v["slo_load"] = h.slo_load;
  if (h.slo_point) row.slo_load = load_value(r.points[*h.slo_point]);
  v["owned"] = v["rented"] = v["dev_month"] = "";
  auto it = m.economics.find(&c);
  if (it != m.economics.end()) {
    const econ::ConfigEconomics& e = it->second;
    if (e.slo_point && *e.slo_point < r.points.size()) {
      v["slo_load"] = load_label(r.points[*e.slo_point]);
      row.slo_load = load_value(r.points[*e.slo_point]);
    } else if (!e.slo_reason.empty()) {
      v["slo_load"] = "none";
      v["slo_reason"] = e.slo_reason;
    }
    row.owned = e.usd_per_1m_at_slo.value;
    v["owned"] = figure_text(e.usd_per_1m_at_slo);
    v["owned_reason"] = e.usd_per_1m_at_slo.reason;
    if (const econ::Figure* f = cheapest_rental_at_slo(e)) {
      row.rented = f->value;
      v["rented"] = figure_text(*f);
    } else {
      v["rented"] = "unavailable";
    }
    row.dev_month = e.usd_per_dev_month.value;
    v["dev_month"] = figure_text(e.usd_per_dev_month);
    v["dev_month_reason"] = e.usd_per_dev_month.reason;
  }
  row.view = v;
  return row;
}

void sort_rows(std::vector<Row>& rows, const std::string& order) {
  auto key = [&](const Row& r) -> std::optional<double> {
    if (order == "cost-owned") return r.owned;
    if (order == "cost-rented") return r.rented;
    if (order == "slo-load") return r.slo_load ? std::optional<double>(-*r.slo_load) : std::nullopt;
    if (order == "dev-month") return r.dev_month;
    if (order == "name") return std::nullopt;
    return r.peak ? std::optional<double>(-*r.peak) : std::nullopt;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    const auto ka = key(a), kb = key(b);
    if (ka.has_value() != kb.has_value()) return ka.has_value();
    if (ka && *ka != *kb) return *ka < *kb;
    return a.config->id < b.config->id;
  });
}

std::vector<const store::Configuration*> all_configs(const SiteModel& m) {
  std::vector<const store::Configuration*> out;
  for (const store::Configuration& c : m.inputs->dataset.configurations) out.push_back(&c);
  return out;
}

std::vector<CostBar> cost_bars(const SiteModel& m) {
  std::vector<CostBar> bars;
  for (const auto& [config, e] : m.economics) {
    const econ::Figure* f = e.usd_per_1m_at_slo.value ? &e.usd_per_1m_at_slo : cheapest_rental_at_slo(e);
    if (!f || !f->value) continue;
    const std::string how = f == &e.usd_per_1m_at_slo ? "owned" : "rented";
    bars.push_back({config->id, *f->value, false,
                    config->id + " (" + how + ", at SLO): $" + format::human(*f->value) + " per 1M tokens"});
  }
  std::sort(bars.begin(), bars.end(), [](const CostBar& a, const CostBar& b) { return a.label < b.label; });
  if (m.inputs->catalog) {
    const econ::Catalog& cat = *m.inputs->catalog;
    const double wi = cat.assumptions.api_blend_input, wo = cat.assumptions.api_blend_output;
    for (const econ::ApiModel& api : cat.api_models) {
      if (wi + wo <= 0) break;
      const double blend = (wi * api.usd_per_1m_input + wo * api.usd_per_1m_output) / (wi + wo);
      bars.push_back({api.name + " (" + api.provider + ")", blend, true,
                      api.name + ": $" + format::human(blend) + " per 1M tokens at " + format::shortest(wi) + ":" +
                          format::shortest(wo) + " input:output (" + api.sourced.source + ", " + api.sourced.as_of + ")"});
    }
  }
  return bars;
}

std::string notes_html(const std::string& md) { return md.empty() ? "" : render_markdown(md); }

}  // namespace

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

const std::vector<std::pair<std::string, std::string>>& index_orders() {
  static const std::vector<std::pair<std::string, std::string>> k_orders = {
      {"", "peak throughput"},          {"cost-owned", "owned $/1M tokens"},
      {"cost-rented", "rented $/1M tokens"}, {"slo-load", "largest load under SLO"},
      {"dev-month", "$/developer-month"}, {"name", "name"}};
  return k_orders;
}

std::string index_file(const std::string& order) { return order.empty() ? "index.html" : "index-by-" + order + ".html"; }

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

SiteModel make_model(const Inputs& inputs) {
  SiteModel m;
  m.inputs = &inputs;
  for (const store::Configuration& c : inputs.dataset.configurations) {
    const store::Run* run = c.latest_run();
    if (run && inputs.catalog) {
      m.economics.emplace(&c, econ::report_economics(run->report, *inputs.catalog, inputs.catalog->assumptions));
    }
    const store::ConfigKey& k = c.key;
    m.engine_groups[strings::slug(k.model + "-" + k.hardware + "-" + std::to_string(k.gpus) + "gpu-" + k.benchmark)]
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

Json common_view(const SiteModel& m, const std::string& path, const std::string& title,
                 const std::optional<std::string>& root_override) {
  const Settings& s = m.inputs->settings;
  const std::string root = root_override ? *root_override : root_of(path);
  Json nav = Json::array();
  nav.push_back({{"href", root + "index.html"}, {"label", "Results"}});
  nav.push_back({{"href", root + "runs.html"}, {"label", "All runs"}});
  for (const Page& p : m.inputs->pages) nav.push_back({{"href", root + p.slug + ".html"}, {"label", p.title}});
  return {{"root", root},
          {"title", title},
          {"site", {{"title", s.title}, {"description", s.description}, {"repo_url", s.repo_url}, {"footer", s.footer}}},
          {"nav", nav}};
}

Json index_view(const SiteModel& m, const std::string& order) {
  Json v;
  std::vector<Row> rows;
  for (const store::Configuration* c : all_configs(m)) rows.push_back(index_row(m, *c, ""));
  sort_rows(rows, order);
  Json list = Json::array();
  for (const Row& r : rows) list.push_back(r.view);
  v["rows"] = list;
  v["has_rows"] = !rows.empty();
  Json orders = Json::array();
  for (const auto& [key, label] : index_orders()) {
    orders.push_back({{"href", index_file(key)}, {"label", label}, {"current", key == order}});
  }
  v["orders"] = orders;
  for (const auto& [key, label] : index_orders()) {
    if (key == order) v["order_label"] = label;
  }
  v["pareto"] = pareto_chart(all_configs(m), "pareto");
  v["cost"] = cost_vs_api_chart(cost_bars(m), "cost");
  Json compares = Json::array();
  for (const auto& [key, configs] : m.engine_groups) {
    compares.push_back({{"href", "compare/" + key + ".html"},
                        {"label", configs.front()->key.model + " on " + std::to_string(configs.front()->key.gpus) + " × " +
                                      configs.front()->key.hardware + " (" + configs.front()->key.benchmark + "): " +
                                      std::to_string(configs.size()) + " engines/precisions"}});
  }
  for (const auto& [key, variants] : m.variant_groups) {
    compares.push_back({{"href", "compare/variants-" + key + ".html"},
                        {"label", "Baseline against candidates: " + key + " (" + std::to_string(variants.size()) + " runs)"}});
  }
  v["compares"] = compares;
  v["run_count"] = std::to_string(m.inputs->dataset.run_count());
  v["config_count"] = std::to_string(m.inputs->dataset.configurations.size());
  if (m.inputs->catalog) {
    v["utilization"] = format::shortest(m.inputs->catalog->assumptions.utilization);
  }
  return v;
}

Json config_view(const SiteModel& m, const store::Configuration& c) {
  const std::string path = config_path(c);
  const std::string root = root_of(path);
  Json v;
  v["title"] = config_title(c);
  v["id"] = c.id;
  const store::Run* run = shown_run(c);
  Json head = Json::array();
  if (run) {
    const Report& r = run->report;
    const Headline h = headline(r);
    add_if(head, "Peak output throughput", h.peak_output_tps ? format::human(*h.peak_output_tps) + " tokens/s at load " + h.peak_load : "");
    add_if(head, "Peak output throughput per GPU", opt_text(h.peak_output_tps_per_gpu));
    add_if(head, "Largest load holding the SLO", h.slo_load);
    add_if(head, "Median TTFT at the lightest load", h.best_ttft_median_ms ? format::human(*h.best_ttft_median_ms) + " ms" : "");
    v["run_href"] = root + run_path(m, *run);
    v["run_id"] = r.provenance.run_id;
    v["report_href"] = root + run_dir(m, *run) + "/report.json";
    v["latest_is_success"] = c.latest_run() != nullptr;
    v["system"] = system_view(r);
    v["workload"] = workload_view(r);
    v["provenance"] = provenance_view(r);
    v["command"] = r.provenance.command;
    v["charts"] = charts_of(r, "c-");
    v["table"] = points_table(r);
    v["quality"] = quality_view(r);
    v["capacity"] = capacity_view(r);
    v["notes_html"] = notes_html(run->notes_md);
    v["provenance_notes_html"] = notes_html(r.provenance.notes);
    auto it = m.economics.find(&c);
    if (it != m.economics.end()) {
      v["economics"] = economics_view(it->second, r);
      if (it->second.slo_point && *it->second.slo_point < it->second.points.size()) {
        const econ::Figure& per_hour = it->second.points[*it->second.slo_point].owned.usd_per_hour;
        if (per_hour.value) {
          v["dev_month_chart"] = dev_month_chart(r, *per_hour.value, it->second.team_size_max, "c-devmonth");
        }
      }
      if (!v.contains("dev_month_chart") && !r.capacity.empty() && !it->second.points.empty() &&
          it->second.points.front().owned.fixed_per_h.value) {
        v["dev_month_chart"] = dev_month_chart(r, *it->second.points.front().owned.fixed_per_h.value,
                                               it->second.team_size_max, "c-devmonth");
      }
    } else {
      v["economics_missing"] = m.inputs->catalog ? "no run with a successful request" : "the pricing catalog did not load";
    }
  }
  v["headline"] = head;
  Json history = Json::array();
  for (auto it = c.history.rbegin(); it != c.history.rend(); ++it) {
    const store::RunSummary& s = *it;
    Json h = {{"run_id", s.run_id + (s.attempt > 1 ? " (attempt " + std::to_string(s.attempt) + ")" : "")},
              {"date", s.started_at},
              {"status", s.status},
              {"completed", format::grouped(s.completed)},
              {"failed", format::grouped(s.failed)},
              {"peak", opt_text(s.max_output_tps)},
              {"ttft", opt_text(s.min_ttft_p50_ms)},
              {"pruned", s.pruned}};
    for (const store::Run& r : c.runs) {
      if (r.report.provenance.run_id == s.run_id && r.report.provenance.attempt == s.attempt) {
        h["href"] = root + run_path(m, r);
      }
    }
    history.push_back(h);
  }
  v["history"] = history;
  v["history_chart"] = history_chart(c, "c-history");
  return v;
}

Json run_view(const SiteModel& m, const store::Configuration& c, const store::Run& run) {
  const std::string root = root_of(run_path(m, run));
  const Report& r = run.report;
  Json v;
  v["title"] = "Run " + r.provenance.run_id + " of " + config_title(c);
  v["config_href"] = root + config_path(c);
  v["config_title"] = config_title(c);
  v["report_href"] = "report.json";
  v["status"] = r.status;
  v["failed_run"] = r.status != "complete";
  v["status_detail"] = r.status_detail;
  v["system"] = system_view(r);
  v["workload"] = workload_view(r);
  v["provenance"] = provenance_view(r);
  v["command"] = r.provenance.command;
  v["charts"] = charts_of(r, "r-");
  v["table"] = points_table(r);
  v["quality"] = quality_view(r);
  v["capacity"] = capacity_view(r);
  v["notes_html"] = notes_html(run.notes_md);
  v["provenance_notes_html"] = notes_html(r.provenance.notes);
  return v;
}

std::uint64_t run_page_key(const SiteModel& m, const store::Configuration& c, const store::Run& run) {
  // Exactly what run_view reads besides the report itself (run.fingerprint covers its bytes).
  return hash::Hasher()
      .add(run.fingerprint)
      .add(run.notes_md)
      .add(config_title(c))
      .add(config_path(c))
      .add(run_path(m, run))
      .value();
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

Json not_found_view(const std::string& base_url) {
  Json v;
  v["root"] = base_url;  // absolute: the page is served for missing paths at any depth
  v["base_url"] = base_url;
  return v;
}

Json engine_compare_view(const SiteModel& m, const std::string& key, const std::vector<const store::Configuration*>& configs) {
  const std::string root = "../";
  Json v;
  const store::ConfigKey& k = configs.front()->key;
  v["title"] = "Engines and precisions: " + k.model + " on " + std::to_string(k.gpus) + " × " + k.hardware + " (" + k.benchmark + ")";
  v["key"] = key;
  Json cols = Json::array();
  std::vector<Row> rows;
  for (const store::Configuration* c : configs) rows.push_back(index_row(m, *c, root));
  for (const Row& r : rows) cols.push_back(r.view);
  v["columns"] = cols;
  // Overlaid throughput and TTFT: one series per configuration.
  Json charts = Json::array();
  v["charts"] = charts;
  return v;
}

Json variant_compare_view(const SiteModel& m, const std::string& key, const std::vector<SiteModel::Variant>& variants) {
  const std::string root = "../";
  Json v;
  v["title"] = "Baseline against candidates: " + key;
  const SiteModel::Variant* base = nullptr;
  for (const auto& x : variants) {
    if (x.label == "baseline" && (!base || base->run->report.points.empty())) base = &x;
  }
  Json cols = Json::array();
  for (const auto& x : variants) {
    cols.push_back({{"label", x.label}, {"run", x.run->report.provenance.run_id}, {"href", root + run_path(m, *x.run)}});
  }
  v["columns"] = cols;
  // One row per metric per load level of the baseline; each candidate's value and its delta.
  Json rows = Json::array();
  const Report& br = base->run->report;
  for (std::size_t pi = 0; pi < br.points.size(); ++pi) {
    const Point& bp = br.points[pi];
    for (const Metric& metric : point_metrics()) {
      const auto bv = metric.value(bp);
      if (!bv || metric.key == "concurrency" || metric.key == "request_rate_rps") continue;
      Json cells = Json::array();
      bool any = false;
      for (const auto& x : variants) {
        const Report& xr = x.run->report;
        const Point* xp = nullptr;
        for (const Point& p : xr.points) {
          if (load_value(p) == load_value(bp) && !xp) xp = &p;
        }
        if (!xp && xr.points.size() == br.points.size()) xp = &xr.points[pi];
        const auto xv = xp ? metric.value(*xp) : std::nullopt;
        std::string delta;
        std::string cls;
        if (&x != base && xv && *bv != 0) {
          const double pct = (*xv - *bv) / std::fabs(*bv) * 100;
          delta = (pct >= 0 ? "+" : "") + format::fixed(pct, 1) + "%";
          // Lower is better for latencies, higher for throughput.
          const bool lower_better = metric.key.find("_ms") != std::string::npos || metric.key == "failed" ||
                                    metric.key == "joules_per_token";
          if (std::fabs(pct) >= 0.05) cls = ((pct < 0) == lower_better) ? "better" : "worse";
        }
        if (xv && &x != base) any = true;
        cells.push_back({{"text", cell(xv, metric.decimals)}, {"delta", delta}, {"class", cls}});
      }
      if (any) rows.push_back({{"metric", metric.label}, {"load", load_label(bp)}, {"cells", cells}});
    }
  }
  v["rows"] = rows;
  v["baseline_run"] = br.provenance.run_id;
  return v;
}

Json runs_view(const SiteModel& m) {
  Json list = Json::array();
  for (const store::Configuration& c : m.inputs->dataset.configurations) {
    for (const store::Run& r : c.runs) {
      const Headline h = headline(r.report);
      list.push_back({{"href", run_path(m, r)},
                      {"run_id", r.report.provenance.run_id},
                      {"config", c.id},
                      {"config_href", config_path(c)},
                      {"status", r.report.status},
                      {"date", r.report.provenance.started_at},
                      {"peak", opt_text(h.peak_output_tps)}});
    }
  }
  return {{"runs", list}};
}

}  // namespace sitegen::site
