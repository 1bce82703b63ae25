#include "site/chart_specs.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "chart/charts.hpp"
#include "site/figures.hpp"
#include "site/report_view.hpp"
#include "util/format.hpp"

namespace sitegen::site {

namespace {

using model::Point;

// A log axis when positive values span more than a factor of 50.
bool spans_decades(const std::vector<chart::Series>& series) {
  double lo = 0, hi = 0;
  for (const chart::Series& s : series) {
    for (const chart::Point& p : s.points) {
      if (!(p.y > 0) || !std::isfinite(p.y)) continue;
      lo = lo == 0 ? p.y : std::min(lo, p.y);
      hi = std::max(hi, p.y);
    }
  }
  return lo > 0 && hi / lo > 50;
}

chart::Frame frame_of(const std::string& id, const std::string& title, double width, double height) {
  chart::Frame f;
  f.id = id;
  f.title = title;
  f.width = width;
  f.height = height;
  return f;
}

bool any_points(const std::vector<chart::Series>& series) {
  for (const chart::Series& s : series) {
    if (!s.points.empty()) return true;
  }
  return false;
}

// Points of the report that have a load value, sorted by load.
std::vector<const Point*> by_load(const model::Report& report) {
  std::vector<const Point*> pts;
  for (const Point& p : report.points) {
    if (load_value(p)) pts.push_back(&p);
  }
  std::stable_sort(pts.begin(), pts.end(), [](const Point* a, const Point* b) { return *load_value(*a) < *load_value(*b); });
  return pts;
}

chart::Series series_of(const std::vector<const Point*>& pts, const std::string& name,
                        std::optional<double> (*value)(const Point&), const std::string& unit) {
  chart::Series s;
  s.name = name;
  for (const Point* p : pts) {
    const auto y = value(*p);
    if (!y || !std::isfinite(*y)) continue;
    std::string title;  // "<name> at <load>: <value> <unit>", the point's hover text
    title.reserve(name.size() + unit.size() + 32);
    title.append(name).append(" at ").append(load_label(*p)).append(": ").append(format::human(*y));
    title.append(" ").append(unit);
    s.points.push_back({*load_value(*p), *y, std::move(title)});
  }
  return s;
}

std::string describe_peak(const chart::Series& s, const std::string& unit) {
  if (s.points.empty()) return "";
  const auto best = std::max_element(s.points.begin(), s.points.end(),
                                     [](const chart::Point& a, const chart::Point& b) { return a.y < b.y; });
  return s.name + " peaks at " + format::human(best->y) + " " + unit + " at load " + format::human(best->x) + ".";
}

}  // namespace

std::string throughput_chart(const model::Report& report, const std::string& id) {
  const auto pts = by_load(report);
  chart::LineChart c;
  c.frame = frame_of(id, "Throughput against load", 480, 300);
  c.x.title = load_axis_title(report);
  c.y.title = "Throughput (tokens/s)";
  c.y.include_zero = true;
  c.series.push_back(series_of(pts, "Output tokens/s", [](const Point& p) { return p.output_throughput_tps; }, "tokens/s"));
  c.series.push_back(series_of(pts, "Total tokens/s", [](const Point& p) { return p.total_throughput_tps; }, "tokens/s"));
  std::erase_if(c.series, [](const chart::Series& s) { return s.points.empty(); });
  if (!any_points(c.series)) return "";
  c.frame.desc = describe_peak(c.series.front(), "tokens/s");
  c.x.log = c.series.front().points.size() > 2 && c.series.front().points.front().x > 0 &&
            c.series.front().points.back().x / c.series.front().points.front().x >= 16;
  return chart::render(c);
}

std::string overlay_chart(const std::vector<std::pair<std::string, const model::Report*>>& reports,
                          const std::string& id, const std::string& which) {
  const bool throughput = which == "throughput";
  using Value = std::optional<double> (*)(const Point&);
  const Value value = throughput ? Value([](const Point& p) { return p.output_throughput_tps; })
                                 : Value([](const Point& p) { return p.ttft_ms.percentile(50); });
  const std::string unit = throughput ? "tokens/s" : "ms";
  chart::LineChart c;
  c.frame = frame_of(id, throughput ? "Output throughput against load" : "Median TTFT against load", 480, 300);
  c.y.title = throughput ? "Output throughput (tokens/s)" : "TTFT median (ms)";
  for (const auto& [name, report] : reports) {
    if (c.x.title.empty()) c.x.title = load_axis_title(*report);
    c.series.push_back(series_of(by_load(*report), name, value, unit));
  }
  std::erase_if(c.series, [](const chart::Series& s) { return s.points.empty(); });
  if (!any_points(c.series)) return "";
  double lo = 0, hi = 0;
  for (const chart::Series& s : c.series) {
    for (const chart::Point& p : s.points) {
      lo = lo == 0 ? p.x : std::min(lo, p.x);
      hi = std::max(hi, p.x);
    }
  }
  c.x.log = lo > 0 && hi / lo >= 16;
  c.y.log = !throughput && spans_decades(c.series);
  c.y.include_zero = !c.y.log;
  std::string desc = "One line per configuration.";
  for (const chart::Series& s : c.series) {
    if (throughput) desc += " " + describe_peak(s, unit);
  }
  c.frame.desc = desc;
  return chart::render(c);
}

std::string latency_chart(const model::Report& report, const std::string& id, const std::string& which) {
  const auto pts = by_load(report);
  chart::LineChart c;
  c.x.title = load_axis_title(report);
  if (which == "tpot") {
    c.frame = frame_of(id, "TPOT and ITL against load", 480, 300);
    c.y.title = "Time per output token (ms)";
    c.series.push_back(series_of(pts, "TPOT median", [](const Point& p) { return p.tpot_ms.percentile(50); }, "ms"));
    c.series.push_back(series_of(pts, "TPOT p99", [](const Point& p) { return p.tpot_ms.percentile(99); }, "ms"));
    c.series.push_back(series_of(pts, "ITL median", [](const Point& p) { return p.itl_ms.percentile(50); }, "ms"));
    c.series.push_back(series_of(pts, "ITL p99", [](const Point& p) { return p.itl_ms.percentile(99); }, "ms"));
    c.series[1].colour = 0;
    c.series[3].colour = 2;
    c.series[2].colour = 2;
    if (report.workload.slo_tpot_ms) c.y_lines.push_back({*report.workload.slo_tpot_ms, "SLO"});
  } else {
    c.frame = frame_of(id, "Time to first token against load", 480, 300);
    c.y.title = "TTFT (ms)";
    c.series.push_back(series_of(pts, "TTFT median", [](const Point& p) { return p.ttft_ms.percentile(50); }, "ms"));
    c.series.push_back(series_of(pts, "TTFT p99", [](const Point& p) { return p.ttft_ms.percentile(99); }, "ms"));
    c.series[1].colour = 0;
    if (report.workload.slo_ttft_ms) c.y_lines.push_back({*report.workload.slo_ttft_ms, "SLO"});
  }
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    if (i % 2 == 1) c.series[i].stroke = chart::Stroke::dashed;
  }
  std::erase_if(c.series, [](const chart::Series& s) { return s.points.empty(); });
  if (!any_points(c.series)) return "";
  c.y.log = spans_decades(c.series);
  c.y.include_zero = !c.y.log;
  c.frame.desc = c.series.front().name + " goes from " + format::human(c.series.front().points.front().y) +
                 " ms to " + format::human(c.series.front().points.back().y) + " ms as load rises.";
  return chart::render(c);
}

