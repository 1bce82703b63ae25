// guidellm (v0.5) benchmarks.json: one point per benchmark (strategy). Its TPOT includes the
// first token and its TPOT/ITL distributions are token-weighted; with per-request records the
// vLLM TPOT is recomputed, else guidellm's is kept with its definition. FORMATS.md section 8.

#include <cmath>

#include "ingest/crosscheck.hpp"
#include "ingest/fields.hpp"
#include "util/error.hpp"

namespace sitegen::ingest {

namespace {

const char* k_tpot_definition = "guidellm: (last_token - request_start) / output_tokens, includes TTFT, token-weighted";
const char* k_itl_definition =
    "guidellm: per request (last_token - first_token) / (output_tokens - 1), token-weighted (not chunk gaps)";

const Json* path(const Json& j, std::initializer_list<const char*> keys) {
  const Json* node = &j;
  for (const char* k : keys) {
    if (!node->is_object() || !node->contains(k)) return nullptr;
    node = &node->at(k);
  }
  return node->is_null() ? nullptr : node;
}

// guidellm percentile keys: p001 = 0.1th, p01 = 1st, p05 = 5th, p999 = 99.9th.
std::optional<double> guidellm_percent(const std::string& key) {
  if (key.size() < 3 || key[0] != 'p') return std::nullopt;
  const std::string digits = key.substr(1);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const double v = std::stod(digits);
  if (digits.size() == 2) return v;
  if (digits.size() == 3) return v / 10;
  return std::nullopt;
}

model::Stat distribution(const Json* d, double scale) {
  model::Stat s;
  if (!d || !d->is_object()) return s;
  const auto num = [&](const char* key) -> std::optional<double> {
    if (d->contains(key) && d->at(key).is_number()) return d->at(key).get<double>() * scale;
    return std::nullopt;
  };
  s.mean = num("mean");
  s.median = num("median");
  s.std = num("std_dev");
  s.min = num("min");
  s.max = num("max");
  if (d->contains("count") && d->at("count").is_number_integer()) s.count = d->at("count").get<long long>();
  if (const Json* ps = path(*d, {"percentiles"}); ps && ps->is_object()) {
    for (auto it = ps->begin(); it != ps->end(); ++it) {
      if (const auto p = guidellm_percent(it.key()); p && it->is_number()) s.set_percentile(*p, it->get<double>() * scale);
    }
  }
  return s;
}

void load_of(const Json& strategy, model::Point& p, model::Workload& w) {
  const std::string type = string_or_empty(strategy, "type_");
  const auto integer = [&](const char* key) -> std::optional<long long> {
    if (strategy.contains(key) && strategy.at(key).is_number_integer()) return strategy.at(key).get<long long>();
    return std::nullopt;
  };
  if (type == "synchronous") p.concurrency = 1;
  else if (type == "concurrent") p.concurrency = integer("streams") ? integer("streams") : integer("max_concurrency");
  else if (type == "throughput") p.concurrency = integer("max_concurrency");
  else if ((type == "constant" || type == "poisson") && strategy.contains("rate") && strategy.at("rate").is_number()) {
    p.request_rate_rps = strategy.at("rate").get<double>();
    if (type == "poisson") p.burstiness = 1.0;
  }
  w.arrival = p.concurrency ? "concurrency" : p.request_rate_rps ? "rate" : "";
}

// guidellm's metrics cover the requests that overlap the measurement window (warm-up and
// cool-down requests are in the list but not in the metrics); the samples follow the same rule.
void samples_from_requests(const Json* requests, const Json* window, model::Samples& s) {
  if (!requests || !requests->is_array()) return;
  const auto time = [](const Json* j, const char* key) -> std::optional<double> {
    if (j && j->is_object() && j->contains(key) && j->at(key).is_number()) return j->at(key).get<double>();
    return std::nullopt;
  };
  const auto measure_start = time(window, "measure_start_time"), measure_end = time(window, "measure_end_time");
  for (const Json& r : *requests) {
    if (!r.is_object()) continue;
    const auto start = time(&r, "request_start_time"), end = time(&r, "request_end_time");
    if (measure_start && end && *end < *measure_start) continue;
    if (measure_end && start && *start > *measure_end) continue;
    const auto num = [&](const char* key) -> std::optional<double> {
      if (r.contains(key) && r.at(key).is_number()) return r.at(key).get<double>();
      return std::nullopt;
    };
    const auto ttft = num("time_to_first_token_ms"), latency = num("request_latency"),
               itl = num("inter_token_latency_ms"), in = num("prompt_tokens"), out = num("output_tokens");
    if (ttft) s.ttft_ms.push_back(*ttft);
    if (latency) s.e2el_ms.push_back(*latency * 1000);
    if (itl && out && *out > 1) s.tpot_ms.push_back(*itl);  // (last - first) / (n - 1) = vLLM TPOT
    // An unreadable count leaves the samples unaligned, which the report's validation refuses.
    if (const auto n = in ? checked_count(*in) : std::nullopt) s.input_tokens.push_back(*n);
    if (const auto n = out ? checked_count(*out) : std::nullopt) s.output_tokens.push_back(*n);
  }
}

class GuidellmImporter : public Importer {
 public:
  std::string name() const override { return "guidellm"; }
  std::string description() const override {
    return "guidellm v0.5 benchmarks.json (TPOT converted to vLLM's from per-request records, else marked)";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    const Json* b = path(j, {"benchmarks"});
    if (!b || !b->is_array() || b->empty()) return "lacks a `benchmarks` array";
    if (!b->front().is_object() || string_or_empty(b->front(), "type_") != "generative_benchmark") {
      return "`benchmarks[0].type_` is not \"generative_benchmark\"";
    }
    return "";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& j = source.values.front().value;
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not a guidellm file: " + why);
    model::Report r = new_report(source, name(), "guidellm");
    Fields top(j, "", c.account);
    const Json* meta = top.raw("metadata");
    if (meta && meta->is_object()) {
      r.provenance.tool_version = string_or_empty(*meta, "guidellm_version");
      r.provenance.extra["metadata"] = finite_copy(*meta);
    }
    if (const Json* args = top.raw("args"); args && args->is_object()) {
      r.system.model.id = string_or_empty(*args, "model");
      r.workload.endpoint = string_or_empty(*args, "request_format");
      r.provenance.target = string_or_empty(*args, "target");
      r.workload.extra["args"] = finite_copy(*args);
    }
    precision_from_name(r.system.model.id, r.system.model);
    r.workload.benchmark = "serving";
    const Json& benchmarks = *top.raw("benchmarks");
    for (std::size_t i = 0; i < benchmarks.size(); ++i) {
      r.points.push_back(point(source, benchmarks[i], i, r, c.account));
    }
    r.extra = top.rest();
    c.reports.push_back(std::move(r));
    return c;
  }

