#pragma once
// Axes of x/y charts (internal to chart/): the plot area and its scales, grid, ticks, tick
// labels, axis titles and labelled reference lines.

#include <string>
#include <vector>

#include "chart/layout.hpp"

namespace sitegen::chart::detail {

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

}  // namespace sitegen::chart::detail
