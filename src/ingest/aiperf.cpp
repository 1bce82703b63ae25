// NVIDIA genai-perf `profile_export_genai_perf.json`, AIPerf `profile_export_aiperf.json` (the
// early `records` layout and schema 1.x) and AIPerf's per-request `profile_export.jsonl`.
// FORMATS.md section 6. AIPerf's inter_token_latency is vLLM's TPOT; inter_chunk_latency, pooled
// over chunks, is vLLM's ITL.
//
// genai-perf, checked against real exports (tests/data/genai-perf, genai-perf 2025 config
// layout): FORMATS.md's description holds for the metric objects (ms in that version; the 2024
// releases wrote "ns", which to_ms scales), but not for input_config: `model_names` sits at the
// top of input_config, not under `endpoint`, and the endpoint path is `endpoint.custom`. A
// non-streaming run (`endpoint.streaming: false`) writes time_to_first_token equal to
// request_latency, field for field: it is not a TTFT, so it stays in extra.

#include <cmath>

#include "ingest/crosscheck.hpp"
#include "ingest/fields.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace sitegen::ingest {

namespace {

// Scale from a metric object's unit to ms (latencies) or 1 (everything else).
std::optional<double> to_ms(const std::string& unit) {
  if (unit == "ms") return 1.0;
  if (unit == "sec" || unit == "s") return 1000.0;
  if (unit == "us") return 1e-3;
  if (unit == "ns") return 1e-6;
  return std::nullopt;
}

// A metric object {unit, avg, min, max, std, p1..p99, count} -> Stat.
model::Stat metric_stat(const Json& m, double scale) {
  model::Stat s;
  const auto num = [&](const char* key) -> std::optional<double> {
    if (m.contains(key) && m.at(key).is_number() && std::isfinite(m.at(key).get<double>())) {
      return m.at(key).get<double>() * scale;
    }
    return std::nullopt;
  };
  s.mean = num("avg");
  s.min = num("min");
  s.max = num("max");
  s.std = num("std");
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (const auto p = percent_of(it.key()); p && it->is_number()) s.set_percentile(*p, it->get<double>() * scale);
  }
  if (const auto p50 = s.percentile(50)) s.median = p50;
  if (m.contains("count") && m.at("count").is_number_integer()) s.count = m.at("count").get<long long>();
  return s;
}

std::optional<double> avg_of(const Json* m) {
  if (!m || !m->is_object() || !m->contains("avg") || !m->at("avg").is_number()) return std::nullopt;
  return m->at("avg").get<double>();
}

// Reads the metric objects (top level or under `records`) into a point; metrics not read here
// stay in extra.
void read_metrics(Fields& f, model::Point& p, bool genai_perf) {
  const auto latency = [&](const char* key, model::Stat& out) {
    const Json* m = f.raw(key);
    if (!m) return;
    const std::string unit = m->is_object() ? string_or_empty(*m, "unit") : "";
    const auto scale = to_ms(unit);
    if (!m->is_object() || !scale) {
      f.unreadable(key, "expected a metric object with a time unit, got unit '" + unit + "'");
      return;
    }
    out = metric_stat(*m, *scale);
  };
  latency(genai_perf ? "time_to_first_token" : f.has("ttft") ? "ttft" : "time_to_first_token", p.ttft_ms);
  latency("inter_token_latency", p.tpot_ms);  // per request (latency - ttft) / (osl - 1): vLLM's TPOT
  latency("inter_chunk_latency", p.itl_ms);   // every chunk gap, pooled: vLLM's ITL
  latency("request_latency", p.e2el_ms);
  for (const char* key : {"output_token_throughput_per_user", "output_token_throughput_per_request"}) {
    if (const Json* m = f.raw(key); m && m->is_object()) p.interactivity_tps = metric_stat(*m, 1);
  }
  p.request_throughput_rps = avg_of(f.raw("request_throughput"));
  p.output_throughput_tps = avg_of(f.raw("output_token_throughput"));
  p.input_throughput_tps = avg_of(f.raw("input_token_throughput"));
  p.total_throughput_tps = avg_of(f.raw("total_token_throughput"));
  p.goodput_rps = avg_of(f.raw("request_goodput"));
  if (const auto n = avg_of(f.raw("request_count"))) p.completed = checked_count(*n);
  if (const auto n = avg_of(f.raw("error_request_count"))) p.failed = checked_count(*n);
  if (const Json* d = f.raw("benchmark_duration")) {
    const auto scale = d->is_object() ? to_ms(string_or_empty(*d, "unit")) : std::nullopt;
    if (const auto v = avg_of(d); v && scale) p.duration_s = *v * *scale / 1000;
  }
  if (const auto n = avg_of(f.raw("total_isl"))) p.input_tokens = checked_count(*n);
  if (const auto n = avg_of(f.raw("total_osl"))) p.output_tokens = checked_count(*n);
}

