#pragma once
// Series styling and the legend (internal to chart/): palette and stroke classes, marker shapes,
// and a legend laid out below the plot so it never covers data.

#include <cstddef>
#include <string>
#include <vector>

#include "chart/layout.hpp"

namespace sitegen::chart::detail {

// The class for palette slot `colour`, or the series' position when colour < 0: "series-N".
std::string series_class(int colour, std::size_t index);

// The marker shape of a slot: circles for slots 0..7, then squares, triangles and diamonds, so
// series 9 and up differ from series 1..8 by more than a repeated colour.
enum class Shape { circle, square, triangle, diamond };
Shape marker_shape(int colour, std::size_t index);

// "" for solid, "dashed" or "dotted".
std::string stroke_class(Stroke stroke);

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
