#include "chart/axes.hpp"

#include <algorithm>
#include <cmath>

namespace sitegen::chart::detail {

namespace {

// Axis label text for a tick: categories by index, otherwise the scale's label with the axis
// prefix and suffix.
std::string label_at(const Scale& scale, const Axis& axis, double tick, int count) {
  if (!axis.categories.empty()) {
    const auto i = static_cast<std::size_t>(std::llround(tick));
    return i < axis.categories.size() ? ellipsize(axis.categories[i], 16) : "";
  }
  return axis.tick_prefix + scale.tick_label(tick, count) + axis.tick_suffix;
}

std::vector<double> axis_ticks(const Scale& scale, const Axis& axis, int count) {
  if (axis.categories.empty()) return scale.ticks(count);
  // Every category while they fit, else every k-th: a history of 1,000 runs gets ~2 x count ticks.
  const std::size_t n = axis.categories.size();
  const std::size_t most = static_cast<std::size_t>(std::max(2, 2 * count));
  const std::size_t every = (n + most - 1) / most;
  std::vector<double> out;
  for (std::size_t i = 0; i < n; i += every) out.push_back(static_cast<double>(i));
  return out;
}

bool is_power_of_ten(double v) {
  const double e = std::log10(v);
  return v > 0 && std::fabs(e - std::round(e)) < 1e-9;
}

// Where a tick lands must be on the axis: rounding at the domain ends can put it a hair outside.
bool on_axis(double position, double a, double b) {
  const double lo = std::min(a, b) - 0.01, hi = std::max(a, b) + 0.01;
  return position >= lo && position <= hi;
}

}  // namespace

double left_margin(const Scale& y, const Axis& axis, int count) {
  double widest = 0;
  for (double tick : axis_ticks(y, axis, count))
    widest = std::max(widest, text_width(label_at(y, axis, tick, count), k_tick_font));
  return 8 + widest + 8 + (axis.title.empty() ? 0 : 20);
}

void draw_x_axis(SvgWriter& svg, const Scale& x, const Axis& axis, const Box& plot, int count) {
  const std::vector<double> ticks = axis_ticks(x, axis, count);
  std::vector<std::string> labels;
  for (double tick : ticks) labels.push_back(label_at(x, axis, tick, count));
  // Which labels to write: all when they fit side by side; on a crowded log axis only the powers
  // of ten (so the labels keep a regular rhythm); then any label that would overlap the previous
  // one is skipped. Grid lines and ticks stay for every value.
  const auto overlaps = [&](const std::vector<bool>& shown) {
    double last_right = -1e9;
    for (std::size_t i = 0; i < ticks.size(); ++i) {
      if (!shown[i]) continue;
      const double px = x(ticks[i]), half = text_width(labels[i], k_tick_font) / 2;
      if (px - half < last_right + 6) return true;
      last_right = px + half;
    }
    return false;
  };
  std::vector<bool> shown(ticks.size(), true);
  if (x.is_log() && overlaps(shown))
    for (std::size_t i = 0; i < ticks.size(); ++i) shown[i] = is_power_of_ten(ticks[i]);

  svg.open("g", {{"class", "axis x-axis"}});
  double last_label_right = -1e9;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const double px = x(ticks[i]);
    if (!on_axis(px, plot.x, plot.right())) continue;
    svg.leaf("line", {{"class", "grid"}, {"x1", px}, {"y1", plot.y}, {"x2", px}, {"y2", plot.bottom()}});
    svg.leaf("line", {{"class", "tick"}, {"x1", px}, {"y1", plot.bottom()}, {"x2", px}, {"y2", plot.bottom() + 5}});
    const double half = text_width(labels[i], k_tick_font) / 2;
    if (!shown[i] || px - half < last_label_right + 6) continue;
    last_label_right = px + half;
    svg.text("text", {{"class", "tick-label"}, {"x", px}, {"y", plot.bottom() + 19}, {"text-anchor", "middle"}},
             labels[i]);
  }
  svg.leaf("line", {{"class", "axis-line"}, {"x1", plot.x}, {"y1", plot.bottom()}, {"x2", plot.right()}, {"y2", plot.bottom()}});
  if (!axis.title.empty()) {
    const auto chars = static_cast<std::size_t>(plot.w / (0.6 * k_title_font));
    svg.text("text",
             {{"class", "axis-title"}, {"x", plot.x + plot.w / 2}, {"y", plot.bottom() + 38}, {"text-anchor", "middle"}},
             ellipsize(axis.title, chars));
  }
  svg.close();
}