void read_nominal_lengths(const Json& cfg, model::Workload& w);

// input_config: concurrency or request rate, model, endpoint (both layouts).
void read_input_config(Fields& f, model::Report& r, model::Point& p, bool genai_perf) {
  const Json* cfg = f.raw("input_config");
  if (!cfg || !cfg->is_object()) return;
  // genai-perf's input_config also names the run's own load and artifact paths, so it is kept
  // per point: runs of one sweep then share a workload and combine.
  (genai_perf ? p.extra : r.workload.extra)["input_config"] = finite_copy(*cfg);
  const Json empty = Json::object();
  const auto obj = [&](const Json& j, const char* key) -> const Json& {
    return j.contains(key) && j.at(key).is_object() ? j.at(key) : empty;
  };
  const Json& loadgen = obj(*cfg, "loadgen");
  const Json& stimulus = obj(obj(*cfg, "perf_analyzer"), "stimulus");
  for (const Json* j : {&loadgen, &stimulus, cfg}) {
    if (!p.concurrency && j->contains("concurrency") && j->at("concurrency").is_number_integer()) {
      p.concurrency = j->at("concurrency").get<long long>();
    }
    if (!p.request_rate_rps && j->contains("request_rate") && j->at("request_rate").is_number()) {
      p.request_rate_rps = j->at("request_rate").get<double>();
    }
  }
  r.workload.arrival = p.concurrency ? "concurrency" : p.request_rate_rps ? "rate" : "";
  const Json& endpoint = obj(*cfg, "endpoint");
  // The first model name: endpoint.model_names (AIPerf), model_names (genai-perf 2025) or model
  // (genai-perf 2024, flat CLI arguments).
  for (const auto& [j, key] : {std::pair{&endpoint, "model_names"}, {cfg, "model_names"}, {cfg, "model"}}) {
    if (!r.system.model.id.empty() || !j->contains(key)) continue;
    const Json& names = j->at(key);
    if (names.is_array() && !names.empty() && names.front().is_string()) r.system.model.id = names.front().get<std::string>();
    else if (names.is_string()) r.system.model.id = names.get<std::string>();
  }
  const std::string custom = endpoint.contains("custom") && endpoint.at("custom").is_string() ? endpoint.at("custom").get<std::string>() : "";
  std::string type = string_or_empty(endpoint, "type");
  if (type.empty() && cfg->contains("endpoint_type") && cfg->at("endpoint_type").is_string()) {
    type = cfg->at("endpoint_type").get<std::string>();
  }
  if (!custom.empty()) r.workload.endpoint = custom.starts_with("/") ? custom : "/" + custom;
  else if (type == "chat") r.workload.endpoint = "/v1/chat/completions";
  else if (type == "completions") r.workload.endpoint = "/v1/completions";
  read_nominal_lengths(*cfg, r.workload);
}

// genai-perf's requested synthetic lengths: input.synthetic_tokens / input.output_tokens (2025)
// or synthetic_input_tokens_mean / output_tokens_mean (2024). Unset means are "" or -1.
void read_nominal_lengths(const Json& cfg, model::Workload& w) {
  const auto whole = [](const Json& j, const char* key) -> std::optional<long long> {
    if (!j.is_object() || !j.contains(key) || !j.at(key).is_number_integer()) return std::nullopt;
    const long long v = j.at(key).get<long long>();
    return v > 0 ? std::optional<long long>(v) : std::nullopt;
  };
  const Json empty = Json::object();
  const Json& input = cfg.contains("input") && cfg.at("input").is_object() ? cfg.at("input") : empty;
  const auto mean_of = [&](const char* key) { return input.contains(key) ? whole(input.at(key), "mean") : std::nullopt; };
  w.input_len = mean_of("synthetic_tokens");
  if (!w.input_len) w.input_len = whole(cfg, "synthetic_input_tokens_mean");
  w.output_len = mean_of("output_tokens");
  if (!w.output_len) w.output_len = whole(cfg, "output_tokens_mean");
}

