#pragma once
// The figures the pages show, read from reports: load levels, per-point metrics and a
// configuration's headline figures. Every value is optional: absent data is shown as absent.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/report.hpp"

namespace sitegen::site {

// One column of the per-point tables and of points.csv.
struct Metric {
  std::string key;     // CSV header, e.g. "ttft_ms_p99"
  std::string label;   // table header, e.g. "TTFT p99 (ms)"
  std::function<std::optional<double>(const model::Point&)> value;
  int decimals = 2;    // -1: integer with thousands separators
};

// Every canonical metric of a point, in table order.
const std::vector<Metric>& point_metrics();

// The load of a point: concurrency, else request rate (infinite rate: nullopt).
std::optional<double> load_value(const model::Point& point);
// "16" for concurrency 16, "2.5 req/s" for a rate, "all at once" for an infinite rate, "load not
// stated" when the report does not say (ISO-Bench results, for one).
std::string load_label(const model::Point& point);
// "Concurrency (requests)" or "Request rate (req/s)", by what the report's points use.
std::string load_axis_title(const model::Report& report);

// Whether the point holds the report's SLO: the producer's verdict when given, else median TTFT
// and median TPOT against workload.slo_ttft_ms / slo_tpot_ms. nullopt when neither is known.
std::optional<bool> slo_held(const model::Report& report, const model::Point& point);

// Output tokens/s per user at a point: interactivity median, else 1000 / median TPOT.
std::optional<double> tps_per_user(const model::Point& point);

// A configuration's headline figures from one (its latest) run.
struct Headline {
  std::optional<double> peak_output_tps, peak_total_tps, peak_output_tps_per_gpu;
  std::string peak_load;                        // load label of the peak point, "" when not stated
  std::optional<std::size_t> slo_point;         // index of the largest load holding the SLO
  std::string slo_load = "";                    // its label, or why there is none
  std::optional<double> slo_output_tps;
  std::optional<double> best_ttft_median_ms;    // at the lowest load
};
Headline headline(const model::Report& report);

// A number for a table cell: "n/a"-free; "" when absent. decimals -1 groups an integer.
std::string cell(std::optional<double> value, int decimals);

}  // namespace sitegen::site
