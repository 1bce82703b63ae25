#pragma once
// What the chart kinds share (internal to chart/): boxes, fitting an axis to data, the document
// frame and its accessible text. Axes are in axes.hpp, the legend and markers in legend.hpp; the
// public API is charts.hpp.

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

}  // namespace sitegen::chart::detail