// input_config says whether responses were streamed: endpoint.streaming (2025) or streaming
// (2024). nullopt when it does not say.
std::optional<bool> streaming_of(const Json& j) {
  if (!j.contains("input_config") || !j.at("input_config").is_object()) return std::nullopt;
  const Json& cfg = j.at("input_config");
  if (cfg.contains("endpoint") && cfg.at("endpoint").is_object() && cfg.at("endpoint").contains("streaming") &&
      cfg.at("endpoint").at("streaming").is_boolean()) {
    return cfg.at("endpoint").at("streaming").get<bool>();
  }
  if (cfg.contains("streaming") && cfg.at("streaming").is_boolean()) return cfg.at("streaming").get<bool>();
  return std::nullopt;
}

// Per-request records of AIPerf's profile_export.jsonl -> samples (successful requests only).
void records_to_samples(const std::vector<StreamValue>& values, model::Point& p, long long& errors,
                        std::optional<double>& first_ns) {
  const auto value = [](const Json& metrics, const char* key) -> const Json* {
    if (!metrics.contains(key) || !metrics.at(key).is_object() || !metrics.at(key).contains("value")) return nullptr;
    return &metrics.at(key).at("value");
  };
  for (const StreamValue& v : values) {
    const Json& rec = v.value;
    if (!rec.is_object()) continue;
    if (rec.contains("metadata") && rec.at("metadata").is_object()) {
      const Json& md = rec.at("metadata");
      if (md.contains("timestamp_ns") && md.at("timestamp_ns").is_number()) {
        const double ns = md.at("timestamp_ns").get<double>();
        if (!first_ns || ns < *first_ns) first_ns = ns;
      }
    }
    if (rec.contains("error") && !rec.at("error").is_null()) {
      ++errors;
      continue;
    }
    if (!rec.contains("metrics") || !rec.at("metrics").is_object()) continue;
    const Json& m = rec.at("metrics");
    model::Samples& s = p.samples;
    if (const Json* x = value(m, "ttft"); x && x->is_number()) s.ttft_ms.push_back(x->get<double>());
    if (const Json* x = value(m, "inter_token_latency"); x && x->is_number()) s.tpot_ms.push_back(x->get<double>());
    if (const Json* x = value(m, "request_latency"); x && x->is_number()) s.e2el_ms.push_back(x->get<double>());
    if (const Json* x = value(m, "inter_chunk_latency"); x && x->is_array()) {
      for (const Json& g : *x) {
        if (g.is_number()) s.itl_ms.push_back(g.get<double>());
      }
    }
    // An unreadable count leaves the samples unaligned, which the report's validation refuses.
    if (const Json* x = value(m, "input_sequence_length"); x && x->is_number()) {
      if (const auto n = checked_count(x->get<double>())) s.input_tokens.push_back(*n);
    }
    if (const Json* x = value(m, "output_sequence_length"); x && x->is_number()) {
      if (const auto n = checked_count(x->get<double>())) s.output_tokens.push_back(*n);
    }
  }
}

std::string records_detect(const Json& j) {
  if (!j.is_object()) return "not a JSON object";
  if (!j.contains("metadata") || !j.contains("metrics")) return "lacks `metadata` and `metrics`";
  if (!j.at("metadata").is_object() || !j.at("metadata").contains("x_request_id")) return "no `metadata.x_request_id`";
  return "";
}

class SummaryImporter : public Importer {
 public:
  explicit SummaryImporter(bool genai_perf) : m_genai_perf(genai_perf) {}
  std::string name() const override { return m_genai_perf ? "genai-perf" : "aiperf"; }
  std::string description() const override {
    return m_genai_perf ? "NVIDIA genai-perf profile_export_genai_perf.json"
                        : "NVIDIA AIPerf profile_export_aiperf.json (early `records` layout and schema 1.x; reads "
                          "profile_export.jsonl beside it for the cross-check)";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    const bool aiperf = j.contains("schema_version") || j.contains("aiperf_version") ||
                        (j.contains("records") && j.at("records").is_object());
    if (m_genai_perf) {
      if (aiperf) return "an AIPerf export (schema_version/records)";
      if (!j.contains("time_to_first_token") || !j.at("time_to_first_token").is_object()) {
        return "lacks a `time_to_first_token` metric object";
      }
      return j.contains("input_config") ? "" : "lacks `input_config`";
    }
    if (!aiperf) return "lacks `schema_version`/`aiperf_version` and `records`";
    return "";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& j = source.values.front().value;
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not a " + name() + " export: " + why);
    model::Report r = new_report(source, name(), m_genai_perf ? "genai-perf" : "aiperf");
    Fields top(j, "", c.account);
    model::Point p;
    r.workload.benchmark = "serving";
    r.provenance.tool_version = top.text("aiperf_version");
    const bool early = j.contains("records") && j.at("records").is_object();
    if (early) {
      Fields rec(j.at("records"), "records/", c.account);
      read_metrics(rec, p, false);
      p.extra["records"] = rec.rest();
      top.take("records");
    } else {
      read_metrics(top, p, m_genai_perf);
    }
    if (m_genai_perf && streaming_of(j) == false) {
      p.ttft_ms = {};
      p.extra["time_to_first_token"] = finite_copy(j.at("time_to_first_token"));
      std::erase(c.account.mapped, "time_to_first_token");
      note(c.account.extra, "time_to_first_token");
      note(c.account.warnings, source.file + ": time_to_first_token: not streamed (input_config says streaming "
                               "false), so genai-perf's TTFT is the whole request latency; kept in extra, not as TTFT");
    }
    read_input_config(top, r, p, m_genai_perf);
    precision_from_name(r.system.model.id, r.system.model);
    const std::string start = top.text("start_time");
    if (const std::string id = run_id_from_text(start); !id.empty()) r.provenance.run_id = id;
    r.provenance.started_at = iso_if_utc(start);
    r.provenance.ended_at = iso_if_utc(top.text("end_time"));
    attach_records(source, p, c.account);
    Json rest = top.rest();
    for (auto it = rest.begin(); it != rest.end(); ++it) p.extra[it.key()] = *it;
    r.points.push_back(std::move(p));
    c.reports.push_back(std::move(r));
    return c;
  }

