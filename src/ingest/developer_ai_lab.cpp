// dpoblacion/developer-ai-lab report.json: capacity per team size (N agentic developers), with
// latencies from vLLM's Prometheus histograms in seconds and the pod's cost timeline.
// FORMATS.md section 10.1.

#include <cmath>

#include "ingest/fields.hpp"
#include "util/error.hpp"

namespace sitegen::ingest {

namespace {

const char* k_tpot_definition =
    "developer-ai-lab: 1 / median_tps, from vLLM's time_per_output_token_seconds histogram (Prometheus quantile)";
const char* k_e2e_definition = "developer-ai-lab: server-side Prometheus histogram quantile";
const char* k_ttft_definition = "developer-ai-lab: quantile of vLLM's time_to_first_token_seconds histogram (server side)";

class DeveloperAiLabImporter : public Importer {
 public:
  std::string name() const override { return "developer-ai-lab"; }
  std::string description() const override {
    return "developer-ai-lab report.json (capacity per team size: holds_slo, cost_per_dev_month, median_tps, "
           "median_ttft, tokens_per_dev; pod cost timeline)";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    if (!j.contains("by_devs") || !j.contains("slo")) return "lacks `by_devs` and `slo`";
    return "";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& j = source.values.front().value;
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not a developer-ai-lab report: " + why);
    model::Report r = new_report(source, name(), "developer-ai-lab");
    Fields f(j, "", c.account);
    if (const std::string id = run_id_from_text(f.text("run_id")); !id.empty()) r.provenance.run_id = id;
    f.take("date");
    r.workload.benchmark = f.text("benchmark");
    const std::string family = f.text("family"), quant = f.text("quant");
    r.system.model.id = f.text("model");
    r.system.extra["family"] = family;
    r.system.extra["quant"] = quant;
    precision_from_name(quant, r.system.model);
    if (r.system.model.precision.empty() && r.system.model.quantization.empty() && !quant.empty()) {
      r.system.model.precision = quant;
    }
    r.system.gpu.model = f.text("hardware");
    r.system.gpu.count = f.integer("gpu_count");
    r.system.engine.name = "vllm";  // the lab serves with vLLM and reads vLLM's Prometheus metrics
    if (const Json* slo = f.raw("slo"); slo && slo->is_object()) {
      if (slo->contains("max_ttft") && slo->at("max_ttft").is_number()) {
        r.workload.slo_ttft_ms = slo->at("max_ttft").get<double>() * 1000;
      }
      if (slo->contains("min_tps") && slo->at("min_tps").is_number() && slo->at("min_tps").get<double>() > 0) {
        r.workload.slo_tpot_ms = 1000 / slo->at("min_tps").get<double>();
      }
      r.workload.extra["slo"] = finite_copy(*slo);
    }
    const Json* devs = f.raw("by_devs");
    if (!devs || !devs->is_array()) throw Error(source.file + ": /by_devs: expected an array");
    for (std::size_t i = 0; i < devs->size(); ++i) team(source, (*devs)[i], i, r, c.account);
    r.extra = f.rest();
    c.reports.push_back(std::move(r));
    return c;
  }

 private:
  void team(const Source& source, const Json& d, std::size_t i, model::Report& r, Account& account) const {
    if (!d.is_object()) throw Error(source.file + ": /by_devs/" + std::to_string(i) + ": expected an object");
    Fields f(d, "by_devs[]/", account);
    model::CapacityResult cap;
    const auto n = f.integer("devs");
    if (!n || *n < 1) throw Error(source.file + ": /by_devs/" + std::to_string(i) + "/devs: expected a team size >= 1");
    cap.team_size = *n;
    cap.slo_held = f.boolean("holds_slo");
    cap.tokens_per_dev = f.number("tokens_per_dev");
    const auto ttft = f.number("median_ttft", 1000);
    const auto tps = f.number("median_tps");
    if (ttft && std::isfinite(*ttft)) cap.median_ttft_ms = ttft;
    if (tps && std::isfinite(*tps)) cap.median_tps_per_user = tps;
    // Each team size is also a load level: N developers' agents in flight.
    model::Point p;
    p.concurrency = cap.team_size;
    p.slo_held = cap.slo_held;
    if (cap.median_ttft_ms) {
      p.ttft_ms.median = cap.median_ttft_ms;
      p.ttft_ms.definition = k_ttft_definition;
    }
    if (cap.median_tps_per_user && *cap.median_tps_per_user > 0) {
      p.tpot_ms.median = 1000 / *cap.median_tps_per_user;
      p.tpot_ms.definition = k_tpot_definition;
      p.interactivity_tps.median = cap.median_tps_per_user;
    }
    if (const auto p90 = f.number("p90_ttft", 1000)) { p.ttft_ms.set_percentile(90, *p90); }
    if (const auto p99 = f.number("p99_ttft", 1000)) { p.ttft_ms.set_percentile(99, *p99); }
    if (const auto e50 = f.number("e2e_p50", 1000)) { p.e2el_ms.median = e50; p.e2el_ms.definition = k_e2e_definition; }
    if (const auto e99 = f.number("e2e_p99", 1000)) { p.e2el_ms.set_percentile(99, *e99); }
    cap.extra = f.rest();
    r.capacity.push_back(cap);
    r.points.push_back(std::move(p));
    r.workload.arrival = "concurrency";
  }
};

}  // namespace

std::unique_ptr<Importer> make_developer_ai_lab_importer() { return std::make_unique<DeveloperAiLabImporter>(); }

}  // namespace sitegen::ingest