std::string cdf_chart(const model::Report& report, const std::string& id) {
  chart::LineChart c;
  c.frame = frame_of(id, "TTFT distribution (per-request samples)", 480, 300);
  c.x.title = "TTFT (ms)";
  c.y.title = "Fraction of requests";
  c.y.min = 0;
  c.y.max = 1;
  std::vector<double> all;
  for (const Point* p : by_load(report)) {
    std::vector<double> v = p->samples.ttft_ms;
    std::erase_if(v, [](double x) { return !std::isfinite(x); });
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    chart::Series s;
    s.name = "load " + load_label(*p);
    s.step = true;
    s.markers = false;
    // At most ~200 steps per series keep the SVG small; the quantiles stay exact at each step.
    const std::size_t stride = std::max<std::size_t>(1, v.size() / 200);
    for (std::size_t i = 0; i < v.size(); i += stride) {
      s.points.push_back({v[i], double(i + 1) / double(v.size()), ""});
    }
    if (s.points.back().y < 1) s.points.push_back({v.back(), 1.0, ""});
    all.insert(all.end(), v.begin(), v.end());
    c.series.push_back(std::move(s));
    if (c.series.size() == 8) break;
  }
  if (c.series.empty()) return "";
  std::sort(all.begin(), all.end());
  c.x.log = all.front() > 0 && all.back() / all.front() > 50;
  c.frame.desc = "Cumulative share of requests whose TTFT is at most x, per load level; " +
                 std::to_string(c.series.size()) + " load level(s) with samples.";
  return chart::render(c);
}