 private:
  // profile_export.jsonl beside profile_export_aiperf.json: per-request samples to cross-check.
  void attach_records(const Source& source, model::Point& p, Account& account) const {
    const std::string name = source.path.filename().string();
    const std::string tail = "profile_export_aiperf.json";
    if (!name.ends_with(tail)) return;
    const std::filesystem::path companion =
        source.path.parent_path() / (name.substr(0, name.size() - tail.size()) + "profile_export.jsonl");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(companion, ec)) return;
    const std::string file = companion.generic_string();
    const std::vector<StreamValue> values = read_values(files::read(companion), file);
    if (!records_detect(values.front().value).empty()) return;
    long long errors = 0;
    std::optional<double> first_ns;
    records_to_samples(values, p, errors, first_ns);
    note(account.consumed, file);
    account.cross_checked += cross_check(p, 0, source.file + " vs " + file, {}, account.warnings);
  }

  bool m_genai_perf;
};

class RecordsImporter : public Importer {
 public:
  std::string name() const override { return "aiperf-records"; }
  std::string description() const override {
    return "NVIDIA AIPerf per-request profile_export.jsonl (summaries recomputed from the records)";
  }
  std::string detect(const Json& j) const override { return records_detect(j); }
  Conversion convert(const Source& source) const override {
    Conversion c;
    if (const std::string why = detect(source.values.front().value); !why.empty()) {
      throw Error(source.file + ": not AIPerf records: " + why);
    }
    model::Report r = new_report(source, name(), "aiperf");
    r.workload.benchmark = "serving";
    model::Point p;
    long long errors = 0;
    std::optional<double> first_ns;
    records_to_samples(source.values, p, errors, first_ns);
    p.completed = static_cast<long long>(source.values.size()) - errors;
    p.failed = errors;
    p.input_tokens = 0;
    for (const long long t : p.samples.input_tokens) *p.input_tokens += t;
    p.output_tokens = 0;
    for (const long long t : p.samples.output_tokens) *p.output_tokens += t;
    fill_from_samples(p);
    if (first_ns) {
      r.provenance.run_id = run_id_from_unix(*first_ns / 1e9);
      r.provenance.started_at = iso_from_unix(*first_ns / 1e9);
    }
    note(c.account.mapped, "metrics/ttft, inter_token_latency, inter_chunk_latency, request_latency, "
                           "input_sequence_length, output_sequence_length (per request)");
    note(c.account.unreadable, "metadata and other per-request metrics: summarised, not kept per request");
    note(c.account.unreadable, "load level: the records do not say the concurrency (import the "
                               "profile_export_aiperf.json beside them)");
    r.points.push_back(std::move(p));
    c.reports.push_back(std::move(r));
    return c;
  }
};

}  // namespace

std::unique_ptr<Importer> make_aiperf_importer() { return std::make_unique<SummaryImporter>(false); }
std::unique_ptr<Importer> make_genai_perf_importer() { return std::make_unique<SummaryImporter>(true); }
std::unique_ptr<Importer> make_aiperf_records_importer() { return std::make_unique<RecordsImporter>(); }

}  // namespace sitegen::ingest
