// ISO-Bench result files: per-run 3-way results (baseline / human / agent), the `separate_*`
// variant with vLLM-style names, flat docker results, reruns holding all three variants, and the
// HF export rows. Metrics were scraped from vLLM's console output. ERROR and TIMEOUT runs become
// reports with status "failed", never dropped. FORMATS.md section 10.4.

#include "ingest/fields.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::ingest {

namespace {

// Metric names of every variant -> (stat, which, percent) or a point field.
void read_metrics(Fields& f, model::Point& p, std::string& benchmark) {
  struct StatKey { const char* key; model::Stat* stat; const char* which; };
  const StatKey keys[] = {
      {"ttft_mean_ms", &p.ttft_ms, "mean"}, {"ttft_median_ms", &p.ttft_ms, "median"}, {"ttft_p99_ms", &p.ttft_ms, "p99"},
      {"tpot_mean_ms", &p.tpot_ms, "mean"}, {"tpot_median_ms", &p.tpot_ms, "median"}, {"tpot_p99_ms", &p.tpot_ms, "p99"},
      {"itl_mean_ms", &p.itl_ms, "mean"},   {"itl_median_ms", &p.itl_ms, "median"},   {"itl_p99_ms", &p.itl_ms, "p99"},
      {"ttft_mean", &p.ttft_ms, "mean"},    {"ttft_median", &p.ttft_ms, "median"},    {"ttft_p99", &p.ttft_ms, "p99"},
      {"tpot_mean", &p.tpot_ms, "mean"},    {"tpot_median", &p.tpot_ms, "median"},    {"tpot_p99", &p.tpot_ms, "p99"},
      {"itl_mean", &p.itl_ms, "mean"},      {"itl_median", &p.itl_ms, "median"},      {"itl_p99", &p.itl_ms, "p99"}};
  for (const StatKey& k : keys) {
    const auto v = f.number(k.key);
    if (!v) continue;
    const std::string which = k.which;
    if (which == "mean") k.stat->mean = v;
    else if (which == "median") k.stat->median = v;
    else k.stat->set_percentile(99, *v);
  }
  for (const char* m : {"ttft", "tpot", "itl"}) {
    model::Stat s = f.stat(m, "_ms");
    model::Stat& target = std::string(m) == "ttft" ? p.ttft_ms : std::string(m) == "tpot" ? p.tpot_ms : p.itl_ms;
    if (!s.empty()) target = s;
  }
  for (const char* key : {"request_throughput_req_s", "throughput_req_s"}) {
    if (auto v = f.number(key)) p.request_throughput_rps = v;
  }
  if (auto v = f.number("output_token_throughput_tok_s")) p.output_throughput_tps = v;
  if (auto v = f.number("total_token_throughput_tok_s")) p.total_throughput_tps = v;
  if (auto v = f.integer("successful_requests")) p.completed = v;
  if (auto v = f.number("benchmark_duration_s")) p.duration_s = v;
  if (auto v = f.integer("total_input_tokens")) p.input_tokens = v;
  if (auto v = f.integer("total_generated_tokens")) p.output_tokens = v;
  // Offline throughput and latency benchmarks have no serving point fields: kept in extra.
  if (f.has("throughput_tok_s") && benchmark.empty()) benchmark = "throughput";
  if (f.has("latency_avg_ms") && benchmark.empty()) benchmark = "latency";
}

std::string status_of(const std::string& s) {
  const std::string l = strings::lower(s);
  if (l == "success" || l == "completed" || l == "ok") return "complete";
  return "failed";
}

class IsoBenchImporter : public Importer {
 public:
  std::string name() const override { return "iso-bench"; }
  std::string description() const override {
    return "ISO-Bench results (3-way baseline/human/agent, separate_*, docker flat, reruns, HF export rows); "
           "error and timeout runs kept as failed runs";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    if (j.contains("human_commit") && j.contains("parent_commit") && j.contains("status")) return "";
    if (j.contains("commit") && (j.contains("benchmark_source") || j.contains("dataset")) && j.contains("metrics")) return "";
    if (j.contains("commit_short") && j.contains("analysis")) return "";
    if (j.contains("commit_hash") && j.contains("fix_applied")) return "";
    if (j.contains("instance_id") && j.contains("baseline_ttft_mean")) return "";
    if (j.contains("success_with_agent") && j.contains("baseline_failed")) return "";
    return "lacks human_commit/parent_commit/status, commit/metrics, commit_short/analysis, commit_hash or "
           "instance_id (the ISO-Bench signatures)";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& first = source.values.front().value;
    if (const std::string why = detect(first); !why.empty()) throw Error(source.file + ": not an ISO-Bench file: " + why);
    if (first.contains("success_with_agent")) {
      throw Error(source.file + ": an ISO-Bench campaign summary (counts of commits per outcome); it holds no "
                  "benchmark numbers: import the per-commit *_result.json files");
    }
    for (const StreamValue& v : source.values) {
      const Json& j = v.value;
      if (j.contains("analysis")) rerun(source, j, c);
      else if (j.contains("instance_id")) export_row(source, v, c);
      else c.reports.push_back(single(source, j, c.account, variant_of(source.file)));
    }
    return c;
  }

