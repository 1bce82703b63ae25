#pragma once
// What the chart kinds share (internal to chart/): boxes, fitting an axis to data, drawing the
// document frame, axes, reference lines and the legend. The public API is charts.hpp.

#include <cstddef>
#include <string>
#include <vector>

#include "chart/charts.hpp"
#include "chart/scale.hpp"
#include "chart/svg.hpp"

namespace sitegen::chart::detail {

constexpr double k_tick_font = 12;    // tick labels, legend, reference labels
constexpr double k_title_font = 13;   // axis titles
constexpr double k_legend_row = 20;   // height of one legend row
constexpr std::size_t k_max_label_chars = 40;  // legend and bar labels are cut beyond this

// A rectangle in viewBox units.
struct Box {
  double x = 0, y = 0, w = 0, h = 0;
  double right() const { return x + w; }
  double bottom() const { return y + h; }
  // True when the two boxes share any area (touching edges do not count).
  bool intersects(const Box& other) const;
};

// True when v can be drawn on an axis: finite, magnitude at most 1e150, and > 0 on a log axis.
bool usable(double v, bool log);

// A scale for `axis` over the usable `values` (and pinned ends), mapped to [r0, r1]: empty data
// gives 0..1 (1..10 on log), equal values are spread around the value, then nice() unless both
// ends are pinned. Category axes get -0.5 .. n-0.5.
Scale fit_scale(const Axis& axis, const std::vector<double>& values, double r0, double r1, int count);

// The class for palette slot `colour`, or the series' position when colour < 0: "series-N".
std::string series_class(int colour, std::size_t index);

// The marker shape of a slot: circles for slots 0..7, then squares, triangles and diamonds, so
// series 9 and up differ from series 1..8 by more than a repeated colour.
enum class Shape { circle, square, triangle, diamond };
Shape marker_shape(int colour, std::size_t index);

// "" for solid, "dashed" or "dotted".
std::string stroke_class(Stroke stroke);

// frame with its size made drawable: a missing or non-finite size gets the default, and
// width and height are kept within 200..4000 and 120..4000 units.
Frame sane_frame(const Frame& frame);

// The element id prefix for a chart: slug of frame.id, or of the title when id is empty.
std::string chart_id(const Frame& frame);

// Opens <svg> with the accessible title and desc; `height` is the whole viewBox height.
void open_svg(SvgWriter& svg, const Frame& frame, const std::string& id, double height, const std::string& desc,
              const std::string& kind);

// A whole chart that says "No data" in place of axes.
std::string no_data_svg(const Frame& frame, const std::string& desc, const std::string& kind);

// What the data left out: " N points with values at or below zero are left out of the log scale."
// appended to desc when any were dropped.
std::string desc_with_dropped(const std::string& desc, std::size_t dropped_log, std::size_t dropped_bad);

// Room for the y tick labels and title left of the plot area.
double left_margin(const Scale& y, const Axis& axis, int count);

// Grid lines, ticks, tick labels and title of an axis along the plot box. Labels that would
// overlap the previous one are skipped (the grid line stays).
void draw_x_axis(SvgWriter& svg, const Scale& x, const Axis& axis, const Box& plot, int count);
void draw_y_axis(SvgWriter& svg, const Scale& y, const Axis& axis, const Box& plot, int count);

// Dashed reference lines with their labels, inside the plot; lines outside the domain are skipped.
void draw_x_lines(SvgWriter& svg, const Scale& x, const std::vector<ReferenceLine>& lines, const Box& plot);
void draw_y_lines(SvgWriter& svg, const Scale& y, const std::vector<ReferenceLine>& lines, const Box& plot);

constexpr double k_top_margin = 10;     // above the plot area
constexpr double k_bottom_margin = 44;  // below the plot area: tick labels and the x axis title

// The plot area and scales of an x/y chart whose axes are fitted to the values.
struct XyLayout {
  Box plot;
  Scale x;
  Scale y;
  int x_count = 0;
  int y_count = 0;
};
XyLayout layout_xy(const Frame& frame, const Axis& x_axis, const Axis& y_axis, const std::vector<double>& xs,
                   const std::vector<double>& ys);

// The clip path "<id>-clip" for the plot area, the plot-area rect, both axes and their grid.
void draw_plot(SvgWriter& svg, const XyLayout& xy, const Axis& x_axis, const Axis& y_axis, const std::string& id);

// A marker with its hover title, unless it falls outside the plot area.
void draw_marker(SvgWriter& svg, const Box& plot, double px, double py, const std::string& title,
                 const std::string& css_class = "marker", Shape shape = Shape::circle);

// One legend entry: a swatch in the entry's classes and its label.
struct LegendEntry {
  std::string label;
  std::string css_class;   // "series-2 dashed", "frontier", ...
  bool line = true;        // a short line in the swatch
  bool marker = true;      // a marker in the swatch
  bool bar = false;        // a filled square instead of line and circle
  Shape shape = Shape::circle;
};

// Where each legend entry goes when the legend fills rows of `width` from (x, top).
struct LegendLayout {
  std::vector<Box> items;
  std::vector<std::string> labels;  // entry labels, cut to fit
  Box bounds;  // all items; zero height when there are none
};
LegendLayout layout_legend(const std::vector<LegendEntry>& entries, double x, double top, double width);

// Draws the legend laid out by layout_legend, with its bounding box as <rect class="legend-box">.
void draw_legend(SvgWriter& svg, const std::vector<LegendEntry>& entries, const LegendLayout& layout);

}  // namespace sitegen::chart::detail
