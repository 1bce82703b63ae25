// Labelled horizontal bars against a (usually log) x axis: $/1M tokens of self-hosted
// configurations beside API prices.

#include <algorithm>

#include "chart/charts.hpp"
#include "chart/axes.hpp"
#include "chart/legend.hpp"
#include "util/format.hpp"
#include "util/strings.hpp"

namespace sitegen::chart {

namespace {

constexpr double k_row = 24;         // one bar and the gap under it
constexpr double k_bar_height = 16;

std::string group_class(const BarChart& chart, int group) {
  std::string out = detail::series_class(group < 0 ? 0 : group, 0);
  if (group >= 0 && static_cast<std::size_t>(group) < chart.groups.size())
    out += " group-" + strings::slug(chart.groups[static_cast<std::size_t>(group)]);
  return out;
}

std::string value_text(const BarChart& chart, const Bar& bar) {
  if (!bar.value_label.empty()) return bar.value_label;
  return chart.x.tick_prefix + format::human(bar.value) + chart.x.tick_suffix;
}

}  // namespace

std::string render(const BarChart& chart) {
  const Frame frame = detail::sane_frame(chart.frame);
  Axis x_axis = chart.x;
  x_axis.categories.clear();
  if (!x_axis.log) x_axis.include_zero = true;  // linear bars grow from zero

  std::vector<const Bar*> bars;
  std::vector<double> xs;
  std::size_t dropped_log = 0, dropped_bad = 0;
  for (const Bar& bar : chart.bars) {
    if (!detail::usable(bar.value, false)) {
      ++dropped_bad;
    } else if (!detail::usable(bar.value, x_axis.log)) {
      ++dropped_log;
    } else {
      bars.push_back(&bar);
      xs.push_back(bar.value);
    }
  }
  const std::string desc = detail::desc_with_dropped(frame.desc, dropped_log, dropped_bad);
  if (bars.empty()) return detail::no_data_svg(frame, desc, "bar-chart");
  for (const ReferenceLine& r : chart.x_lines)
    if (detail::usable(r.value, x_axis.log)) xs.push_back(r.value);

  // Columns: labels | bars | value labels, each as wide as its longest text allows.
  double label_w = 0, value_w = 0;
  for (const Bar* bar : bars) {
    label_w = std::max(label_w, text_width(bar->label, detail::k_tick_font));
    value_w = std::max(value_w, text_width(value_text(chart, *bar), detail::k_tick_font));
  }
  label_w = std::min(label_w, frame.width * 0.35);
  value_w = std::min(value_w, frame.width * 0.2);
  const auto label_chars = static_cast<std::size_t>(label_w / (0.6 * detail::k_tick_font) + 1e-6);
  const double left = 8 + label_w + 8;
  const double right = std::max(16.0, value_w + 12);
  const detail::Box plot{left, detail::k_top_margin, std::max(40.0, frame.width - left - right),
                         k_row * static_cast<double>(bars.size())};
  const int x_count = std::max(2, static_cast<int>(plot.w / 90));
  const Scale x = detail::fit_scale(x_axis, xs, plot.x, plot.right(), x_count);

  std::vector<detail::LegendEntry> entries;
  for (std::size_t g = 0; g < chart.groups.size(); ++g) {
    // A group with no bar drawn would be a legend entry for nothing.
    const int group = static_cast<int>(g);
    const bool drawn = std::any_of(bars.begin(), bars.end(), [&](const Bar* b) { return b->group == group; });
    if (!drawn || chart.groups[g].empty()) continue;
    entries.push_back({chart.groups[g], group_class(chart, group), false, false, true, detail::Shape::circle});
  }
  const detail::LegendLayout legend =
      detail::layout_legend(entries, 8, plot.bottom() + detail::k_bottom_margin + 4, frame.width - 16);
  const double height = entries.empty() ? plot.bottom() + detail::k_bottom_margin + 4 : legend.bounds.bottom() + 8;

  SvgWriter svg;
  const std::string id = detail::chart_id(frame);
  detail::open_svg(svg, frame, id, height, desc, "bar-chart");
  svg.leaf("rect", {{"class", "plot-area"}, {"x", plot.x}, {"y", plot.y}, {"width", plot.w}, {"height", plot.h}});
  detail::draw_x_axis(svg, x, x_axis, plot, x_count);
  const double base = x.is_log() ? plot.x : x(0.0);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& bar = *bars[i];
    const double top = plot.y + k_row * static_cast<double>(i) + (k_row - k_bar_height) / 2;
    const double end = std::clamp(x(bar.value), plot.x, plot.right());
    const std::string value = value_text(chart, bar);
    svg.open("g", {{"class", "bar-row " + group_class(chart, bar.group)}});
    svg.text("title", {}, bar.title.empty() ? bar.label + ": " + value : bar.title);
    svg.text("text",
             {{"class", "bar-label"}, {"x", left - 8}, {"y", top + k_bar_height / 2 + 4}, {"text-anchor", "end"}},
             ellipsize(bar.label, std::max<std::size_t>(label_chars, 4)));
    svg.leaf("rect", {{"class", "bar"},
                      {"x", std::min(base, end)},
                      {"y", top},
                      {"width", std::max(std::abs(end - base), 1.0)},
                      {"height", k_bar_height}});
    svg.text("text", {{"class", "bar-value"}, {"x", std::max(base, end) + 4}, {"y", top + k_bar_height / 2 + 4}},
             value);
    svg.close();
  }
  detail::draw_x_lines(svg, x, chart.x_lines, plot);
  detail::draw_legend(svg, entries, legend);
  return svg.str();
}

}  // namespace sitegen::chart
