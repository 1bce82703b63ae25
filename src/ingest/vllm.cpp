// vLLM `vllm bench serve` / `benchmarks/benchmark_serving.py` result JSON, the InferenceX fork of
// it (raw per-run files and the experimental seconds-based variant) and the Rust port
// (vllm-project/vllm-bench), single-run and multi-turn. Summaries are in ms, per-request arrays
// in seconds; FORMATS.md section 2.

#include <cmath>

#include "ingest/crosscheck.hpp"
#include "ingest/fields.hpp"
#include "ingest/request_arrays.hpp"
#include "util/error.hpp"

namespace sitegen::ingest {

namespace {

const char* k_metrics[] = {"ttft", "tpot", "itl", "e2el"};

std::string endpoint_of(const std::string& backend) {
  if (backend == "openai-chat" || backend == "vllm-chat") return "/v1/chat/completions";
  if (backend == "openai" || backend == "vllm") return "/v1/completions";
  return "";
}

// Which generation of the tool wrote the file, from the keys only it writes.
std::string tool_of(const Json& j) {
  if (j.contains("benchmark_start_time_unix") || j.contains("best_of")) return "InferenceX benchmark_serving.py (vLLM fork)";
  if (j.contains("good_completed")) return "InferenceX token_position_decode_slo";
  if (j.contains("request_goodput:")) return "vllm benchmarks/benchmark_serving.py";
  const std::string date = string_or_empty(j, "date");
  if (date.find('T') != std::string::npos) return "vllm-bench (Rust port)";
  return "vllm bench serve";
}

// The experimental InferenceX variant writes seconds without the _ms suffix.
bool latencies_in_seconds(const Json& j) {
  return !j.contains("median_ttft_ms") && !j.contains("mean_ttft_ms") &&
         (j.contains("median_ttft") || j.contains("p99_ttft"));
}

// The fields every vLLM-style result shares (also per turn of a multi-turn run).
void read_aggregates(Fields& f, model::Point& p, double latency_scale, const char* suffix) {
  p.completed = f.integer("completed");
  p.failed = f.integer("failed");
  p.input_tokens = f.integer("total_input_tokens");
  p.output_tokens = f.integer("total_output_tokens");
  p.request_throughput_rps = f.number("request_throughput");
  p.input_throughput_tps = f.number("input_throughput");
  p.output_throughput_tps = f.number("output_throughput");
  p.total_throughput_tps = f.number("total_token_throughput");
  model::Stat* stats[] = {&p.ttft_ms, &p.tpot_ms, &p.itl_ms, &p.e2el_ms};
  for (int i = 0; i < 4; ++i) *stats[i] = f.stat(k_metrics[i], suffix, latency_scale);
}

void read_load(Fields& f, model::Point& p, model::Workload& w) {
  p.concurrency = f.integer("max_concurrency");
  if (const Json* rate = f.raw("request_rate")) {
    if ((rate->is_string() && *rate == "inf") || (rate->is_number() && std::isinf(rate->get<double>()))) {
      p.request_rate_inf = true;
    } else if (rate->is_number()) {
      p.request_rate_rps = rate->get<double>();
    } else {
      f.unreadable("request_rate", "expected a number or \"inf\", got " + rate->dump());
    }
  }
  if (const auto b = f.number("burstiness"); b && std::isfinite(*b) && *b > 0) p.burstiness = b;
  w.arrival = p.concurrency ? "concurrency" : "rate";
}

class VllmImporter : public Importer {
 public:
  std::string name() const override { return "vllm"; }
  std::string description() const override {
    return "vLLM `vllm bench serve` / benchmark_serving.py JSON (incl. --append-result, detailed arrays, "
           "InferenceX raw and experimental files, the Rust port)";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    if (j.contains("hw")) return "has `hw` (an InferenceX agg row)";
    if (string_or_empty(j, "mode") == "multi_turn") return "a multi-turn run (`mode: multi_turn`)";
    if (!j.contains("model_id") || !j.contains("completed") || !j.contains("duration")) {
      return "lacks `model_id`, `completed` and `duration` together";
    }
    if (j.contains("total_output_tokens_retokenized")) return "has `total_output_tokens_retokenized` (SGLang)";
    return "";
  }

  Conversion convert(const Source& source) const override {
    Conversion c;
    for (std::size_t i = 0; i < source.values.size(); ++i) {
      const Json& j = source.values[i].value;
      const std::string at = source.values.size() > 1 ? " (value at line " + std::to_string(source.values[i].line) + ")" : "";
      if (const std::string why = detect(j); !why.empty()) {
        throw Error(source.file + at + ": not a vLLM result: " + why);
      }
      c.reports.push_back(convert_one(source, j, c.account));
      if (source.values.size() > 1) {
        c.reports.back().provenance.extra["line"] = source.values[i].line;
      }
    }
    return c;
  }

