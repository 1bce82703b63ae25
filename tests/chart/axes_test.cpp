#include "chart/axes.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "chart_check.hpp"

using namespace sitegen::chart;
using namespace sitegen::chart::detail;

TEST_CASE("a crowded log axis labels only the powers of ten", "[chart]") {
  Axis axis;
  axis.log = true;
  axis.tick_prefix = "$";
  const Box plot{60, 10, 160, 100};
  const Scale x = fit_scale(axis, {0.042, 15}, plot.x, plot.right(), 4);
  SvgWriter svg;
  draw_x_axis(svg, x, axis, plot, 4);
  const std::string out = svg.str();
  CHECK(sitegen::test::texts_of_class(out, "tick-label") == std::vector<std::string>{"$0.1", "$1", "$10"});
  CHECK(sitegen::test::count_of(out, "class=\"grid\"") == 10);  // every 1-2-5 value keeps its grid line
}

TEST_CASE("the plot area leaves room for the y labels and the last x label", "[chart]") {
  Frame frame;
  frame.width = 400;
  frame.height = 300;
  Axis x, y;
  y.title = "Output tokens/s";
  const XyLayout xy = layout_xy(frame, x, y, {0, 123456}, {0, 2345678});
  // "2.5M" and a rotated title fit on the left; half of "140k" fits on the right.
  CHECK(xy.plot.x >= 8 + text_width("2.5M", k_tick_font) + 20);
  CHECK(xy.plot.right() + text_width("140k", k_tick_font) / 2 <= frame.width);
  CHECK(xy.plot.bottom() + k_bottom_margin == Approx(frame.height));
  CHECK(xy.x.domain_max() >= 123456);
  CHECK(xy.y.domain_max() >= 2345678);
}

TEST_CASE("reference lines outside the domain or not finite are not drawn", "[chart]") {
  const Box plot{50, 10, 300, 200};
  const Scale x = Scale::linear(0, 100, plot.x, plot.right());
  SvgWriter svg;
  draw_x_lines(svg, x, {{50, "SLO boundary: 50 developers"}, {500, "far"}, {std::nan(""), "bad"}}, plot);
  const std::string out = svg.str();
  CHECK(sitegen::test::count_of(out, "reference-line") == 1);
  CHECK(out.find("SLO boundary: 50 developers") != std::string::npos);
  CHECK(out.find("far") == std::string::npos);
}