 private:
  // The variant is in the file name only ("..._agent_result.json"); the content has no field for it.
  static std::string variant_of(const std::string& file) {
    for (const char* v : {"baseline", "human", "agent"}) {
      if (file.find(std::string("_") + v + "_") != std::string::npos || file.find(std::string(v) + "_result") != std::string::npos) return v;
    }
    return "";
  }

  model::Report base(const Source& source, const std::string& variant) const {
    model::Report r = new_report(source, name(), "ISO-Bench run_3way_benchmarks.py (scraped vllm bench serve)");
    r.system.engine.name = "vllm";  // ISO-Bench benchmarks commits of vLLM itself
    if (!variant.empty()) r.system.extra["variant"] = variant;
    return r;
  }

  static void finish_run_id(model::Report& r, const std::string& timestamp, const std::string& variant,
                            const std::string& commit) {
    if (const std::string id = run_id_from_text(timestamp); !id.empty()) r.provenance.run_id = id;
    r.provenance.started_at = iso_if_utc(timestamp);
    if (!commit.empty()) r.provenance.run_id += "-" + strings::slug(commit.substr(0, 12));
    if (!variant.empty()) r.provenance.run_id += "-" + variant;
  }

  model::Report single(const Source& source, const Json& j, Account& account, const std::string& variant) const {
    model::Report r = base(source, variant);
    Fields f(j, "", account);
    r.system.model.id = f.text("model");
    precision_from_name(r.system.model.id, r.system.model);
    std::string commit = f.text("human_commit_full");
    if (commit.empty()) commit = f.text("commit_full");
    if (commit.empty()) commit = f.text("commit_hash");
    for (const char* key : {"human_commit", "commit"}) {
      if (const std::string s = f.text(key); commit.empty()) commit = s;
    }
    const std::string parent = f.text("parent_commit");
    r.system.engine.version = variant == "baseline" && !parent.empty() ? parent : commit;
    r.system.extra["commit"] = commit;
    if (!parent.empty()) r.system.extra["parent_commit"] = parent;
    r.system.engine.image = f.text("docker_image");
    std::string benchmark = f.text("benchmark_type");
    // benchmark_source says whose code ran ("AGENT (Claude's patch on baseline)"), not which
    // prompts: it stays in extra, and the dataset is what the file states or nothing.
    r.workload.dataset = f.text("dataset");
    r.provenance.command = f.text("benchmark_command");
    r.status = status_of(f.text("status"));
    if (const std::string err = f.text("error"); !err.empty()) r.status_detail = err;
    else if (r.status == "failed") r.status_detail = "status: " + string_or_empty(j, "status");
    model::Point p;
    if (const Json* m = f.raw("metrics"); m && m->is_object()) {
      Fields mf(*m, "metrics/", account);
      read_metrics(mf, p, benchmark);
      p.extra = mf.rest();
    } else {
      read_metrics(f, p, benchmark);  // the flat docker variant
    }
    r.workload.benchmark = benchmark.empty() ? "serving" : benchmark;
    if (f.raw("raw_output")) {
      note(account.unreadable, "raw_output: the console tail is not kept (its figures are the metrics)");
    }
    finish_run_id(r, f.text("timestamp"), variant, commit);
    if (const auto d = f.number("duration_s")) r.extra["duration_s"] = *d;
    r.extra.update(f.rest());
    if (r.status == "complete") r.points.push_back(std::move(p));  // a failed run has no numbers
    return r;
  }

