// elizabetht/token-labs: docs/benchmark-results.json (schema v1, the v2 experiment tracker, v3
// live benchmarks), docs/benchmark-history.json (an array of v1 records) and the results/*.json
// ISL/OSL sweeps and baselines. Numbers were scraped from vLLM's console output (2 decimals);
// FORMATS.md section 10.2.

#include <cmath>

#include "ingest/fields.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::ingest {

namespace {

void set_run_time(model::Report& r, const std::string& timestamp) {
  if (const std::string id = run_id_from_text(timestamp); !id.empty()) r.provenance.run_id = id;
  r.provenance.started_at = iso_if_utc(timestamp);
}

// One sweep level {concurrency, throughput_tok_s, ttft_p50_ms, ...} -> a point.
model::Point level(const Json& l, Account& account) {
  Fields f(l, "levels[]/", account);
  model::Point p;
  p.concurrency = f.integer("concurrency");
  p.output_throughput_tps = f.number("throughput_tok_s");  // vLLM's "Output token throughput"
  for (const auto& [key, stat, percent] : std::initializer_list<std::tuple<const char*, model::Stat*, double>>{
           {"ttft_p50_ms", &p.ttft_ms, 50}, {"ttft_p99_ms", &p.ttft_ms, 99}, {"ttft_p95_ms", &p.ttft_ms, 95},
           {"itl_p50_ms", &p.itl_ms, 50}, {"itl_p99_ms", &p.itl_ms, 99}, {"itl_p95_ms", &p.itl_ms, 95},
           {"e2e_p50_ms", &p.e2el_ms, 50}, {"e2e_p99_ms", &p.e2el_ms, 99}}) {
    if (const auto v = f.number(key); v && std::isfinite(*v)) {
      stat->set_percentile(percent, *v);
      if (percent == 50) stat->median = v;
    }
  }
  const auto n = f.integer("n_requests"), errors = f.integer("n_errors");
  if (n && errors) { p.completed = *n - *errors; p.failed = errors; }
  else if (n) p.completed = n;
  if (const auto ok = f.integer("requests_ok")) p.completed = ok;
  if (const auto err = f.integer("requests_err")) p.failed = err;
  if (const Json* d = f.raw("dcgm"); d && d->is_object()) {
    Fields g(*d, "levels[]/dcgm/", account);
    p.telemetry.avg_power_w = g.number("power_avg_w");
    p.telemetry.avg_gpu_util_pct = g.number("gpu_util_avg_pct");
    p.telemetry.source = "dcgm";
    // energy_j is DCGM's cumulative energy counter, not the energy of this level: kept in extra.
    p.extra["dcgm"] = g.rest();
  }
  Json rest = f.rest();
  for (auto it = rest.begin(); it != rest.end(); ++it) p.extra[it.key()] = *it;
  return p;
}

// Fields that describe the system, shared by sweep and baseline files.
void sweep_system(Fields& f, model::Report& r) {
  r.system.model.id = f.text("model");
  r.system.engine.name = f.text("framework");
  r.system.engine.version = f.text("runtime");
  const std::string quant = f.text("quantization");
  precision_from_name(quant.empty() ? r.system.model.id : quant, r.system.model);
  if (const std::string hw = f.text("hardware"); !hw.empty()) r.system.extra["hardware"] = hw;
  set_run_time(r, f.text("timestamp"));
}

class TokenLabsImporter : public Importer {
 public:
  std::string name() const override { return "token-labs"; }
  std::string description() const override {
    return "token-labs benchmark-results.json (schema v1, v2, v3), benchmark-history.json and results/*.json "
           "ISL/OSL sweeps and baselines";
  }
  std::string detect(const Json& j) const override {
    const Json& o = j.is_array() && !j.empty() ? j.front() : j;
    if (!o.is_object()) return "not a JSON object";
    if (o.contains("decode") && o.contains("prefill") && o.contains("dgx_cost_per_hour")) return "";
    if (o.contains("live_benchmarks") || o.contains("experiment_groups")) return "";
    if (o.contains("combos") || (o.contains("levels") && o.contains("primary"))) return "";
    if (o.contains("best_throughput") && o.contains("best_latency")) return "";
    return "lacks prefill/decode (v1), live_benchmarks (v3), experiment_groups (v2), combos or levels (sweeps)";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& j = source.values.front().value;
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not a token-labs file: " + why);
    if (j.is_array()) {
      for (const Json& rec : j) v1(source, rec, c);
    } else if (j.contains("decode")) {
      v1(source, j, c);
    } else if (j.contains("best_throughput")) {
      throw Error(source.file + ": a token-labs ranking of rows taken from other result files (best_throughput, "
                  "best_latency with source_file); it holds no run of its own: import the sweep files it names");
    } else if (j.contains("combos") || j.contains("levels")) {
      sweep(source, j, c);
    } else {
      tracker(source, j, c);
    }
    if (c.reports.empty()) {
      throw Error(source.file + ": no measured values: every experiment and result in it is null (pending)");
    }
    return c;
  }