 private:
  model::Report convert_one(const Source& source, const Json& j, Account& account) const {
    model::Report r = new_report(source, name(), tool_of(j));
    Fields f(j, "", account);
    const bool seconds = latencies_in_seconds(j);
    model::Point p;
    r.system.model.id = f.text("model_id");
    precision_from_name(r.system.model.id, r.system.model);
    const std::string backend = f.text("backend");
    f.take("endpoint_type");
    r.workload.benchmark = "serving";
    r.workload.endpoint = endpoint_of(backend);
    if (!backend.empty()) r.workload.extra["backend"] = backend;
    r.workload.num_prompts = f.integer("num_prompts");
    read_load(f, p, r.workload);
    p.duration_s = f.number("duration");
    read_aggregates(f, p, seconds ? 1000 : 1, seconds ? "" : "_ms");
    for (const char* key : {"request_goodput", "request_goodput:"}) {
      if (const auto g = f.number(key)) p.goodput_rps = g;
    }
    const std::string date = f.text("date");
    if (const std::string id = run_id_from_text(date); !id.empty()) r.provenance.run_id = id;
    r.provenance.started_at = iso_if_utc(date);
    if (const auto start = f.number("benchmark_start_time_unix")) {
      r.provenance.started_at = iso_from_unix(*start);
      r.provenance.run_id = run_id_from_unix(*start);
    }
    if (const auto end = f.number("benchmark_end_time_unix")) r.provenance.ended_at = iso_from_unix(*end);
    read_request_arrays(f, p);
    if (!p.samples.empty()) {
      account.cross_checked += cross_check(p, 0, source.file, {}, account.warnings);
      fill_from_samples(p);
    }
    p.extra = f.rest();
    if (!p.concurrency && !p.request_rate_rps && !p.request_rate_inf) {
      note(account.unreadable, "load level: neither max_concurrency nor request_rate is given");
    }
    r.points.push_back(std::move(p));
    return r;
  }
};

// vllm-bench (Rust) multi-turn: one point for the whole run; the per-turn breakdown is kept.
class VllmMultiTurnImporter : public Importer {
 public:
  std::string name() const override { return "vllm-multi-turn"; }
  std::string description() const override {
    return "vllm-bench (Rust port of vllm bench serve) multi-turn JSON (`mode: multi_turn`, per_turn_metrics)";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    if (string_or_empty(j, "mode") != "multi_turn") return "no `\"mode\": \"multi_turn\"`";
    if (!j.contains("per_turn_metrics")) return "no `per_turn_metrics`";
    return "";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    for (const StreamValue& v : source.values) {
      const Json& j = v.value;
      if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not a multi-turn result: " + why);
      model::Report r = new_report(source, name(), "vllm-bench (Rust port)");
      Fields f(j, "", c.account);
      model::Point p;
      r.system.model.id = f.text("model_id");
      precision_from_name(r.system.model.id, r.system.model);
      const std::string backend = f.text("backend");
      r.workload.benchmark = "multi-turn";
      r.workload.endpoint = endpoint_of(backend);
      if (!backend.empty()) r.workload.extra["backend"] = backend;
      r.workload.dataset = f.text("workload");
      p.concurrency = f.integer("multi_turn_concurrency");
      r.workload.arrival = p.concurrency ? "concurrency" : "";
      p.duration_s = f.number("duration");
      read_aggregates(f, p, 1, "_ms");
      const std::string date = f.text("date");
      if (const std::string id = run_id_from_text(date); !id.empty()) r.provenance.run_id = id;
      r.provenance.started_at = iso_if_utc(date);
      for (const char* key : {"mode", "num_conversations", "turns_per_conversation", "inter_turn_delay_ms"}) {
        if (const Json* x = f.raw(key)) r.workload.extra[key] = finite_copy(*x);
      }
      p.extra = f.rest();
      r.points.push_back(std::move(p));
      c.reports.push_back(std::move(r));
    }
    return c;
  }
};

}  // namespace

std::unique_ptr<Importer> make_vllm_importer() { return std::make_unique<VllmImporter>(); }
std::unique_ptr<Importer> make_vllm_multi_turn_importer() { return std::make_unique<VllmMultiTurnImporter>(); }

}  // namespace sitegen::ingest
