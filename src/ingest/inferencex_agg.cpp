// InferenceX (ex InferenceMAX) aggregated rows: `agg_<result>.json` (one object) and
// `agg_bmk.json` (an array of them), fixed-sequence and agentic. Latencies in seconds,
// throughput per GPU; FORMATS.md section 9.

#include <cmath>

#include "ingest/fields.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::ingest {

namespace {

// "b200-dgxc" -> "B200", "mi355x_amds_03" -> "MI355X": InferenceX's runner names carry a suffix
// the InferenceX app strips too.
std::string gpu_from_runner(const std::string& hw) {
  std::string base = hw.substr(0, hw.find_first_of("-_"));
  for (char& c : base) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return base;
}

std::string image_tag(const std::string& image) {
  const auto colon = image.rfind(':');
  if (colon == std::string::npos || image.find('/', colon) != std::string::npos) return "";
  return image.substr(colon + 1);
}

class InferencexAggImporter : public Importer {
 public:
  std::string name() const override { return "inferencex-agg"; }
  std::string description() const override {
    return "InferenceX agg_*.json row or agg_bmk.json array (fixed-sequence and agentic; seconds, per-GPU "
           "throughput, interactivity)";
  }
  std::string detect(const Json& j) const override {
    const Json& row = j.is_array() && !j.empty() ? j.front() : j;
    if (!row.is_object()) return "not a JSON object or an array of objects";
    if (!row.contains("hw") || !row.contains("conc")) return "lacks `hw` and `conc`";
    if (!row.contains("tput_per_gpu")) return "lacks `tput_per_gpu`";
    return "";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    for (const StreamValue& v : source.values) {
      const Json& j = v.value;
      if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) c.reports.push_back(row(source, j[i], "/" + std::to_string(i), c.account));
      } else {
        c.reports.push_back(row(source, j, "", c.account));
      }
    }
    return c;
  }

 private:
  model::Report row(const Source& source, const Json& j, const std::string& at, Account& account) const {
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": " + at + ": not an InferenceX row: " + why);
    model::Report r = new_report(source, name(), "InferenceX process_result.py");
    if (!at.empty()) r.provenance.run_id += "-" + at.substr(1);  // rows of one file: one run id each
    Fields f(j, "", account);
    model::System& s = r.system;
    model::Point p;
    const std::string hw = f.text("hw");
    s.gpu.model = gpu_from_runner(hw);
    s.extra["hw"] = hw;
    p.concurrency = f.integer("conc");
    r.workload.arrival = "concurrency";
    s.engine.image = f.text("image");
    s.engine.version = image_tag(s.engine.image);
    s.engine.name = f.text("framework");
    s.model.id = f.text("model");
    s.model.precision = strings::lower(f.text("precision"));
    s.parallelism.tp = f.integer("tp");
    s.parallelism.pp = f.integer("pp");
    s.parallelism.ep = f.integer("ep");
    if (auto d = f.boolean("disagg")) s.parallelism.disaggregated = *d;
    for (const char* key : {"infmax_model_prefix", "spec_decoding", "is_multinode", "dp_attention", "offloading",
                            "recipe_fingerprint", "router", "kv_p2p_transfer", "dcp_size", "pcp_size"}) {
      if (const Json* x = f.raw(key)) s.extra[key] = finite_copy(*x);
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      if (k.starts_with("prefill_") && k != "prefill_hw") {
        f.take(k);
        s.parallelism.prefill[k.substr(8)] = finite_copy(*it);
      } else if (k.starts_with("decode_") && k != "decode_hw") {
        f.take(k);
        s.parallelism.decode[k.substr(7)] = finite_copy(*it);
      }
    }
    for (const char* key : {"prefill_hw", "decode_hw"}) {
      if (const Json* x = f.raw(key)) s.extra[key] = *x;
    }
    // tput_per_gpu = total throughput / num_gpus, num_gpus = tp * pp * pcp (multinode: prefill +
    // decode GPUs); the totals are recovered with the producer's own count.
    std::optional<long long> gpus;
    const auto npre = f.integer("num_prefill_gpu"), ndec = f.integer("num_decode_gpu");
    if (npre && ndec) gpus = *npre + *ndec;
    else if (s.parallelism.tp) {
      const Json* pcp = j.contains("pcp_size") ? &j.at("pcp_size") : nullptr;
      gpus = *s.parallelism.tp * s.parallelism.pp.value_or(1) * (pcp && pcp->is_number_integer() ? pcp->get<long long>() : 1);
    }
    s.gpu.count = gpus;
    r.workload.input_len = f.integer("isl");
    r.workload.output_len = f.integer("osl");
    r.workload.benchmark = j.contains("scenario_type") ? f.text("scenario_type") : "serving";
    if (r.workload.benchmark.empty()) r.workload.benchmark = "serving";
    const auto per_gpu = f.number("tput_per_gpu"), out_per_gpu = f.number("output_tput_per_gpu"),
               in_per_gpu = f.number("input_tput_per_gpu");
    if (gpus && !npre) {
      if (per_gpu) p.total_throughput_tps = *per_gpu * static_cast<double>(*gpus);
      if (out_per_gpu) p.output_throughput_tps = *out_per_gpu * static_cast<double>(*gpus);
      if (in_per_gpu) p.input_throughput_tps = *in_per_gpu * static_cast<double>(*gpus);
    }
    p.extra["tput_per_gpu"] = per_gpu ? Json(*per_gpu) : Json();
    if (out_per_gpu) p.extra["output_tput_per_gpu"] = *out_per_gpu;
    if (in_per_gpu) p.extra["input_tput_per_gpu"] = *in_per_gpu;
    if (!per_gpu) p.extra.erase("tput_per_gpu");
    // Agentic rows state totals directly.
    if (auto t = f.number("total_tput_tps")) p.total_throughput_tps = t;
    if (auto t = f.number("output_tput_tps")) p.output_throughput_tps = t;
    if (auto t = f.number("input_tput_tps")) p.input_throughput_tps = t;
    p.duration_s = f.number("duration_seconds");
    p.input_tokens = f.integer("total_prompt_tokens");
    p.output_tokens = f.integer("total_generation_tokens");
    const auto total = f.integer("num_requests_total"), ok = f.integer("num_requests_successful");
    if (ok) p.completed = ok;
    if (total && ok) p.failed = *total - *ok;
    if (auto done = f.integer("total_requests_completed"); done && !p.completed) p.completed = done;
    p.ttft_ms = f.stat("ttft", "", 1000);
    p.tpot_ms = f.stat("tpot", "", 1000);
    p.itl_ms = f.stat("itl", "", 1000);
    p.e2el_ms = f.stat("e2el", "", 1000);
    if (const auto m = f.number("median_intvty"); m && std::isfinite(*m)) {
      p.interactivity_tps.median = m;
      p.interactivity_tps.definition = "InferenceX: 1000 / median TPOT (ms), not a per-request distribution";
    }
    // Measured power, when the row has GPU telemetry.
    p.telemetry.avg_power_w = f.number("avg_power_w");
    p.telemetry.energy_j = f.number("energy_j");
    p.telemetry.joules_per_token = f.number("joules_per_token");
    if (!p.telemetry.empty()) p.telemetry.source = "producer";
    Json rest = f.rest();
    for (auto it = rest.begin(); it != rest.end(); ++it) p.extra[it.key()] = *it;
    r.points.push_back(std::move(p));
    return r;
  }
};

}  // namespace

std::unique_ptr<Importer> make_inferencex_agg_importer() { return std::make_unique<InferencexAggImporter>(); }

}  // namespace sitegen::ingest
