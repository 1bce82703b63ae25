// 0xquinto/inference-engineering-portfolio 02-inference-benchmarks results:
// {"<engine>": [{engine, category, concurrency, latency{count,p50,p95,p99,mean} (ms, whole
// request, nearest-rank percentiles), throughput{...}, gpu_memory_mb}]}. FORMATS.md section 10.5.

#include <map>

#include "ingest/fields.hpp"
#include "util/error.hpp"

namespace sitegen::ingest {

namespace {

const char* k_e2e_definition =
    "inference-engineering-portfolio: whole-request latency, nearest-rank percentile sorted[min(int(n*p/100), n-1)]";

// The project's other result files are ad-hoc dictionaries: say precisely why each is no run.
std::string adhoc_reason(const Json& j) {
  const auto any_value = [&](const auto& pred) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it->is_object() && pred(*it)) return true;
    }
    return false;
  };
  if (j.contains("hardware") && any_value([](const Json& v) { return v.contains("ttft_ms") && v.at("ttft_ms").is_object(); })) {
    return "an ad-hoc inference-engineering-portfolio 01-quantization summary: one ttft_ms and throughput_tps "
           "value per concurrency, without saying which statistic (mean, p50?) or what throughput counts; not imported";
  }
  if (any_value([](const Json& v) {
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (it->is_object() && it->contains("caching")) return true;
        }
        return false;
      })) {
    return "an ad-hoc inference-engineering-portfolio 03-prefix-caching summary: TTFT statistics for caching on/off "
           "with no load level (concurrency or rate) and no model or GPU; not imported";
  }
  if (j.contains("benchmark") && j.at("benchmark").is_object() && j.at("benchmark").contains("aggregate") &&
      j.at("benchmark").contains("raw")) {
    return "an ad-hoc inference-engineering-portfolio 06-cost-optimization routing trial: a few single requests "
           "to unnamed local models (local_small/medium/large), no load level; not imported";
  }
  return "";
}

class PortfolioImporter : public Importer {
 public:
  std::string name() const override { return "portfolio"; }
  std::string description() const override {
    return "inference-engineering-portfolio benchmark_*.json ({engine: [{category, concurrency, latency, "
           "throughput}]})";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object() || j.empty()) return "not a non-empty JSON object";
    if (const std::string why = adhoc_reason(j); !why.empty()) return why;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it->is_array() || it->empty() || !it->front().is_object()) return "values are not arrays of rows";
      const Json& row = it->front();
      if (!row.contains("engine") || !row.contains("category") || !row.contains("latency")) {
        return "rows lack engine, category and latency";
      }
    }
    return "";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& j = source.values.front().value;
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not a portfolio benchmark: " + why);
    std::map<std::pair<std::string, std::string>, model::Report> by_workload;
    for (auto it = j.begin(); it != j.end(); ++it) {
      for (const Json& row : *it) {
        if (!row.is_object()) continue;
        Fields f(row, "<engine>[]/", c.account);
        const std::string engine = f.text("engine"), category = f.text("category");
        auto [slot, fresh] = by_workload.try_emplace({engine, category});
        model::Report& r = slot->second;
        if (fresh) {
          r = new_report(source, name(), "inference-engineering-portfolio benchmark client");
          r.provenance.run_id += "-" + engine + "-" + category;
          r.system.engine.name = engine;
          r.workload.benchmark = "serving-" + category;
          r.workload.arrival = "concurrency";
        }
        model::Point p;
        p.concurrency = f.integer("concurrency");
        if (const Json* lat = f.raw("latency"); lat && lat->is_object()) {
          Fields lf(*lat, "<engine>[]/latency/", c.account);
          p.e2el_ms.mean = lf.number("mean");
          for (const int pct : {50, 95, 99}) {
            if (const auto v = lf.number("p" + std::to_string(pct))) p.e2el_ms.set_percentile(pct, *v);
          }
          p.e2el_ms.median = p.e2el_ms.percentile(50);
          p.e2el_ms.count = lf.integer("count");
          p.e2el_ms.definition = k_e2e_definition;
          lf.rest();
        }
        if (const Json* t = f.raw("throughput"); t && t->is_object()) {
          Fields tf(*t, "<engine>[]/throughput/", c.account);
          p.completed = tf.integer("total_requests");
          p.duration_s = tf.number("total_time_s");
          p.extra["throughput"] = tf.rest();  // total_tokens: which tokens is not stated
        }
        Json rest = f.rest();
        for (auto x = rest.begin(); x != rest.end(); ++x) p.extra[x.key()] = *x;
        r.points.push_back(std::move(p));
      }
    }
    for (auto& [key, r] : by_workload) c.reports.push_back(std::move(r));
    note(c.account.unreadable, "model and GPU: not in the file (set them with --set or meta.json)");
    return c;
  }
};

}  // namespace

std::unique_ptr<Importer> make_portfolio_importer() { return std::make_unique<PortfolioImporter>(); }

}  // namespace sitegen::ingest