std::string history_chart(const store::Configuration& config, const std::string& id) {
  if (config.history.size() < 2) return "";
  chart::LineChart c;
  c.frame = frame_of(id, "History of peak output throughput", 480, 280);
  c.x.title = "Run";
  c.y.title = "Peak output tokens/s";
  c.y.include_zero = true;
  chart::Series s;
  s.name = "Peak output tokens/s";
  for (std::size_t i = 0; i < config.history.size(); ++i) {
    const store::RunSummary& r = config.history[i];
    c.x.categories.push_back(r.run_id);
    if (r.max_output_tps) {
      s.points.push_back({double(i), *r.max_output_tps, r.run_id + ": " + format::human(*r.max_output_tps) + " tokens/s"});
    }
  }
  if (s.points.empty()) return "";
  c.frame.desc = "Peak output throughput of " + std::to_string(config.history.size()) + " runs, oldest first; latest " +
                 format::human(s.points.back().y) + " tokens/s.";
  c.series.push_back(std::move(s));
  return chart::render(c);
}

std::string pareto_chart(const std::vector<const store::Configuration*>& configs, const std::string& id,
                         bool within_model) {
  chart::ParetoChart c;
  c.frame = frame_of(id, "Throughput per GPU against speed per user", 480, 360);
  c.curves = within_model;
  c.x.title = "Output tokens/s per user";
  c.y.title = "Output tokens/s per GPU";
  for (const store::Configuration* cfg : configs) {
    const store::Run* run = cfg->latest_run();
    if (!run) continue;
    const double gpus = double(std::max<long long>(1, run->report.system.gpu.count.value_or(1)));
    chart::Series s;
    s.name = cfg->id;
    if (within_model) {
      const model::System& sys = run->report.system;
      s.name = gpu_text(sys) + (sys.engine.name.empty() ? "" : " · " + sys.engine.name) +
               (sys.model.precision.empty() ? "" : " · " + sys.model.precision);
    }
    for (const Point& p : run->report.points) {
      const auto x = tps_per_user(p);
      if (!x || !p.output_throughput_tps) continue;
      const double y = *p.output_throughput_tps / gpus;
      s.points.push_back({*x, y, s.name + " at load " + load_label(p) + ": " + format::human(*x) +
                                     " tokens/s per user, " + format::human(y) + " tokens/s per GPU"});
    }
    if (!s.points.empty()) c.series.push_back(std::move(s));
  }
  if (c.series.empty()) return "";
  std::vector<chart::Series> flipped = c.series;
  for (chart::Series& s : flipped) {
    for (chart::Point& p : s.points) p.y = p.x;
  }
  c.x.log = spans_decades(flipped);
  c.y.log = spans_decades(c.series);
  std::size_t n = 0;
  for (const auto& s : c.series) n += s.points.size();
  c.frame.desc = std::to_string(n) + " operating points of " + std::to_string(c.series.size()) +
                 " configuration(s); points on the frontier are not beaten on both axes by any other.";
  return chart::render(c);
}

