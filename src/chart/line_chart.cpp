// Lines and markers against x: throughput and latency against load, cost against team size,
// history trends and latency CDFs.

#include <algorithm>
#include <cmath>

#include "chart/charts.hpp"
#include "chart/axes.hpp"
#include "chart/legend.hpp"
#include "util/format.hpp"

namespace sitegen::chart {

namespace {

using detail::Box;

// The default hover text of a point: "<series>: <x>, <y>" (the category name for a category x).
std::string point_title(const Series& series, const Point& p, const Axis& x, const Axis& y) {
  if (!p.title.empty()) return p.title;
  std::string xs = format::human(p.x);
  const long long i = std::llround(p.x);
  if (!x.categories.empty() && i >= 0 && static_cast<std::size_t>(i) < x.categories.size())
    xs = x.categories[static_cast<std::size_t>(i)];
  std::string text = x.tick_prefix + xs + x.tick_suffix + ", " + y.tick_prefix + format::human(p.y) + y.tick_suffix;
  return series.name.empty() ? text : series.name + ": " + text;
}

// The path through the drawable points; a point that cannot be drawn breaks the line.
std::string line_path(const Series& series, const Scale& x, const Scale& y) {
  std::string d;
  bool pen_down = false;
  double last_py = 0;
  std::size_t segment_points = 0, longest = 0;
  for (const Point& p : series.points) {
    if (!detail::usable(p.x, x.is_log()) || !detail::usable(p.y, y.is_log())) {
      pen_down = false;
      continue;
    }
    const double px = x(p.x), py = y(p.y);
    const auto to = [&d](const char* command, double vx, double vy) {
      d += command;
      append_num(d, vx);
      d += ' ';
      append_num(d, vy);
    };
    if (!pen_down) {
      to(d.empty() ? "M" : " M", px, py);
      segment_points = 1;
    } else {
      if (series.step) to(" L", px, last_py);
      to(" L", px, py);
      longest = std::max(longest, ++segment_points);
    }
    pen_down = true;
    last_py = py;
  }
  return longest >= 2 ? d : "";
}

}  // namespace

std::string render(const LineChart& chart) {
  const Frame frame = detail::sane_frame(chart.frame);
  const bool xlog = chart.x.log && chart.x.categories.empty(), ylog = chart.y.log;
  Axis x_axis = chart.x, y_axis = chart.y;
  x_axis.log = xlog;

  // What can be drawn, and what had to be left out (counted in <desc>).
  std::vector<double> xs, ys;
  std::size_t dropped_log = 0, dropped_bad = 0;
  for (const Series& s : chart.series) {
    for (const Point& p : s.points) {
      if (!detail::usable(p.x, false) || !detail::usable(p.y, false)) {
        ++dropped_bad;
      } else if (!detail::usable(p.x, xlog) || !detail::usable(p.y, ylog)) {
        ++dropped_log;
      } else {
        xs.push_back(p.x);
        ys.push_back(p.y);
      }
    }
  }
  const std::string desc = detail::desc_with_dropped(frame.desc, dropped_log, dropped_bad);
  if (xs.empty()) return detail::no_data_svg(frame, desc, "line-chart");
  for (const ReferenceLine& r : chart.x_lines)
    if (detail::usable(r.value, xlog)) xs.push_back(r.value);
  for (const ReferenceLine& r : chart.y_lines)
    if (detail::usable(r.value, ylog)) ys.push_back(r.value);

  const detail::XyLayout xy = detail::layout_xy(frame, x_axis, y_axis, xs, ys);
  const Box& plot = xy.plot;
  const Scale& x = xy.x;
  const Scale& y = xy.y;

  std::vector<detail::LegendEntry> entries;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    if (s.name.empty()) continue;
    const std::string stroke = detail::stroke_class(s.stroke);
    entries.push_back({s.name, detail::series_class(s.colour, i) + (stroke.empty() ? "" : " " + stroke),
                       s.line, s.markers, false, detail::marker_shape(s.colour, i)});
  }
  const double legend_top = plot.bottom() + detail::k_bottom_margin + 4;
  const detail::LegendLayout legend = detail::layout_legend(entries, 8, legend_top, frame.width - 16);
  const double height = entries.empty() ? frame.height : legend.bounds.bottom() + 8;

  SvgWriter svg;
  const std::string id = detail::chart_id(frame);
  detail::open_svg(svg, frame, id, height, desc, "line-chart");
  detail::draw_plot(svg, xy, x_axis, y_axis, id);
  detail::draw_x_lines(svg, x, chart.x_lines, plot);
  detail::draw_y_lines(svg, y, chart.y_lines, plot);

  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    const std::string stroke = detail::stroke_class(s.stroke);
    svg.open("g", {{"class", "series " + detail::series_class(s.colour, i) + (stroke.empty() ? "" : " " + stroke)}});
    if (s.line) {
      const std::string d = line_path(s, x, y);
      if (!d.empty()) svg.leaf("path", {{"class", "line"}, {"d", d}, {"clip-path", "url(#" + id + "-clip)"}});
    }
    if (s.markers) {
      for (const Point& p : s.points) {
        if (!detail::usable(p.x, xlog) || !detail::usable(p.y, ylog)) continue;
        detail::draw_marker(svg, plot, x(p.x), y(p.y), point_title(s, p, x_axis, y_axis), "marker",
                            detail::marker_shape(s.colour, i));
      }
    }
    svg.close();
  }
  detail::draw_legend(svg, entries, legend);
  return svg.str();
}

}  // namespace sitegen::chart
