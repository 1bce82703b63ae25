#include "site/figures.hpp"

#include <cmath>

#include "util/format.hpp"

namespace sitegen::site {

namespace {

using model::Point;
using model::Stat;

std::optional<double> as_double(const std::optional<long long>& v) {
  if (!v) return std::nullopt;
  return static_cast<double>(*v);
}

void add_stat(std::vector<Metric>& out, const std::string& key, const std::string& label,
              Stat Point::*stat) {
  out.push_back({key + "_mean", label + " mean (ms)", [stat](const Point& p) { return (p.*stat).mean; }, 2});
  out.push_back({key + "_median", label + " median (ms)",
                 [stat](const Point& p) { return (p.*stat).percentile(50); }, 2});
  out.push_back({key + "_p90", label + " p90 (ms)", [stat](const Point& p) { return (p.*stat).percentile(90); }, 2});
  out.push_back({key + "_p99", label + " p99 (ms)", [stat](const Point& p) { return (p.*stat).percentile(99); }, 2});
}

std::vector<Metric> make_metrics() {
  std::vector<Metric> m;
  m.push_back({"concurrency", "Concurrency", [](const Point& p) { return as_double(p.concurrency); }, -1});
  m.push_back({"request_rate_rps", "Rate (req/s)", [](const Point& p) { return p.request_rate_rps; }, 2});
  m.push_back({"completed", "Completed", [](const Point& p) { return as_double(p.completed); }, -1});
  m.push_back({"failed", "Failed", [](const Point& p) { return as_double(p.failed); }, -1});
  m.push_back({"duration_s", "Duration (s)", [](const Point& p) { return p.duration_s; }, 1});
  m.push_back({"request_throughput_rps", "Requests/s", [](const Point& p) { return p.request_throughput_rps; }, 3});
  m.push_back({"output_throughput_tps", "Output tok/s", [](const Point& p) { return p.output_throughput_tps; }, 1});
  m.push_back({"total_throughput_tps", "Total tok/s", [](const Point& p) { return p.total_throughput_tps; }, 1});
  add_stat(m, "ttft_ms", "TTFT", &Point::ttft_ms);
  add_stat(m, "tpot_ms", "TPOT", &Point::tpot_ms);
  add_stat(m, "itl_ms", "ITL", &Point::itl_ms);
  add_stat(m, "e2el_ms", "E2E latency", &Point::e2el_ms);
  m.push_back({"tps_per_user", "Output tok/s per user", [](const Point& p) { return tps_per_user(p); }, 1});
  m.push_back({"goodput_rps", "Goodput (req/s)", [](const Point& p) { return p.goodput_rps; }, 3});
  m.push_back({"avg_power_w", "Power (W)", [](const Point& p) { return p.telemetry.avg_power_w; }, 0});
  m.push_back({"joules_per_token", "J/token", [](const Point& p) { return p.telemetry.joules_per_token; }, 3});
  m.push_back({"peak_memory_gb", "Peak memory (GB)", [](const Point& p) { return p.telemetry.peak_memory_gb; }, 1});
  return m;
}

}  // namespace

const std::vector<Metric>& point_metrics() {
  static const std::vector<Metric> k_metrics = make_metrics();
  return k_metrics;
}

std::optional<double> load_value(const Point& point) {
  if (point.concurrency) return static_cast<double>(*point.concurrency);
  if (point.request_rate_rps) return point.request_rate_rps;
  return std::nullopt;
}

std::string load_label(const Point& point) {
  if (point.concurrency) return format::grouped(*point.concurrency);
  if (point.request_rate_rps) return format::human(*point.request_rate_rps) + " req/s";
  if (point.request_rate_inf) return "all at once";
  return "load not stated";
}

std::string load_axis_title(const model::Report& report) {
  for (const Point& p : report.points) {
    if (p.concurrency) return "Concurrency (requests in flight)";
  }
  for (const Point& p : report.points) {
    if (p.request_rate_rps) return "Request rate (req/s)";
  }
  return "Load level";
}

std::optional<bool> slo_held(const model::Report& report, const Point& point) {
  if (point.slo_held) return point.slo_held;
  const auto& w = report.workload;
  if (!w.slo_ttft_ms && !w.slo_tpot_ms) return std::nullopt;
  if (point.completed.value_or(0) <= 0) return false;
  if (w.slo_ttft_ms) {
    const auto v = point.ttft_ms.percentile(50);
    if (!v) return std::nullopt;
    if (*v > *w.slo_ttft_ms) return false;
  }
  if (w.slo_tpot_ms) {
    const auto v = point.tpot_ms.percentile(50);
    if (!v) return std::nullopt;
    if (*v > *w.slo_tpot_ms) return false;
  }
  return true;
}

std::optional<double> tps_per_user(const Point& point) {
  if (auto v = point.interactivity_tps.percentile(50)) return v;
  if (auto t = point.tpot_ms.percentile(50); t && *t > 0) return 1000.0 / *t;
  // Without TPOT, median ITL stands in, as for the SLO verdicts (economics page, "SLO verdicts").
  if (auto t = point.itl_ms.percentile(50); t && *t > 0) return 1000.0 / *t;
  return std::nullopt;
}

Headline headline(const model::Report& report) {
  Headline h;
  const double gpus = static_cast<double>(report.system.gpu.count.value_or(0));
  std::optional<double> lowest_load;
  for (std::size_t i = 0; i < report.points.size(); ++i) {
    const Point& p = report.points[i];
    if (p.output_throughput_tps && (!h.peak_output_tps || *p.output_throughput_tps > *h.peak_output_tps)) {
      h.peak_output_tps = p.output_throughput_tps;
      h.peak_load = load_value(p) || p.request_rate_inf ? load_label(p) : "";
      if (gpus > 0) h.peak_output_tps_per_gpu = *p.output_throughput_tps / gpus;
    }
    if (p.total_throughput_tps && (!h.peak_total_tps || *p.total_throughput_tps > *h.peak_total_tps)) {
      h.peak_total_tps = p.total_throughput_tps;
    }
    const auto load = load_value(p);
    if (slo_held(report, p).value_or(false)) {
      const auto best = h.slo_point ? load_value(report.points[*h.slo_point]) : std::nullopt;
      if (!h.slo_point || (load && (!best || *load > *best))) {
        h.slo_point = i;
        h.slo_load = load_label(p);
        h.slo_output_tps = p.output_throughput_tps;
      }
    }
    if (load && (!lowest_load || *load < *lowest_load)) {
      lowest_load = load;
      h.best_ttft_median_ms = p.ttft_ms.percentile(50);
    }
  }
  if (!h.slo_point) {
    bool any_known = false;
    for (const Point& p : report.points) any_known = any_known || slo_held(report, p).has_value();
    h.slo_load = any_known ? "none holds the SLO" : "no SLO defined";
  }
  return h;
}

std::string cell(std::optional<double> value, int decimals) {
  if (!value || !std::isfinite(*value)) return "";
  if (decimals < 0) return format::grouped(std::llround(*value));
  return format::fixed(*value, decimals);
}

}  // namespace sitegen::site