std::string cost_vs_api_chart(const std::vector<CostBar>& bars, const std::string& id) {
  if (bars.empty()) return "";
  chart::BarChart c;
  c.frame = frame_of(id, "Cost per 1M tokens: self-hosted against APIs", 520, 400);
  c.x.title = "USD per 1M tokens (log scale)";
  c.x.log = true;
  c.x.tick_prefix = "$";
  c.groups = {"Self-hosted (at SLO)", "API (blended)"};
  for (const CostBar& b : bars) {
    if (!(b.usd_per_1m > 0)) continue;
    c.bars.push_back({b.label, b.usd_per_1m, b.api ? 1 : 0, b.title, "$" + format::human(b.usd_per_1m)});
  }
  if (c.bars.empty()) return "";
  c.frame.desc = std::to_string(c.bars.size()) + " prices in USD per 1M tokens; shorter is cheaper.";
  return chart::render(c);
}

std::string dev_month_chart(const model::Report& report, double usd_per_hour,
                            std::optional<long long> team_size_max, const std::string& id) {
  if (report.capacity.empty() || !(usd_per_hour > 0)) return "";
  chart::LineChart c;
  c.frame = frame_of(id, "Cost per developer-month against team size", 480, 300);
  c.x.title = "Team size (concurrent developers)";
  c.y.title = "USD per developer-month";
  c.y.tick_prefix = "$";
  chart::Series held, missed;
  held.name = "SLO held";
  missed.name = "SLO missed";
  missed.stroke = chart::Stroke::dashed;
  for (const model::CapacityResult& r : report.capacity) {
    if (r.team_size <= 0) continue;
    const double v = usd_per_hour * 730 / double(r.team_size);
    chart::Point p{double(r.team_size), v,
                   std::to_string(r.team_size) + " developers: $" + format::human(v) + " per developer-month" +
                       (r.slo_held ? (*r.slo_held ? ", SLO held" : ", SLO missed") : "")};
    (r.slo_held.value_or(false) ? held : missed).points.push_back(p);
  }
  for (chart::Series* s : {&held, &missed}) {
    std::sort(s->points.begin(), s->points.end(), [](const chart::Point& a, const chart::Point& b) { return a.x < b.x; });
    if (!s->points.empty()) c.series.push_back(*s);
  }
  if (c.series.empty()) return "";
  c.y.log = spans_decades(c.series);
  if (team_size_max) c.x_lines.push_back({double(*team_size_max), "largest team within SLO"});
  c.frame.desc = "At $" + format::human(usd_per_hour) + " per hour, the cost per developer-month falls as the team grows" +
                 (team_size_max ? "; the SLO holds up to " + std::to_string(*team_size_max) + " developers." : ".");
  return chart::render(c);
}

