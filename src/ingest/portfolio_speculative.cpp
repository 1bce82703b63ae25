// 0xquinto/inference-engineering-portfolio 04-speculative-decoding results:
// {"hardware", "model", "engine", "<method>": {"<qps>": {ttft_p50, ttft_p95, throughput_p50,
// count}}}. Read from the project's src/benchmark.py and src/methods.py: requests sent at fixed
// 1/qps intervals (not Poisson); TTFT to the first content chunk; percentiles sorted[n//2] and
// sorted[int(0.95n)]; throughput_p50 is the median per request of content chunks / whole request
// time (TTFT included). One report per method (baseline, ngram, mtp), one point per qps.

#include <cctype>
#include <charconv>

#include "ingest/fields.hpp"
#include "util/error.hpp"

namespace sitegen::ingest {

namespace {

const char* k_ttft_definition =
    "inference-engineering-portfolio: first content chunk; percentiles sorted[n//2], sorted[int(0.95n)]";
const char* k_tps_definition =
    "inference-engineering-portfolio: median per request of content chunks / whole-request time (TTFT included)";

std::optional<double> qps_of(const std::string& key) {
  double v = 0;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), v);
  if (ec != std::errc() || end != key.data() + key.size() || v <= 0) return std::nullopt;
  return v;
}

bool is_method(const Json& v) {
  if (!v.is_object() || v.empty()) return false;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!qps_of(it.key()) || !it->is_object() || !it->contains("ttft_p50") || !it->contains("throughput_p50")) return false;
  }
  return true;
}

// "NVIDIA L40S 48GB" -> model "L40S", 48 GB; "vLLM 0.18.0" -> vllm 0.18.0.
void read_system(Fields& f, model::System& s) {
  std::string hw = f.text("hardware");
  if (hw.starts_with("NVIDIA ")) hw = hw.substr(7);
  if (const auto sp = hw.rfind(' '); sp != std::string::npos && hw.ends_with("GB")) {
    const std::string gb = hw.substr(sp + 1, hw.size() - sp - 3);
    double v = 0;
    if (std::from_chars(gb.data(), gb.data() + gb.size(), v).ec == std::errc()) {
      s.gpu.memory_gb = v;
      hw = hw.substr(0, sp);
    }
  }
  s.gpu.model = hw;
  const std::string engine = f.text("engine");
  const auto sp = engine.find(' ');
  s.engine.name = engine.substr(0, sp);
  for (char& ch : s.engine.name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (sp != std::string::npos) s.engine.version = engine.substr(sp + 1);
  s.model.id = f.text("model");
}

class SpeculativeImporter : public Importer {
 public:
  std::string name() const override { return "portfolio-speculative"; }
  std::string description() const override {
    return "inference-engineering-portfolio 04-speculative-decoding results ({method: {qps: {ttft_p50, ttft_p95, "
           "throughput_p50, count}}})";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    if (!j.contains("hardware") || !j.contains("engine") || !j.contains("model")) return "lacks hardware, engine and model";
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (is_method(*it)) return "";
    }
    return "no {qps: {ttft_p50, throughput_p50}} method table";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& j = source.values.front().value;
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not a speculative-decoding result: " + why);
    Fields top(j, "", c.account);
    model::System system;
    read_system(top, system);
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!is_method(*it)) continue;
      top.take(it.key());
      c.reports.push_back(method_report(source, system, it.key(), *it, c.account));
    }
    const Json rest = top.rest();
    for (model::Report& r : c.reports) r.extra = rest;
    note(c.account.unreadable, "output tokens: the client counts content chunks, not tokens; no token totals");
    return c;
  }

 private:
  model::Report method_report(const Source& source, const model::System& system, const std::string& method,
                              const Json& table, Account& account) const {
    model::Report r = new_report(source, name(), "inference-engineering-portfolio speculative-decoding benchmark");
    r.provenance.run_id += "-" + method;
    r.system = system;
    r.system.extra["speculative_method"] = method;
    r.workload.benchmark = "speculative-decoding";
    r.workload.endpoint = "/v1/chat/completions";
    r.workload.arrival = "rate";
    r.workload.extra["arrival"] = "fixed interval 1/qps (not Poisson)";
    for (auto it = table.begin(); it != table.end(); ++it) {
      Fields f(*it, method + "/<qps>/", account);
      model::Point p;
      p.request_rate_rps = qps_of(it.key());
      p.completed = f.integer("count");
      if (const auto v = f.number("ttft_p50")) p.ttft_ms.set_percentile(50, *v);
      if (const auto v = f.number("ttft_p95")) p.ttft_ms.set_percentile(95, *v);
      p.ttft_ms.median = p.ttft_ms.percentile(50);
      p.ttft_ms.count = p.completed;
      p.ttft_ms.definition = k_ttft_definition;
      if (const auto v = f.number("throughput_p50")) p.interactivity_tps.median = v;
      p.interactivity_tps.definition = k_tps_definition;
      p.extra = f.rest();
      r.points.push_back(std::move(p));
    }
    return r;
  }
};

}  // namespace

std::unique_ptr<Importer> make_portfolio_speculative_importer() { return std::make_unique<SpeculativeImporter>(); }

}  // namespace sitegen::ingest
