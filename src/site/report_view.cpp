#include "site/report_view.hpp"

#include "site/chart_specs.hpp"
#include "site/figures.hpp"
#include "site/markdown.hpp"
#include "util/format.hpp"
#include "util/strings.hpp"

namespace sitegen::site {

using model::Point;
using model::Report;

namespace {

// The non-empty pieces joined with single spaces ("" when all are empty).
std::string words(const std::vector<std::string>& pieces) {
  std::vector<std::string> kept;
  for (const std::string& p : pieces) {
    if (!p.empty()) kept.push_back(p);
  }
  return strings::join(kept, " ");
}

View pair(const std::string& k, const std::string& v) { return View().set("k", k).set("v", v); }

}  // namespace

void add_if(View& list, const std::string& k, const std::string& v) {
  if (!v.empty()) list.push(pair(k, v));
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
  t += " · " + c.key.benchmark + " (" + c.key.workload_short() + ")";
  return t;
}

const store::Run* shown_run(const store::Configuration& c) {
  if (const store::Run* r = c.latest_run()) return r;
  return c.runs.empty() ? nullptr : &c.runs.back();
}

View points_table(const Report& report) {
  std::vector<const Metric*> cols;
  for (const Metric& m : point_metrics()) {
    for (const Point& p : report.points) {
      if (m.value(p)) {
        cols.push_back(&m);
        break;
      }
    }
  }
  View columns = View::list();
  for (const Metric* m : cols) columns.push(View().set("label", m->label).set("key", m->key));
  View rows = View::list();
  for (const Point& p : report.points) {
    View cells = View::list();
    for (const Metric* m : cols) cells.push(cell(m->value(p), m->decimals));  // {{.}} in the template
    const auto held = slo_held(report, p);
    rows.push(View()
                  .set("load", load_label(p))
                  .set("cells", std::move(cells))
                  .set("slo", held ? (*held ? "held" : "missed") : "—"));
  }
  return View().set("columns", std::move(columns)).set("rows", std::move(rows));
}

View system_view(const Report& r) {
  View l = View::list();
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

View workload_view(const Report& r) {
  View l = View::list();
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

View provenance_view(const Report& r) {
  View l = View::list();
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

View charts_of(const Report& r, const std::string& prefix) {
  View charts = View::list();
  auto add = [&](const std::string& svg, const std::string& caption) {
    if (!svg.empty()) charts.push(View().set("svg", svg).set("caption", caption));
  };
  add(throughput_chart(r, prefix + "tput"), "Throughput against load");
  add(latency_chart(r, prefix + "ttft", "ttft"), "Time to first token, median (solid) and p99 (dashed)");
  add(latency_chart(r, prefix + "tpot", "tpot"), "Time per output token and inter-token latency, median and p99");
  add(cdf_chart(r, prefix + "cdf"), "Latency CDF from per-request samples");
  return charts;
}

View quality_view(const Report& r) {
  View l = View::list();
  for (const model::QualityResult& q : r.quality) {
    l.push(View()
               .set("task", q.task)
               .set("metric", q.metric)
               .set("score", opt_text(q.score))
               .set("baseline", q.baseline_label.empty() ? opt_text(q.baseline_score)
                                                         : q.baseline_label + " " + opt_text(q.baseline_score)));
  }
  return l;
}

View capacity_view(const Report& r) {
  View l = View::list();
  for (const model::CapacityResult& c : r.capacity) {
    l.push(View()
               .set("team_size", std::to_string(c.team_size))
               .set("slo", c.slo_held ? (*c.slo_held ? "held" : "missed") : "—")
               .set("tokens_per_dev", opt_text(c.tokens_per_dev))
               .set("ttft", opt_text(c.median_ttft_ms))
               .set("tps", opt_text(c.median_tps_per_user)));
  }
  return l;
}

std::string notes_html(const std::string& md) { return md.empty() ? "" : render_markdown(md); }

void add_report_sections(View& v, const store::Run& run, const std::string& chart_prefix) {
  const Report& r = run.report;
  v.set("system", system_view(r));
  v.set("workload", workload_view(r));
  v.set("provenance", provenance_view(r));
  v.set("command", r.provenance.command);
  v.set("charts", charts_of(r, chart_prefix));
  v.set("table", points_table(r));
  v.set("quality", quality_view(r));
  v.set("capacity", capacity_view(r));
  v.set("notes_html", notes_html(run.notes_md));
  v.set("provenance_notes_html", notes_html(r.provenance.notes));
}

}  // namespace sitegen::site