  void rerun(const Source& source, const Json& j, Conversion& c) const {
    for (const char* variant : {"baseline", "human", "agent"}) {
      if (!j.contains(variant) || !j.at(variant).is_object()) continue;
      Json one = j.at(variant);
      for (const char* key : {"model", "commit_full", "commit_short", "parent_hash", "benchmark_type", "timestamp"}) {
        if (j.contains(key)) one[key] = j.at(key);
      }
      if (j.contains("parent_hash")) one["parent_commit"] = j.at("parent_hash");
      one.erase("parent_hash");
      c.reports.push_back(single(source, one, c.account, variant));
    }
    note(c.account.extra, "task_id, description, issue, fix, analysis, commands: kept in each report's extra");
    for (model::Report& r : c.reports) {
      for (const char* key : {"task_id", "description", "issue", "fix", "analysis", "baseline_command", "test_command",
                              "is_asymmetric", "num_trials"}) {
        if (j.contains(key)) r.extra[key] = finite_copy(j.at(key));
      }
    }
  }

  // HF export row: {baseline,human,agent}_{ttft,tpot,itl}_{mean,median,p99} for one commit.
  void export_row(const Source& source, const StreamValue& v, Conversion& c) const {
    const Json& j = v.value;
    for (const char* variant : {"baseline", "human", "agent"}) {
      Json metrics = Json::object();
      const std::string prefix = std::string(variant) + "_";
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key().starts_with(prefix) && it->is_number()) metrics[it.key().substr(prefix.size())] = *it;
      }
      if (metrics.empty()) continue;
      // The line's own values, whatever their type: reading `one` accounts for a wrong one.
      const auto at = [&j](const char* key) { return j.contains(key) ? j.at(key) : Json(); };
      Json one = {{"model", at("model_id")}, {"status", "success"}, {"metrics", metrics},
                  {"commit_full", at("commit_hash")}, {"parent_commit", at("parent_commit")},
                  {"benchmark_type", at("benchmark_mode")}, {"timestamp", at("benchmark_timestamp")}};
      model::Report r = single(source, one, c.account, variant);
      r.provenance.command = string_or_empty(j, "perf_command");
      r.provenance.extra["line"] = v.line;
      for (const char* key : {"instance_id", "repo", "commit_subject", "gpu_config", "agent_name", "agent_model"}) {
        if (j.contains(key)) r.extra[key] = finite_copy(j.at(key));
      }
      if (r.provenance.run_id.starts_with("import-")) {
        r.provenance.run_id = "import-" + short_hash(j.dump()) + "-" + variant;
      }
      c.reports.push_back(std::move(r));
    }
    note(c.account.mapped, "{baseline,human,agent}_{ttft,tpot,itl}_{mean,median,p99}, model_id, commit_hash, "
                           "parent_commit, benchmark_mode, perf_command");
    note(c.account.unreadable, "*_improvement, agent_vs_human, *_install_method: derived comparisons, not kept");
  }
};

}  // namespace

std::unique_ptr<Importer> make_iso_bench_importer() { return std::make_unique<IsoBenchImporter>(); }

}  // namespace sitegen::ingest
