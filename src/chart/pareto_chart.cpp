// Markers (and, with `curves`, a curve) per configuration and the Pareto frontier over all of
// them: tokens/s per GPU against tokens/s per user, where more of both is better.

#include <algorithm>

#include "chart/charts.hpp"
#include "chart/axes.hpp"
#include "chart/legend.hpp"
#include "util/format.hpp"

namespace sitegen::chart {

std::vector<Point> pareto_frontier(const std::vector<Point>& points) {
  std::vector<Point> candidates;
  for (const Point& p : points)
    if (detail::usable(p.x, false) && detail::usable(p.y, false)) candidates.push_back(p);
  // Best x first, and the best y among equal x; a stable sort keeps the first of equal points.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Point& a, const Point& b) { return a.x != b.x ? a.x > b.x : a.y > b.y; });
  std::vector<Point> frontier;
  for (const Point& p : candidates)
    if (frontier.empty() || p.y > frontier.back().y) frontier.push_back(p);
  std::reverse(frontier.begin(), frontier.end());
  return frontier;
}

std::string render(const ParetoChart& chart) {
  const Frame frame = detail::sane_frame(chart.frame);
  const Axis x_axis = [&] {
    Axis a = chart.x;
    a.categories.clear();  // a scatter has numbers on both axes
    return a;
  }();
  const Axis& y_axis = chart.y;

  std::vector<double> xs, ys;
  std::vector<Point> all;
  std::size_t dropped_log = 0, dropped_bad = 0;
  for (const Series& s : chart.series) {
    for (const Point& p : s.points) {
      if (!detail::usable(p.x, false) || !detail::usable(p.y, false)) {
        ++dropped_bad;
      } else if (!detail::usable(p.x, x_axis.log) || !detail::usable(p.y, y_axis.log)) {
        ++dropped_log;
      } else {
        xs.push_back(p.x);
        ys.push_back(p.y);
        all.push_back(p);
      }
    }
  }
  const std::string desc = detail::desc_with_dropped(frame.desc, dropped_log, dropped_bad);
  if (xs.empty()) return detail::no_data_svg(frame, desc, "pareto-chart");

  const detail::XyLayout xy = detail::layout_xy(frame, x_axis, y_axis, xs, ys);
  const detail::Box& plot = xy.plot;
  const std::vector<Point> frontier = chart.frontier ? pareto_frontier(all) : std::vector<Point>{};

  std::vector<detail::LegendEntry> entries;
  for (std::size_t i = 0; i < chart.series.size(); ++i)
    if (!chart.series[i].name.empty())
      entries.push_back({chart.series[i].name, detail::series_class(chart.series[i].colour, i),
                         chart.curves && chart.series[i].line, true, false, detail::marker_shape(chart.series[i].colour, i)});
  if (frontier.size() >= 2 && !chart.frontier_label.empty())
    entries.push_back({chart.frontier_label, "frontier", true, false, false, detail::Shape::circle});
  const detail::LegendLayout legend =
      detail::layout_legend(entries, 8, plot.bottom() + detail::k_bottom_margin + 4, frame.width - 16);
  const double height = entries.empty() ? frame.height : legend.bounds.bottom() + 8;

  SvgWriter svg;
  const std::string id = detail::chart_id(frame);
  detail::open_svg(svg, frame, id, height, desc, "pareto-chart");
  detail::draw_plot(svg, xy, x_axis, y_axis, id);

  // A polyline through points in the plot's pixels, clipped to the plot.
  const auto polyline = [&](const std::vector<Point>& points, const char* css_class) {
    std::string d;
    for (const Point& p : points) {
      d += d.empty() ? "M" : " L";
      append_num(d, xy.x(p.x));
      d += ' ';
      append_num(d, xy.y(p.y));
    }
    svg.leaf("path", {{"class", css_class}, {"d", d}, {"clip-path", "url(#" + id + "-clip)"}});
  };
  // The frontier goes under the markers so every marker keeps its hover title.
  if (frontier.size() >= 2) polyline(frontier, "frontier");
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    svg.open("g", {{"class", "series " + detail::series_class(s.colour, i)}});
    if (chart.curves && s.line) {
      std::vector<Point> curve;
      for (const Point& p : s.points)
        if (detail::usable(p.x, x_axis.log) && detail::usable(p.y, y_axis.log)) curve.push_back(p);
      std::stable_sort(curve.begin(), curve.end(), [](const Point& a, const Point& b) { return a.x < b.x; });
      if (curve.size() >= 2) polyline(curve, "line");
    }
    for (const Point& p : s.points) {
      if (!detail::usable(p.x, x_axis.log) || !detail::usable(p.y, y_axis.log)) continue;
      std::string title = p.title;
      if (title.empty()) {
        title = x_axis.tick_prefix + format::human(p.x) + x_axis.tick_suffix + ", " + y_axis.tick_prefix +
                format::human(p.y) + y_axis.tick_suffix;
        if (!s.name.empty()) title = s.name + ": " + title;
      }
      const bool on_frontier = std::any_of(frontier.begin(), frontier.end(),
                                           [&](const Point& f) { return f.x == p.x && f.y == p.y; });
      detail::draw_marker(svg, plot, xy.x(p.x), xy.y(p.y), title, on_frontier ? "marker on-frontier" : "marker",
                          detail::marker_shape(s.colour, i));
    }
    svg.close();
  }
  detail::draw_legend(svg, entries, legend);
  return svg.str();
}

}  // namespace sitegen::chart