void draw_y_axis(SvgWriter& svg, const Scale& y, const Axis& axis, const Box& plot, int count) {
  svg.open("g", {{"class", "axis y-axis"}});
  double last_label_top = 1e9;
  for (double tick : axis_ticks(y, axis, count)) {
    const double py = y(tick);
    if (!on_axis(py, plot.y, plot.bottom())) continue;
    svg.leaf("line", {{"class", "grid"}, {"x1", plot.x}, {"y1", py}, {"x2", plot.right()}, {"y2", py}});
    svg.leaf("line", {{"class", "tick"}, {"x1", plot.x - 5}, {"y1", py}, {"x2", plot.x}, {"y2", py}});
    if (py + k_tick_font / 2 > last_label_top - 2) continue;  // ticks go upwards: skip crowded labels
    last_label_top = py - k_tick_font / 2;
    svg.text("text", {{"class", "tick-label"}, {"x", plot.x - 8}, {"y", py + 4}, {"text-anchor", "end"}},
             label_at(y, axis, tick, count));
  }
  svg.leaf("line", {{"class", "axis-line"}, {"x1", plot.x}, {"y1", plot.y}, {"x2", plot.x}, {"y2", plot.bottom()}});
  if (!axis.title.empty()) {
    const auto chars = static_cast<std::size_t>(plot.h / (0.6 * k_title_font));
    const double cy = plot.y + plot.h / 2;
    svg.text("text",
             {{"class", "axis-title"},
              {"x", 14.0},
              {"y", cy},
              {"text-anchor", "middle"},
              {"transform", "rotate(-90 14 " + num(cy) + ")"}},
             ellipsize(axis.title, chars));
  }
  svg.close();
}

void draw_x_lines(SvgWriter& svg, const Scale& x, const std::vector<ReferenceLine>& lines, const Box& plot) {
  for (const ReferenceLine& line : lines) {
    if (!usable(line.value, x.is_log())) continue;
    const double px = x(line.value);
    if (!on_axis(px, plot.x, plot.right())) continue;
    svg.open("g", {{"class", "reference x-reference"}});
    svg.leaf("line", {{"class", "reference-line"}, {"x1", px}, {"y1", plot.y}, {"x2", px}, {"y2", plot.bottom()}});
    if (!line.label.empty()) {
      // Labels near the right edge go on the left of their line so they stay inside the plot.
      const bool left = px > plot.x + plot.w * 0.7;
      svg.text("text",
               {{"class", "reference-label"},
                {"x", left ? px - 4 : px + 4},
                {"y", plot.y + 14},
                {"text-anchor", left ? "end" : "start"}},
               ellipsize(line.label, k_max_label_chars));
    }
    svg.close();
  }
}

void draw_y_lines(SvgWriter& svg, const Scale& y, const std::vector<ReferenceLine>& lines, const Box& plot) {
  for (const ReferenceLine& line : lines) {
    if (!usable(line.value, y.is_log())) continue;
    const double py = y(line.value);
    if (!on_axis(py, plot.y, plot.bottom())) continue;
    svg.open("g", {{"class", "reference y-reference"}});
    svg.leaf("line", {{"class", "reference-line"}, {"x1", plot.x}, {"y1", py}, {"x2", plot.right()}, {"y2", py}});
    if (!line.label.empty()) {
      // Above the line unless that leaves the plot.
      const double ty = py - 5 < plot.y + k_tick_font ? py + 14 : py - 5;
      svg.text("text", {{"class", "reference-label"}, {"x", plot.right() - 4}, {"y", ty}, {"text-anchor", "end"}},
               ellipsize(line.label, k_max_label_chars));
    }
    svg.close();
  }
}

XyLayout layout_xy(const Frame& frame, const Axis& x_axis, const Axis& y_axis, const std::vector<double>& xs,
                   const std::vector<double>& ys) {
  // The y labels decide the left margin, the last x label the right one.
  const double plot_h = std::max(40.0, frame.height - k_top_margin - k_bottom_margin);
  const int y_count = std::max(2, static_cast<int>(plot_h / 45));
  Scale y = fit_scale(y_axis, ys, k_top_margin + plot_h, k_top_margin, y_count);
  const double left = left_margin(y, y_axis, y_count);
  const int x_count = std::max(2, static_cast<int>((frame.width - left - 16) / 90));
  double right = 16;
  if (x_axis.categories.empty()) {
    const Scale probe = fit_scale(x_axis, xs, 0, 1, x_count);
    const auto ticks = probe.ticks(x_count);
    if (!ticks.empty()) {
      const std::string last = x_axis.tick_prefix + probe.tick_label(ticks.back(), x_count) + x_axis.tick_suffix;
      right = std::max(right, text_width(last, k_tick_font) / 2 + 4);
    }
  }
  const Box plot{left, k_top_margin, std::max(40.0, frame.width - left - right), plot_h};
  Scale x = fit_scale(x_axis, xs, plot.x, plot.right(), x_count);
  return {plot, x, y, x_count, y_count};
}

void draw_plot(SvgWriter& svg, const XyLayout& xy, const Axis& x_axis, const Axis& y_axis, const std::string& id) {
  const Box& plot = xy.plot;
  svg.open("defs");
  svg.open("clipPath", {{"id", id + "-clip"}});
  svg.leaf("rect", {{"x", plot.x}, {"y", plot.y}, {"width", plot.w}, {"height", plot.h}});
  svg.close();
  svg.close();
  svg.leaf("rect", {{"class", "plot-area"}, {"x", plot.x}, {"y", plot.y}, {"width", plot.w}, {"height", plot.h}});
  draw_x_axis(svg, xy.x, x_axis, plot, xy.x_count);
  draw_y_axis(svg, xy.y, y_axis, plot, xy.y_count);
}

}  // namespace sitegen::chart::detail
