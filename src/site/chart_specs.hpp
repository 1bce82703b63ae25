#pragma once
// Report figures turned into chart specs and rendered to inline SVG (chart/ knows nothing of
// reports; this file is the bridge). Each function returns "" when there is nothing to draw.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "econ/economics.hpp"
#include "model/report.hpp"
#include "store/dataset.hpp"

namespace sitegen::site {

// Output and total tokens/s against load.
std::string throughput_chart(const model::Report& report, const std::string& id);

// Median and p99 of TTFT (or TPOT and ITL when `which` is "tpot") against load, log y when the
// values span decades.
std::string latency_chart(const model::Report& report, const std::string& id, const std::string& which);

// Several configurations' latest runs on one chart, a line each named by the first of the pair:
// output throughput against load ("throughput") or median TTFT against load ("ttft").
std::string overlay_chart(const std::vector<std::pair<std::string, const model::Report*>>& reports,
                          const std::string& id, const std::string& which);

// The latency CDF of TTFT from per-request samples, one series per load level that has them.
std::string cdf_chart(const model::Report& report, const std::string& id);

// A configuration's headline figures over its runs (history, pruned runs included).
std::string history_chart(const store::Configuration& config, const std::string& id);

// Output tokens/s per GPU against output tokens/s per user for the latest run of every
// configuration, with the Pareto frontier over all of them.
// With `within_model`, the configurations serve one model under one workload: each curve is
// named by what differs (GPUs, engine, precision) and joins its load levels.
std::string pareto_chart(const std::vector<const store::Configuration*>& configs, const std::string& id,
                         bool within_model = false);

// One bar per configuration ($/1M tokens at SLO, owned or else the cheapest rental) and one per
// API model at its blend, on a log axis.
struct CostBar {
  std::string label;
  double usd_per_1m = 0;
  bool api = false;
  std::string title;
};
std::string cost_vs_api_chart(const std::vector<CostBar>& bars, const std::string& id);

// One way to serve a monthly volume V (million tokens a month): $/month = fixed + per_1m * V, up
// to `capacity` (owned hardware at its SLO capacity; none for rentals and APIs).
struct CostLine {
  enum class Kind { owned, rented, api };
  std::string name;
  Kind kind = Kind::owned;
  double fixed_usd_per_month = 0;
  double usd_per_1m = 0;
  std::optional<double> capacity_m;
};

// $/month against M tokens/month (log-log), one line per way to serve, and the break-even point
// of each owned line with each API line marked; "" when no line has a price.
std::string cost_volume_chart(const std::vector<CostLine>& lines, const std::string& id);

// Throughput per GPU against GPU count, one line per hardware/engine/precision measured at two or
// more GPU counts; "" when none is.
std::string scaling_chart(const std::vector<const store::Configuration*>& configs, const std::string& id);

// $/developer-month against team size from a capacity benchmark, the SLO boundary marked.
std::string dev_month_chart(const model::Report& report, double usd_per_hour,
                            std::optional<long long> team_size_max, const std::string& id);

}  // namespace sitegen::site