 private:
  void v1(const Source& source, const Json& j, Conversion& c) const {
    Fields f(j, "", c.account);
    const std::string model = f.text("model");
    const std::string image = f.text("image_tag");
    const std::string timestamp = f.text("timestamp");
    Json hardware = Json::object();
    if (const Json* h = f.raw("hardware"); h && h->is_object()) hardware = *h;
    const Json* args = f.raw("benchmark_args");
    Json quality = Json();
    if (const Json* acc = f.raw("accuracy")) quality = *acc;
    const Json extra = [&] {
      Json e = Json::object();
      for (const char* key : {"dgx_cost_per_hour", "vllm_server_args", "lmcache_config", "version"}) {
        if (const Json* x = f.raw(key)) e[key] = finite_copy(*x);
      }
      return e;
    }();
    const std::pair<const char*, const char*> tests[] = {{"prefill", "prefill_test"}, {"decode", "decode_test"},
                                                         {"cached", "cache_test"}};
    for (const auto& [test, args_key] : tests) {
      const Json* t = f.raw(test);
      if (!t || !t->is_object()) continue;
      model::Report r = new_report(source, name(), "token-labs generate_results.py (scraped vllm bench serve)");
      set_run_time(r, timestamp);
      r.system.model.id = model;
      precision_from_name(model, r.system.model);
      r.system.engine.name = "vllm";
      r.system.engine.image = image;
      r.system.gpu.model = string_or_empty(hardware, "gpu");
      if (!hardware.empty()) r.system.extra["hardware"] = hardware;
      r.system.extra.update(extra);
      r.workload.benchmark = test;
      model::Point p;
      if (args && args->is_object() && args->contains(args_key) && args->at(args_key).is_object()) {
        const Json& a = args->at(args_key);
        if (a.contains("num_prompts") && a.at("num_prompts").is_number_integer()) r.workload.num_prompts = a.at("num_prompts").get<long long>();
        if (a.contains("input_len") && a.at("input_len").is_number_integer()) r.workload.input_len = a.at("input_len").get<long long>();
        if (a.contains("output_len") && a.at("output_len").is_number_integer()) r.workload.output_len = a.at("output_len").get<long long>();
        if (a.contains("request_rate") && a.at("request_rate").is_number()) p.request_rate_rps = a.at("request_rate").get<double>();
        r.workload.dataset = string_or_empty(a, "dataset");
        r.workload.extra["benchmark_args"] = finite_copy(a);
      }
      r.workload.arrival = p.request_rate_rps ? "rate" : "";
      Fields tf(*t, std::string(test) + "/", c.account);
      const auto tps = tf.number("tokens_per_second");
      if (std::string(test) == "decode") p.output_throughput_tps = tps;
      else if (tps) {
        // prefill: "Input token throughput", falling back to "Total token throughput"; which one the
        // scraper found is not recorded, so the figure stays in extra.
        p.extra["tokens_per_second"] = *tps;
        note(c.account.unreadable, std::string(test) + "/tokens_per_second: input or total throughput (the scraper "
                                   "does not say which); kept in extra");
      }
      if (const Json* lat = tf.raw("latency"); lat && lat->is_object()) {
        Fields lf(*lat, std::string(test) + "/latency/", c.account);
        p.ttft_ms = lf.stat("ttft", "_ms");
        p.tpot_ms = lf.stat("tpot", "_ms");
        p.itl_ms = lf.stat("itl", "_ms");
        for (model::Stat* s : {&p.ttft_ms, &p.tpot_ms, &p.itl_ms}) {
          if (s->mean == 0.0 && s->median == 0.0) {
            *s = {};
            note(c.account.unreadable, std::string(test) + "/latency: all 0.0 (the scraper did not capture them)");
          }
        }
      }
      Json rest = tf.rest();
      for (auto it = rest.begin(); it != rest.end(); ++it) p.extra[it.key()] = *it;
      r.points.push_back(std::move(p));
      if (std::string(test) == "decode" && quality.is_object()) add_quality(quality, r);
      c.reports.push_back(std::move(r));
    }
    Json rest = f.rest();
    if (!rest.empty() && !c.reports.empty()) c.reports.back().extra = rest;
  }

  static void add_quality(const Json& accuracy, model::Report& r) {
    for (auto it = accuracy.begin(); it != accuracy.end(); ++it) {
      if (!it->is_object()) continue;
      for (const char* metric : {"prompt_level_accuracy", "instruction_level_accuracy"}) {
        if (it->contains(metric) && it->at(metric).is_number()) {
          model::QualityResult q;
          q.task = it.key();
          q.metric = metric;
          q.score = it->at(metric).get<double>();
          r.quality.push_back(q);
        }
      }
    }
  }