 private:
  model::Point point(const Source& source, const Json& b, std::size_t index, model::Report& r, Account& account) const {
    Fields f(b, "benchmarks[]/", account);
    model::Point p;
    if (const Json* cfg = f.raw("config"); cfg && cfg->is_object()) {
      if (const Json* strategy = path(*cfg, {"strategy"})) load_of(*strategy, p, r.workload);
      p.extra["config"] = finite_copy(*cfg);
    }
    p.duration_s = f.number("duration");
    if (const auto start = f.number("start_time"); start && index == 0) {
      r.provenance.run_id = run_id_from_unix(*start);
      r.provenance.started_at = iso_from_unix(*start);
    }
    if (const auto end = f.number("end_time")) r.provenance.ended_at = iso_from_unix(*end);
    const Json* metrics = f.raw("metrics");
    Json kept = Json::object();
    if (metrics && metrics->is_object()) {
      const auto ok = [&](const char* name) { return path(*metrics, {name, "successful"}); };
      if (const Json* totals = path(*metrics, {"request_totals"})) {
        if (const Json* n = path(*totals, {"successful"}); n && n->is_number_integer()) p.completed = n->get<long long>();
        if (const Json* n = path(*totals, {"errored"}); n && n->is_number_integer()) p.failed = n->get<long long>();
      }
      p.ttft_ms = distribution(ok("time_to_first_token_ms"), 1);
      p.e2el_ms = distribution(ok("request_latency"), 1000);
      p.itl_ms = distribution(ok("inter_token_latency_ms"), 1);
      if (!p.itl_ms.empty()) p.itl_ms.definition = k_itl_definition;
      if (const Json* t = ok("prompt_token_count"); t && t->contains("total_sum") && t->at("total_sum").is_number()) {
        p.input_tokens = checked_count(std::round(t->at("total_sum").get<double>()));
      }
      if (const Json* t = ok("output_token_count"); t && t->contains("total_sum") && t->at("total_sum").is_number()) {
        p.output_tokens = checked_count(std::round(t->at("total_sum").get<double>()));
      }
      for (const char* key : {"request_totals", "time_to_first_token_ms", "request_latency", "inter_token_latency_ms",
                              "prompt_token_count", "output_token_count"}) {
        note(account.mapped, std::string("benchmarks[]/metrics/") + key);
      }
      for (auto it = metrics->begin(); it != metrics->end(); ++it) {
        const std::string& k = it.key();
        if (k == "request_totals" || k == "time_to_first_token_ms" || k == "request_latency" ||
            k == "inter_token_latency_ms" || k == "prompt_token_count" || k == "output_token_count") {
          continue;
        }
        kept[k] = finite_copy(*it);
        note(account.extra, "benchmarks[]/metrics/" + k);
      }
      p.extra["metrics"] = kept;
    }
    if (p.duration_s && *p.duration_s > 0) {
      if (p.completed) p.request_throughput_rps = static_cast<double>(*p.completed) / *p.duration_s;
      if (p.output_tokens) p.output_throughput_tps = static_cast<double>(*p.output_tokens) / *p.duration_s;
      if (p.output_tokens && p.input_tokens) {
        p.total_throughput_tps = static_cast<double>(*p.output_tokens + *p.input_tokens) / *p.duration_s;
      }
    }
    samples_from_requests(path(b, {"requests", "successful"}), path(b, {"scheduler_metrics"}), p.samples);
    if (f.has("requests")) {
      f.take("requests");
      note(account.unreadable, "benchmarks[]/requests: per-request records summarised into samples; their texts "
                               "and timings are not kept");
    }
    const std::string where = "/points/" + std::to_string(index) + "/tpot_ms";
    if (!p.samples.tpot_ms.empty()) {
      p.tpot_ms = summarize(p.samples.tpot_ms, {50, 90, 99});
      note(account.warnings, source.file + ": " + where + ": guidellm's TPOT includes the first token; vLLM's TPOT "
                             "was recomputed from the per-request records (guidellm's kept in extra)");
    } else if (metrics) {
      p.tpot_ms = distribution(ok_tpot(*metrics), 1);
      if (!p.tpot_ms.empty()) p.tpot_ms.definition = k_tpot_definition;
      note(account.warnings, source.file + ": " + where + ": no per-request records; guidellm's TPOT kept, marked "
                             "with its definition (it includes the first token)");
    }
    // guidellm's distributions are not numpy percentiles; compare means, extremes and counts.
    account.cross_checked += cross_check(p, index, source.file, {.std = false, .percentiles = false}, account.warnings);
    Json rest = f.rest();
    for (auto it = rest.begin(); it != rest.end(); ++it) p.extra[it.key()] = *it;
    return p;
  }

  static const Json* ok_tpot(const Json& metrics) { return path(metrics, {"time_per_output_token_ms", "successful"}); }
};

}  // namespace

std::unique_ptr<Importer> make_guidellm_importer() { return std::make_unique<GuidellmImporter>(); }

}  // namespace sitegen::ingest
