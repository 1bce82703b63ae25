#include "model/report.hpp"

#include <algorithm>
#include <cmath>

#include "util/error.hpp"
#include "util/format.hpp"

namespace sitegen::model {

namespace {

// ---- writing: leave out what is unknown, so absent means "not measured" ----

void put(Json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
void put(Json& j, const char* key, const std::optional<double>& v) {
  if (v && std::isfinite(*v)) j[key] = *v;
}
void put(Json& j, const char* key, const std::optional<long long>& v) {
  if (v) j[key] = *v;
}
void put(Json& j, const char* key, const std::optional<bool>& v) {
  if (v) j[key] = *v;
}
void put(Json& j, const char* key, const Json& v) {
  if (!v.is_null() && !v.empty()) j[key] = v;
}
void put(Json& j, const char* key, const Stat& s) {
  if (!s.empty()) j[key] = stat_to_json(s);
}
template <typename T>
void put_array(Json& j, const char* key, const std::vector<T>& v) {
  if (!v.empty()) j[key] = v;
}

// ---- reading: the document was validated, but a wrong type still gets a clear error ----

class Reader {
 public:
  Reader(const Json& j, std::string where, const std::string& file)
      : m_j(j), m_where(std::move(where)), m_file(file) {}
  // The member `key` of `parent` (which must outlive it). Its JSON pointer is only spelled out
  // for an error: reading a report visits hundreds of members and almost all of them are fine.
  Reader(const Json& j, const Reader& parent, const char* key, const std::string& file)
      : m_j(j), m_parent(&parent), m_key(key), m_file(file) {}

  // A plain loop over the members: the keys are literals, so comparing lengths first rules
  // out most members without touching their bytes.
  const Json* find(std::string_view key) const {
    if (!m_j.is_object()) return nullptr;
    for (const auto& [name, value] : m_j.get_ref<const Json::object_t&>()) {
      if (name == key) return value.is_null() ? nullptr : &value;
    }
    return nullptr;
  }
  std::string where() const { return m_parent ? m_parent->at(m_key) : m_where; }
  std::string at(const char* key) const { return where() + "/" + key; }
  [[noreturn]] void fail(const char* key, const char* expected) const {
    throw Error((m_file.empty() ? "" : m_file + ": ") + at(key) + ": expected " + expected);
  }
  void get(const char* key, std::string& out) const {
    if (const Json* v = find(key)) {
      if (!v->is_string()) fail(key, "a string");
      out = v->get<std::string>();
    }
  }
  void get(const char* key, std::optional<double>& out) const {
    if (const Json* v = find(key)) {
      if (!v->is_number()) fail(key, "a number");
      out = v->get<double>();
    }
  }
  void get(const char* key, std::optional<long long>& out) const {
    if (const Json* v = find(key)) {
      if (!v->is_number()) fail(key, "an integer");
      const double d = v->get<double>();
      if (d != std::floor(d)) fail(key, "an integer");
      out = v->is_number_integer() ? v->get<long long>() : static_cast<long long>(d);
    }
  }
  void get(const char* key, long long& out) const {
    std::optional<long long> v;
    get(key, v);
    if (v) out = *v;
  }
  void get(const char* key, std::optional<bool>& out) const {
    if (const Json* v = find(key)) {
      if (!v->is_boolean()) fail(key, "true or false");
      out = v->get<bool>();
    }
  }
  void get(const char* key, bool& out) const {
    std::optional<bool> v;
    get(key, v);
    if (v) out = *v;
  }
  void get(const char* key, Json& out) const {
    if (const Json* v = find(key)) {
      if (!v->is_object()) fail(key, "an object");
      out = *v;
    }
  }
  template <typename T>
  void get_array(const char* key, std::vector<T>& out) const {
    if (const Json* v = find(key)) {
      if (!v->is_array()) fail(key, "an array");
      try {
        out = v->get<std::vector<T>>();
      } catch (const nlohmann::json::exception&) {
        fail(key, "an array of numbers");
      }
    }
  }
  Reader child(const char* key) const {
    static const Json k_empty = Json::object();
    const Json* v = find(key);
    if (v && !v->is_object()) fail(key, "an object");
    return Reader(v ? *v : k_empty, *this, key, m_file);
  }
  const Json& json() const { return m_j; }
  const std::string& file() const { return m_file; }

 private:
  const Json& m_j;
  std::string m_where;
  const Reader* m_parent = nullptr;
  const char* m_key = nullptr;
  const std::string& m_file;
};

bool is_percentile_key(const std::string& key, double& percent) {
  if (key.size() < 2 || key[0] != 'p') return false;
  const std::string rest = key.substr(1);
  if (rest.find_first_not_of("0123456789.") != std::string::npos) return false;
  if (rest.front() == '.' || rest.back() == '.') return false;
  if (std::count(rest.begin(), rest.end(), '.') > 1) return false;
  percent = std::stod(rest);
  return percent >= 0 && percent <= 100;
}

Json samples_to_json(const Samples& s) {
  Json j = Json::object();
  put_array(j, "ttft_ms", s.ttft_ms);
  put_array(j, "tpot_ms", s.tpot_ms);
  put_array(j, "itl_ms", s.itl_ms);
  put_array(j, "e2el_ms", s.e2el_ms);
  put_array(j, "input_tokens", s.input_tokens);
  put_array(j, "output_tokens", s.output_tokens);
  return j;
}

Json telemetry_to_json(const Telemetry& t) {
  Json j = Json::object();
  put(j, "avg_power_w", t.avg_power_w);
  put(j, "energy_j", t.energy_j);
  put(j, "joules_per_token", t.joules_per_token);
  put(j, "peak_memory_gb", t.peak_memory_gb);
  put(j, "avg_gpu_util_pct", t.avg_gpu_util_pct);
  put(j, "source", t.source);
  return j;
}

Json point_to_json(const Point& p) {
  Json j = Json::object();
  put(j, "concurrency", p.concurrency);
  if (p.request_rate_inf) j["request_rate_rps"] = "inf";
  else put(j, "request_rate_rps", p.request_rate_rps);
  put(j, "burstiness", p.burstiness);
  put(j, "duration_s", p.duration_s);
  put(j, "completed", p.completed);
  put(j, "failed", p.failed);
  put(j, "input_tokens", p.input_tokens);
  put(j, "output_tokens", p.output_tokens);
  put(j, "request_throughput_rps", p.request_throughput_rps);
  put(j, "input_throughput_tps", p.input_throughput_tps);
  put(j, "output_throughput_tps", p.output_throughput_tps);
  put(j, "total_throughput_tps", p.total_throughput_tps);
  put(j, "ttft_ms", p.ttft_ms);
  put(j, "tpot_ms", p.tpot_ms);
  put(j, "itl_ms", p.itl_ms);
  put(j, "e2el_ms", p.e2el_ms);
  put(j, "interactivity_tps", p.interactivity_tps);
  if (!p.errors.empty()) j["errors"] = p.errors;
  put(j, "slo_held", p.slo_held);
  put(j, "goodput_rps", p.goodput_rps);
  put(j, "telemetry", telemetry_to_json(p.telemetry));
  put(j, "samples", samples_to_json(p.samples));
  put(j, "extra", p.extra);
  return j;
}

// Messages name the pointer without the file, as stat_from_json's always have.
Stat stat_from(const Reader& r) {
  const Json& json = r.json();
  if (!json.is_object()) throw Error(r.where() + ": expected an object of statistics");
  Stat s;
  r.get("mean", s.mean);
  r.get("median", s.median);
  r.get("std", s.std);
  r.get("min", s.min);
  r.get("max", s.max);
  r.get("count", s.count);
  r.get("definition", s.definition);
  for (auto it = json.begin(); it != json.end(); ++it) {
    double percent = 0;
    if (is_percentile_key(it.key(), percent)) {
      if (!it->is_number()) throw Error(r.where() + "/" + it.key() + ": expected a number");
      s.set_percentile(percent, it->get<double>());
    }
  }
  return s;
}

Point point_from_json(const Reader& r) {
  Point p;
  r.get("concurrency", p.concurrency);
  if (const Json* rate = r.find("request_rate_rps")) {
    if (rate->is_string() && rate->get<std::string>() == "inf") p.request_rate_inf = true;
    else r.get("request_rate_rps", p.request_rate_rps);
  }
  r.get("burstiness", p.burstiness);
  r.get("duration_s", p.duration_s);
  r.get("completed", p.completed);
  r.get("failed", p.failed);
  r.get("input_tokens", p.input_tokens);
  r.get("output_tokens", p.output_tokens);
  r.get("request_throughput_rps", p.request_throughput_rps);
  r.get("input_throughput_tps", p.input_throughput_tps);
  r.get("output_throughput_tps", p.output_throughput_tps);
  r.get("total_throughput_tps", p.total_throughput_tps);
  static const std::string k_no_file;
  const auto stat = [&](const char* key, Stat& out) {
    if (const Json* v = r.find(key)) out = stat_from(Reader(*v, r, key, k_no_file));
  };
  stat("ttft_ms", p.ttft_ms);
  stat("tpot_ms", p.tpot_ms);
  stat("itl_ms", p.itl_ms);
  stat("e2el_ms", p.e2el_ms);
  stat("interactivity_tps", p.interactivity_tps);
  if (const Json* e = r.find("errors")) {
    if (!e->is_object()) r.fail("errors", "an object of counts");
    for (auto it = e->begin(); it != e->end(); ++it) {
      if (!it->is_number_integer()) r.fail("errors", "an object of integer counts");
      p.errors[it.key()] = it->get<long long>();
    }
  }
  r.get("slo_held", p.slo_held);
  r.get("goodput_rps", p.goodput_rps);
  const Reader t = r.child("telemetry");
  t.get("avg_power_w", p.telemetry.avg_power_w);
  t.get("energy_j", p.telemetry.energy_j);
  t.get("joules_per_token", p.telemetry.joules_per_token);
  t.get("peak_memory_gb", p.telemetry.peak_memory_gb);
  t.get("avg_gpu_util_pct", p.telemetry.avg_gpu_util_pct);
  t.get("source", p.telemetry.source);
  const Reader s = r.child("samples");
  s.get_array("ttft_ms", p.samples.ttft_ms);
  s.get_array("tpot_ms", p.samples.tpot_ms);
  s.get_array("itl_ms", p.samples.itl_ms);
  s.get_array("e2el_ms", p.samples.e2el_ms);
  s.get_array("input_tokens", p.samples.input_tokens);
  s.get_array("output_tokens", p.samples.output_tokens);
  r.get("extra", p.extra);
  return p;
}

}  // namespace

bool Stat::empty() const {
  return !mean && !median && !std && !min && !max && percentiles.empty();
}

std::optional<double> Stat::percentile(double percent) const {
  for (const auto& [p, v] : percentiles) {
    if (p == percent) return v;
  }
  if (percent == 50) return median;
  return std::nullopt;
}

void Stat::set_percentile(double percent, double value) {
  for (auto& [p, v] : percentiles) {
    if (p == percent) {
      v = value;
      return;
    }
  }
  percentiles.emplace_back(percent, value);
  std::sort(percentiles.begin(), percentiles.end());
}

bool Samples::empty() const {
  return ttft_ms.empty() && tpot_ms.empty() && itl_ms.empty() && e2el_ms.empty() &&
         input_tokens.empty() && output_tokens.empty();
}

bool Telemetry::empty() const {
  return !avg_power_w && !energy_j && !peak_memory_gb && !avg_gpu_util_pct && !joules_per_token;
}

long long Report::completed_requests() const {
  long long total = 0;
  for (const Point& p : points) total += p.completed.value_or(0);
  return total;
}

std::string percentile_key(double percent) {
  if (percent == std::floor(percent)) return "p" + std::to_string(static_cast<long long>(percent));
  return "p" + format::shortest(percent);
}

Json stat_to_json(const Stat& s) {
  Json j = Json::object();
  put(j, "mean", s.mean);
  put(j, "median", s.median);
  put(j, "std", s.std);
  put(j, "min", s.min);
  put(j, "max", s.max);
  for (const auto& [p, v] : s.percentiles) {
    if (std::isfinite(v)) j[percentile_key(p)] = v;
  }
  put(j, "count", s.count);
  put(j, "definition", s.definition);
  return j;
}

Stat stat_from_json(const Json& json, const std::string& where) {
  static const std::string k_no_file;
  return stat_from(Reader(json, where, k_no_file));
}

Json to_json(const Report& r) {
  Json j = Json::object();
  j["schema"] = r.schema;
  j["status"] = r.status;
  put(j, "status_detail", r.status_detail);

  const Provenance& pv = r.provenance;
  Json prov = Json::object();
  prov["tool"] = pv.tool;
  put(prov, "tool_version", pv.tool_version);
  put(prov, "source_file", pv.source_file);
  put(prov, "source_format", pv.source_format);
  put(prov, "source_url", pv.source_url);
  prov["run_id"] = pv.run_id;
  prov["attempt"] = pv.attempt;
  put(prov, "started_at", pv.started_at);
  put(prov, "ended_at", pv.ended_at);
  put(prov, "git_sha", pv.git_sha);
  put(prov, "git_ref", pv.git_ref);
  put(prov, "ci_provider", pv.ci_provider);
  put(prov, "ci_run_id", pv.ci_run_id);
  put(prov, "ci_attempt", pv.ci_attempt);
  put(prov, "ci_runner", pv.ci_runner);
  put(prov, "command", pv.command);
  put(prov, "target", pv.target);
  put(prov, "notes", pv.notes);
  put(prov, "extra", pv.extra);
  j["provenance"] = prov;

  const System& s = r.system;
  Json sys = Json::object();
  Json gpu = Json::object();
  put(gpu, "model", s.gpu.model);
  put(gpu, "count", s.gpu.count);
  put(gpu, "memory_gb", s.gpu.memory_gb);
  put(gpu, "driver", s.gpu.driver);
  put(gpu, "cuda", s.gpu.cuda);
  sys["gpu"] = gpu;
  put(sys, "host", s.host);
  Json engine = Json::object();
  put(engine, "name", s.engine.name);
  put(engine, "version", s.engine.version);
  put(engine, "image", s.engine.image);
  put_array(engine, "args", s.engine.args);
  sys["engine"] = engine;
  Json model = Json::object();
  put(model, "id", s.model.id);
  put(model, "revision", s.model.revision);
  put(model, "precision", s.model.precision);
  put(model, "quantization", s.model.quantization);
  sys["model"] = model;
  Json par = Json::object();
  put(par, "tp", s.parallelism.tp);
  put(par, "pp", s.parallelism.pp);
  put(par, "dp", s.parallelism.dp);
  put(par, "ep", s.parallelism.ep);
  if (s.parallelism.disaggregated) par["disaggregated"] = true;
  put(par, "prefill", s.parallelism.prefill);
  put(par, "decode", s.parallelism.decode);
  put(sys, "parallelism", par);
  put(sys, "extra", s.extra);
  j["system"] = sys;

  const Workload& w = r.workload;
  Json wl = Json::object();
  put(wl, "benchmark", w.benchmark);
  put(wl, "dataset", w.dataset);
  put(wl, "endpoint", w.endpoint);
  put(wl, "input_len", w.input_len);
  put(wl, "output_len", w.output_len);
  put(wl, "arrival", w.arrival);
  put(wl, "num_prompts", w.num_prompts);
  put(wl, "num_warmups", w.num_warmups);
  Json slo = Json::object();
  put(slo, "ttft_ms", w.slo_ttft_ms);
  put(slo, "tpot_ms", w.slo_tpot_ms);
  put(wl, "slo", slo);
  put(wl, "extra", w.extra);
  j["workload"] = wl;

  Json points = Json::array();
  for (const Point& p : r.points) points.push_back(point_to_json(p));
  j["points"] = points;

  if (!r.quality.empty()) {
    Json q = Json::array();
    for (const QualityResult& x : r.quality) {
      Json e = Json::object();
      e["task"] = x.task;
      put(e, "metric", x.metric);
      put(e, "score", x.score);
      put(e, "baseline_score", x.baseline_score);
      put(e, "baseline_label", x.baseline_label);
      q.push_back(e);
    }
    j["quality"] = q;
  }
  if (!r.capacity.empty()) {
    Json c = Json::array();
    for (const CapacityResult& x : r.capacity) {
      Json e = Json::object();
      e["team_size"] = x.team_size;
      put(e, "slo_held", x.slo_held);
      put(e, "tokens_per_dev", x.tokens_per_dev);
      put(e, "median_ttft_ms", x.median_ttft_ms);
      put(e, "median_tps_per_user", x.median_tps_per_user);
      put(e, "extra", x.extra);
      c.push_back(e);
    }
    j["capacity"] = c;
  }
  put(j, "extra", r.extra);
  return j;
}

Report from_json(const Json& json, const std::string& file) {
  if (!json.is_object()) throw Error((file.empty() ? "" : file + ": ") + "expected a JSON object");
  const Reader r(json, "", file);
  Report out;
  r.get("schema", out.schema);
  r.get("status", out.status);
  r.get("status_detail", out.status_detail);

  const Reader pv = r.child("provenance");
  Provenance& p = out.provenance;
  pv.get("tool", p.tool);
  pv.get("tool_version", p.tool_version);
  pv.get("source_file", p.source_file);
  pv.get("source_format", p.source_format);
  pv.get("source_url", p.source_url);
  pv.get("run_id", p.run_id);
  pv.get("attempt", p.attempt);
  pv.get("started_at", p.started_at);
  pv.get("ended_at", p.ended_at);
  pv.get("git_sha", p.git_sha);
  pv.get("git_ref", p.git_ref);
  pv.get("ci_provider", p.ci_provider);
  pv.get("ci_run_id", p.ci_run_id);
  pv.get("ci_attempt", p.ci_attempt);
  pv.get("ci_runner", p.ci_runner);
  pv.get("command", p.command);
  pv.get("target", p.target);
  pv.get("notes", p.notes);
  pv.get("extra", p.extra);

  const Reader sys = r.child("system");
  System& s = out.system;
  const Reader gpu = sys.child("gpu");
  gpu.get("model", s.gpu.model);
  gpu.get("count", s.gpu.count);
  gpu.get("memory_gb", s.gpu.memory_gb);
  gpu.get("driver", s.gpu.driver);
  gpu.get("cuda", s.gpu.cuda);
  sys.get("host", s.host);
  const Reader engine = sys.child("engine");
  engine.get("name", s.engine.name);
  engine.get("version", s.engine.version);
  engine.get("image", s.engine.image);
  if (const Json* args = engine.find("args")) {
    if (!args->is_array()) engine.fail("args", "an array of strings");
    for (const Json& a : *args) {
      if (!a.is_string()) engine.fail("args", "an array of strings");
      s.engine.args.push_back(a.get<std::string>());
    }
  }
  const Reader model = sys.child("model");
  model.get("id", s.model.id);
  model.get("revision", s.model.revision);
  model.get("precision", s.model.precision);
  model.get("quantization", s.model.quantization);
  const Reader par = sys.child("parallelism");
  par.get("tp", s.parallelism.tp);
  par.get("pp", s.parallelism.pp);
  par.get("dp", s.parallelism.dp);
  par.get("ep", s.parallelism.ep);
  par.get("disaggregated", s.parallelism.disaggregated);
  par.get("prefill", s.parallelism.prefill);
  par.get("decode", s.parallelism.decode);
  sys.get("extra", s.extra);

  const Reader wl = r.child("workload");
  Workload& w = out.workload;
  wl.get("benchmark", w.benchmark);
  wl.get("dataset", w.dataset);
  wl.get("endpoint", w.endpoint);
  wl.get("input_len", w.input_len);
  wl.get("output_len", w.output_len);
  wl.get("arrival", w.arrival);
  wl.get("num_prompts", w.num_prompts);
  wl.get("num_warmups", w.num_warmups);
  const Reader slo = wl.child("slo");
  slo.get("ttft_ms", w.slo_ttft_ms);
  slo.get("tpot_ms", w.slo_tpot_ms);
  wl.get("extra", w.extra);

  if (const Json* points = r.find("points")) {
    if (!points->is_array()) r.fail("points", "an array");
    out.points.reserve(points->size());
    for (std::size_t i = 0; i < points->size(); ++i) {
      const Json& pj = (*points)[i];
      const std::string where = "/points/" + std::to_string(i);
      if (!pj.is_object()) throw Error((file.empty() ? "" : file + ": ") + where + ": expected an object");
      out.points.push_back(point_from_json(Reader(pj, where, file)));
    }
  }
  if (const Json* quality = r.find("quality")) {
    if (!quality->is_array()) r.fail("quality", "an array");
    for (std::size_t i = 0; i < quality->size(); ++i) {
      const Reader q((*quality)[i], "/quality/" + std::to_string(i), file);
      QualityResult x;
      q.get("task", x.task);
      q.get("metric", x.metric);
      q.get("score", x.score);
      q.get("baseline_score", x.baseline_score);
      q.get("baseline_label", x.baseline_label);
      out.quality.push_back(x);
    }
  }
  if (const Json* capacity = r.find("capacity")) {
    if (!capacity->is_array()) r.fail("capacity", "an array");
    for (std::size_t i = 0; i < capacity->size(); ++i) {
      const Reader c((*capacity)[i], "/capacity/" + std::to_string(i), file);
      CapacityResult x;
      c.get("team_size", x.team_size);
      c.get("slo_held", x.slo_held);
      c.get("tokens_per_dev", x.tokens_per_dev);
      c.get("median_ttft_ms", x.median_ttft_ms);
      c.get("median_tps_per_user", x.median_tps_per_user);
      c.get("extra", x.extra);
      out.capacity.push_back(x);
    }
  }
  r.get("extra", out.extra);
  return out;
}

std::string dump(const Report& report) { return to_json(report).dump(2) + "\n"; }

}  // namespace sitegen::model