  void sweep(const Source& source, const Json& j, Conversion& c) const {
    Fields f(j, "", c.account);
    model::Report base = new_report(source, name(), "token-labs sweep (scraped vllm bench serve + DCGM)");
    sweep_system(f, base);
    base.workload.arrival = "concurrency";
    if (const Json* combos = f.raw("combos"); combos && combos->is_object()) {
      for (auto it = combos->begin(); it != combos->end(); ++it) {
        model::Report r = base;
        const Json& combo = *it;
        Fields cf(combo, "combos{}/", c.account);
        r.workload.input_len = cf.integer("isl");
        r.workload.output_len = cf.integer("osl");
        r.workload.dataset = cf.text("dataset");
        r.workload.benchmark = "serving";  // the lengths are part of the configuration key
        if (r.workload.input_len == 0 && r.workload.dataset.empty()) r.workload.dataset = it.key();
        if (r.workload.input_len == 0) r.workload.benchmark = "serving-" + strings::slug(it.key());
        r.workload.extra["combo"] = it.key();
        if (const Json* levels = cf.raw("levels"); levels && levels->is_array()) {
          for (const Json& l : *levels) r.points.push_back(level(l, c.account));
        }
        r.workload.extra.update(cf.rest());
        if (!r.points.empty()) c.reports.push_back(std::move(r));
      }
    } else if (const Json* levels = f.raw("levels"); levels && levels->is_array()) {
      model::Report r = base;
      r.workload.benchmark = "serving";
      for (const Json& l : *levels) r.points.push_back(level(l, c.account));
      r.provenance.target = f.text("base_url");
      if (!r.points.empty()) c.reports.push_back(std::move(r));
    }
    if (!c.reports.empty()) {
      const Json rest = f.rest();
      for (model::Report& r : c.reports) r.extra = rest;
    }
  }

  // v3 live_benchmarks and the v2 tracker: one report per experiment that has numbers.
  void tracker(const Source& source, const Json& j, Conversion& c) const {
    Fields f(j, "", c.account);
    Json hardware = Json::object();
    if (const Json* meta = f.raw("meta"); meta && meta->is_object() && meta->contains("hardware")) hardware = meta->at("hardware");
    const auto experiment = [&](const Json& e, const Json& group, const std::string& run_date) {
      if (!e.is_object() || (e.value("throughput_tok_s", Json()).is_null() && e.value("ttft_p50_ms", Json()).is_null())) return;
      Fields ef(e, "experiments[]/", c.account);
      model::Report r = new_report(source, name(), "token-labs live benchmark");
      set_run_time(r, run_date);
      const std::string id = ef.text("id");
      if (!id.empty()) r.provenance.run_id += "-" + strings::slug(id);
      r.system.model.id = ef.text("model");
      if (r.system.model.id.empty()) r.system.model.id = string_or_empty(group, "model");
      precision_from_name(r.system.model.id, r.system.model);
      r.system.engine.name = ef.text("framework");
      r.system.host = ef.text("node");
      r.system.gpu.model = string_or_empty(hardware, "gpu");
      if (hardware.contains("memory_gb") && hardware.at("memory_gb").is_number()) r.system.gpu.memory_gb = hardware.at("memory_gb").get<double>();
      r.system.extra["hardware"] = finite_copy(hardware);
      r.workload.benchmark = "serving";
      r.workload.output_len = ef.integer("max_tokens");
      const std::string status = ef.text("status");
      if (status != "completed" && !status.empty()) r.status = "incomplete", r.status_detail = "status: " + status;
      model::Point p = level(e, c.account);
      p.concurrency = group.contains("concurrency") && group.at("concurrency").is_number_integer()
                          ? std::optional<long long>(group.at("concurrency").get<long long>()) : std::nullopt;
      if (const auto errors = ef.integer("errors"); errors && p.completed) {
        p.failed = errors;
        *p.completed -= *errors;
      }
      r.workload.arrival = p.concurrency ? "concurrency" : "";
      p.extra.update(ef.rest());
      p.extra.erase("errors");
      r.points.push_back(std::move(p));
      r.workload.extra["description"] = string_or_empty(group, "description");
      c.reports.push_back(std::move(r));
    };
    if (const Json* live = f.raw("live_benchmarks"); live && live->is_object() && live->contains("experiments")) {
      for (const Json& e : live->at("experiments")) experiment(e, *live, string_or_empty(*live, "run_date"));
    }
    if (const Json* groups = f.raw("experiment_groups"); groups && groups->is_object()) {
      for (auto g = groups->begin(); g != groups->end(); ++g) {
        if (!g->is_object() || !g->contains("experiments") || !g->at("experiments").is_array()) continue;
        for (const Json& e : g->at("experiments")) experiment(e, *g, "");
      }
    }
    f.rest();
  }
};

}  // namespace

std::unique_ptr<Importer> make_token_labs_importer() { return std::make_unique<TokenLabsImporter>(); }

}  // namespace sitegen::ingest
