#include "site/raw_data.hpp"

#include <cmath>

#include "site/figures.hpp"
#include "util/format.hpp"

namespace sitegen::site {

std::string csv_text(std::string_view text) {
  std::string s(text);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s.insert(s.begin(), '\'');
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string points_csv(const SiteModel& m) {
  std::string out = "config_id,run_id,attempt,model,precision,gpu,gpus,engine,benchmark,status";
  for (const Metric& metric : point_metrics()) out += "," + metric.key;
  out += "\r\n";
  for (const store::Configuration& c : m.inputs->dataset.configurations) {
    for (const store::Run& run : c.runs) {
      const model::Report& r = run.report;
      std::string prefix = csv_text(c.id) + "," + csv_text(r.provenance.run_id) + "," + std::to_string(r.provenance.attempt) +
                           "," + csv_text(r.system.model.id) + "," + csv_text(r.system.model.precision) + "," +
                           csv_text(r.system.gpu.model) + "," +
                           (r.system.gpu.count ? std::to_string(*r.system.gpu.count) : std::string()) + "," +
                           csv_text(r.system.engine.name) + "," + csv_text(r.workload.benchmark) + "," + csv_text(r.status);
      for (const model::Point& p : r.points) {
        out += prefix;
        for (const Metric& metric : point_metrics()) {
          out += ',';
          const auto v = metric.value(p);
          if (v && std::isfinite(*v)) out += format::shortest(*v);
        }
        out += "\r\n";
      }
    }
  }
  return out;
}

std::string dataset_document(const SiteModel& m) {
  store::EconomicsJson economics;
  if (!m.economics.empty()) {
    economics = [&m](const store::Configuration& c, const store::Run&) -> model::Json {
      auto it = m.economics.find(&c);
      return it == m.economics.end() ? model::Json() : econ::to_json(it->second);
    };
  }
  return store::dataset_json(m.inputs->dataset, economics).dump(1) + "\n";
}

}  // namespace sitegen::site