std::string cost_volume_chart(const std::vector<CostLine>& lines, const std::string& id) {
  double top = 0;
  for (const CostLine& l : lines) {
    if (!(l.usd_per_1m >= 0) || !std::isfinite(l.usd_per_1m)) continue;
    top = std::max(top, l.capacity_m.value_or(0));
  }
  const double v_min = 1, v_max = std::max(10.0 * v_min, top > 0 ? top * 1.5 : 1e4);
  chart::LineChart c;
  c.frame = frame_of(id, "Monthly cost against monthly volume", 520, 340);
  c.x.title = "Million tokens a month (log scale)";
  c.y.title = "USD a month (log scale)";
  c.x.log = c.y.log = true;
  c.y.tick_prefix = "$";
  const int k_steps = 24;
  for (const CostLine& l : lines) {
    const double end = l.capacity_m ? std::min(*l.capacity_m, v_max) : v_max;
    if (!(end > v_min) || !(l.usd_per_1m >= 0) || !(l.fixed_usd_per_month >= 0)) continue;
    chart::Series s;
    s.name = l.name + (l.kind == CostLine::Kind::owned ? " (owned)" : l.kind == CostLine::Kind::rented ? " (rented)" : " (API)");
    s.stroke = l.kind == CostLine::Kind::api ? chart::Stroke::dashed : l.kind == CostLine::Kind::rented ? chart::Stroke::dotted
                                                                                                     : chart::Stroke::solid;
    s.markers = false;
    for (int i = 0; i <= k_steps; ++i) {
      const double v = v_min * std::pow(end / v_min, double(i) / k_steps);
      const double usd = l.fixed_usd_per_month + l.usd_per_1m * v;
      if (usd > 0) s.points.push_back({v, usd, ""});
    }
    if (s.points.size() >= 2) c.series.push_back(std::move(s));
  }
  if (c.series.empty()) return "";
  chart::Series even;
  even.name = "break-even with an API";
  even.line = false;
  for (const CostLine& own : lines) {
    if (own.kind != CostLine::Kind::owned) continue;
    for (const CostLine& api : lines) {
      if (api.kind != CostLine::Kind::api || !(api.usd_per_1m > own.usd_per_1m)) continue;
      const double v = own.fixed_usd_per_month / (api.usd_per_1m - own.usd_per_1m);
      if (!(v >= v_min) || v > v_max || (own.capacity_m && v > *own.capacity_m)) continue;
      even.points.push_back({v, api.usd_per_1m * v,
                             own.name + " breaks even with " + api.name + " at " + format::human(v) + " M tokens a month ($" +
                                 format::human(api.usd_per_1m * v) + " a month)"});
    }
  }
  if (!even.points.empty()) c.series.push_back(std::move(even));
  c.frame.desc = "Owned lines start at their fixed monthly cost and end at their capacity at the SLO; rentals (billed "
                 "only while busy) and APIs start at zero. Where an owned line crosses below an API's, owning is cheaper.";
  return chart::render(c);
}

std::string scaling_chart(const std::vector<const store::Configuration*>& configs, const std::string& id) {
  std::map<std::string, chart::Series> lines;
  for (const store::Configuration* cfg : configs) {
    const store::Run* run = cfg->latest_run();
    if (!run || cfg->key.gpus <= 0) continue;
    const model::System& sys = run->report.system;
    std::optional<double> peak;
    for (const Point& p : run->report.points)
      if (p.output_throughput_tps && (!peak || *p.output_throughput_tps > *peak)) peak = p.output_throughput_tps;
    if (!peak) continue;
    const std::string name = (sys.gpu.model.empty() ? std::string("unknown GPU") : sys.gpu.model) +
                             (sys.engine.name.empty() ? "" : " · " + sys.engine.name) +
                             (sys.model.precision.empty() ? "" : " · " + sys.model.precision);
    const double gpus = static_cast<double>(cfg->key.gpus);
    chart::Series& s = lines[name];
    s.name = name;
    s.points.push_back({gpus, *peak / gpus, name + " on " + format::human(gpus) + " GPU(s): " + format::human(*peak / gpus) +
                                               " output tokens/s per GPU at peak"});
  }
  chart::LineChart c;
  c.frame = frame_of(id, "Throughput per GPU against GPU count", 480, 300);
  c.x.title = "GPUs";
  c.y.title = "Peak output tokens/s per GPU";
  c.y.include_zero = true;
  for (auto& [name, s] : lines) {
    if (s.points.size() < 2) continue;
    std::sort(s.points.begin(), s.points.end(), [](const chart::Point& a, const chart::Point& b) { return a.x < b.x; });
    c.series.push_back(std::move(s));
  }
  if (c.series.empty()) return "";
  c.x.log = true;  // GPU counts run 1, 2, 4, 8 ... 72
  c.frame.desc = "Peak output throughput divided by the GPU count, for each GPU, engine and precision measured at two or more GPU counts.";
  return chart::render(c);
}

}  // namespace sitegen::site
