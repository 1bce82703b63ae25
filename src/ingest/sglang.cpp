// SGLang `python -m sglang.bench_serving` JSONL: one run per line, appended; bare Infinity for an
// unlimited request rate; the server's /get_server_info dump (PD-disaggregated: prefill and
// decode lists). Summaries in ms; FORMATS.md section 5. With --output-details a line also holds
// per-request arrays in seconds (input_lens, output_lens, ttfts, itls, generated_texts, errors):
// they become samples and the TTFT, ITL and token-total summaries are recomputed from them. The
// arrays hold no request latency (SGLang's includes the wait for [DONE]), so e2el and TPOT are
// not recomputed.

#include <cmath>

#include "ingest/crosscheck.hpp"
#include "ingest/fields.hpp"
#include "ingest/request_arrays.hpp"
#include "util/error.hpp"

namespace sitegen::ingest {

namespace {

const Json* first_of(const Json& info, const char* role) {
  if (!info.is_object() || !info.contains(role)) return nullptr;
  const Json& v = info.at(role);
  if (v.is_array() && !v.empty() && v.front().is_object()) return &v.front();
  if (v.is_object()) return &v;
  return nullptr;
}

Json role_summary(const Json& server) {
  Json out = Json::object();
  for (const char* key : {"version", "tp_size", "dp_size", "pp_size", "ep_size", "disaggregation_mode",
                          "disaggregation_transfer_backend"}) {
    if (server.contains(key) && !server.at(key).is_null()) out[key] = finite_copy(server.at(key));
  }
  return out;
}

std::optional<long long> int_of(const Json& server, const char* key) {
  if (server.contains(key) && server.at(key).is_number_integer()) return server.at(key).get<long long>();
  return std::nullopt;
}

void read_server_info(Fields& f, model::System& s) {
  const Json* info = f.raw("server_info");
  if (!info) return;
  s.extra["server_info"] = finite_copy(*info);
  const Json* prefill = first_of(*info, "prefill");
  const Json* decode = first_of(*info, "decode");
  const Json* main = info;
  if (prefill || decode) {
    s.parallelism.disaggregated = true;
    if (prefill) s.parallelism.prefill = role_summary(*prefill);
    if (decode) s.parallelism.decode = role_summary(*decode);
    main = decode ? decode : prefill;
    const std::string pv = prefill ? string_or_empty(*prefill, "version") : "", dv = decode ? string_or_empty(*decode, "version") : "";
    if (pv == dv) s.engine.version = dv;  // otherwise each role states its own
  } else {
    s.engine.version = string_or_empty(*info, "version");
    s.parallelism.tp = int_of(*info, "tp_size");
    s.parallelism.pp = int_of(*info, "pp_size");
    s.parallelism.dp = int_of(*info, "dp_size");
    s.parallelism.ep = int_of(*info, "ep_size");
  }
  if (main->contains("model_path") && main->at("model_path").is_string()) s.model.id = main->at("model_path").get<std::string>();
  if (main->contains("quantization") && main->at("quantization").is_string()) {
    s.model.quantization = main->at("quantization").get<std::string>();
  }
}

class SglangImporter : public Importer {
 public:
  std::string name() const override { return "sglang"; }
  std::string description() const override {
    return "SGLang bench_serving JSONL (one run per line, bare Infinity, PD-disaggregated server_info; 0.5.x and "
           "the older short format)";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    if (!j.contains("total_output_tokens_retokenized")) return "lacks `total_output_tokens_retokenized`";
    if (!j.contains("backend")) return "lacks `backend`";
    return "";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    for (const StreamValue& v : source.values) {
      if (const std::string why = detect(v.value); !why.empty()) {
        throw Error(source.file + ": line " + std::to_string(v.line) + ": not an SGLang result: " + why);
      }
      c.reports.push_back(line(source, v, c.account));
    }
    return c;
  }

 private:
  model::Report line(const Source& source, const StreamValue& v, Account& account) const {
    const Json& j = v.value;
    model::Report r = new_report(source, name(), "sglang bench_serving");
    r.provenance.run_id = "import-" + short_hash(j.dump());  // no timestamp in the file
    r.provenance.extra["line"] = v.line;
    Fields f(j, "", account);
    model::Point p;
    const std::string backend = f.text("backend");
    r.workload.extra["backend"] = backend;
    if (backend.starts_with("sglang")) r.system.engine.name = "sglang";
    read_server_info(f, r.system);
    if (r.system.engine.name.empty() && !r.system.engine.version.empty()) r.system.engine.name = "sglang";
    precision_from_name(r.system.model.id, r.system.model);
    r.workload.benchmark = "serving";
    r.workload.dataset = f.text("dataset_name");
    if (r.workload.dataset.starts_with("random")) {
      r.workload.input_len = f.integer("random_input_len");
      r.workload.output_len = f.integer("random_output_len");
    }
    for (const char* key : {"random_input_len", "random_output_len", "random_range_ratio", "sharegpt_output_len",
                            "fixed_output_len"}) {
      if (const Json* x = f.raw(key)) r.workload.extra[key] = finite_copy(*x);
    }
    p.concurrency = f.integer("max_concurrency");
    r.workload.arrival = p.concurrency ? "concurrency" : "rate";
    if (const Json* rate = f.raw("request_rate")) {
      if (rate->is_number() && std::isinf(rate->get<double>())) p.request_rate_inf = true;
      else if (rate->is_number()) p.request_rate_rps = rate->get<double>();
      else if (*rate == "trace") r.workload.arrival = "trace";
      else f.unreadable("request_rate", "expected a number or Infinity, got " + rate->dump());
    }
    p.duration_s = f.number("duration");
    p.completed = f.integer("completed");
    p.input_tokens = f.integer("total_input_tokens");
    p.output_tokens = f.integer("total_output_tokens");
    p.request_throughput_rps = f.number("request_throughput");
    p.input_throughput_tps = f.number("input_throughput");
    p.output_throughput_tps = f.number("output_throughput");
    p.total_throughput_tps = f.number("total_throughput");
    p.ttft_ms = f.stat("ttft", "_ms");
    p.tpot_ms = f.stat("tpot", "_ms");
    p.itl_ms = f.stat("itl", "_ms");
    p.e2el_ms = f.stat("e2e_latency", "_ms");
    if (p.ttft_ms.empty() && p.e2el_ms.empty()) note(account.unreadable, "latency: no ttft or e2e latency statistics");
    read_request_arrays(f, p, {.latency_from_gaps = false});
    if (!p.samples.empty()) {
      const std::string where = source.values.size() > 1 ? source.file + ": line " + std::to_string(v.line) : source.file;
      account.cross_checked += cross_check(p, 0, where, {}, account.warnings);
    }
    p.extra = f.rest();
    r.points.push_back(std::move(p));
    return r;
  }
};

}  // namespace

std::unique_ptr<Importer> make_sglang_importer() { return std::make_unique<SglangImporter>(); }

}  // namespace sitegen::ingest
