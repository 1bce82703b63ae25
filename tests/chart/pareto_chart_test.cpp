#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "chart/charts.hpp"
#include "chart_check.hpp"

using namespace sitegen::chart;
using namespace sitegen::test;

namespace {

Series configuration(const std::string& name, std::vector<std::pair<double, double>> xy) {
  Series s;
  s.name = name;
  for (auto [x, y] : xy) s.points.push_back({x, y, ""});
  return s;
}

// Output tokens/s per GPU (y) against tokens/s per user (x) for three configurations.
ParetoChart three_configurations() {
  ParetoChart c;
  c.frame.id = "pareto";
  c.frame.title = "Throughput per GPU against speed per user";
  c.frame.desc = "The frontier runs from vLLM fp8 at high load to SGLang at low load.";
  c.frame.width = 560;
  c.frame.height = 340;
  c.x.title = "Output tokens/s per user";
  c.y.title = "Output tokens/s per GPU";
  c.series = {configuration("vLLM fp8", {{12, 3900}, {25, 3100}, {48, 1900}, {80, 700}}),
              configuration("vLLM bf16", {{10, 3000}, {22, 2500}, {40, 1500}, {70, 600}}),
              configuration("SGLang bf16", {{15, 2800}, {35, 2300}, {60, 1600}, {95, 820}})};
  return c;
}

}  // namespace

TEST_CASE("the Pareto frontier keeps the points nothing beats on both axes", "[chart]") {
  const std::vector<Point> points = {{1, 10, "a"}, {2, 8, "b"}, {2, 9, "c"}, {3, 5, "d"},
                                     {1.5, 4, "e"}, {3, 5, "dup"}, {std::nan(""), 99, "bad"}, {0.5, 10, "f"}};
  const auto frontier = pareto_frontier(points);
  std::vector<std::string> names;
  for (const Point& p : frontier) names.push_back(p.title);
  CHECK(names == std::vector<std::string>{"a", "c", "d"});
  CHECK(pareto_frontier({}).empty());
  CHECK(pareto_frontier({{4, 4, "only"}}).size() == 1);
}

TEST_CASE("a Pareto chart matches its golden SVG", "[chart]") {
  CHECK(golden_mismatch("pareto.svg", render(three_configurations())) == "");
}

TEST_CASE("a Pareto chart draws the frontier under every marker with a hover title", "[chart]") {
  const std::string svg = render(three_configurations());
  const std::size_t frontier_at = svg.find("<path class=\"frontier\"");
  REQUIRE(frontier_at != std::string::npos);
  CHECK(frontier_at < svg.find("class=\"marker"));
  // Frontier: (12,3900) (25,3100) (35,2300) (48,1900) (60,1600) (95,820).
  CHECK(count_of(svg, "marker on-frontier") == 6);
  CHECK(count_of(svg, "<title>") == 12);  // one per point (the chart's own has an id)
  CHECK(svg.find("<title>SGLang bf16: 95, 820</title>") != std::string::npos);
  CHECK(svg.find("legend-item frontier") != std::string::npos);
  const auto plot = box_of_class(svg, "plot-area");
  const auto legend = box_of_class(svg, "legend-box");
  REQUIRE(plot);
  REQUIRE(legend);
  CHECK_FALSE(legend->intersects(*plot));
  CHECK(xml_problem(svg) == "");
}

TEST_CASE("a Pareto chart over odd data stays valid", "[chart]") {
  ParetoChart c = three_configurations();
  c.series.push_back(configuration("<script>alert(1)</script>", {{std::nan(""), 1}, {0, 0}, {-4, 1e300}}));
  for (bool log : {false, true}) {
    c.x.log = log;
    c.y.log = log;
    const std::string svg = render(c);
    CHECK_FALSE(has_non_finite_text(svg));
    CHECK(xml_problem(svg) == "");
    CHECK(svg.find("<script") == std::string::npos);
  }
  ParetoChart empty;
  empty.frame.title = "nothing";
  CHECK(render(empty).find(">No data</text>") != std::string::npos);
}

TEST_CASE("series past the eighth colour get other marker shapes and the legend forms columns", "[chart]") {
  ParetoChart c = three_configurations();
  c.series.clear();
  for (int i = 0; i < 20; ++i)
    c.series.push_back(configuration("org/model-" + std::to_string(i) + "/unknown-0gpu/serving-with-a-long-name",
                                     {{10.0 + i, 100.0 * (20 - i)}}));
  const std::string svg = render(c);
  CHECK(count_of(svg, "<circle class=\"marker") == 2 * 8);  // series 0..7 in the plot and the legend
  CHECK(count_of(svg, "<rect class=\"marker") == 2 * 8);    // series 8..15
  CHECK(count_of(svg, "<path class=\"marker") == 2 * 4);    // series 16..19: triangles
  // Legend items line up in columns: only a few distinct x positions, none overlapping.
  const auto plot = box_of_class(svg, "plot-area");
  const auto legend = box_of_class(svg, "legend-box");
  REQUIRE(plot);
  REQUIRE(legend);
  CHECK_FALSE(legend->intersects(*plot));
  const auto xs = attrs_of_class(svg, "legend-label", "x");
  REQUIRE(xs.size() == 21);
  std::set<double> columns(xs.begin(), xs.end());
  CHECK(columns.size() >= 2);
  CHECK(columns.size() <= 3);
  const auto [w, h] = view_box(svg);
  CHECK(legend->right() <= w);
  CHECK(legend->bottom() <= h);
  CHECK(xml_problem(svg) == "");
}
