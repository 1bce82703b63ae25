#include <catch2/catch.hpp>
#include <cmath>

#include "chart/charts.hpp"
#include "chart_check.hpp"

using namespace sitegen::chart;
using namespace sitegen::test;

namespace {

Bar bar(const std::string& label, double value, int group) {
  Bar b;
  b.label = label;
  b.value = value;
  b.group = group;
  return b;
}

// $/1M output tokens of two self-hosted configurations beside three API models.
BarChart cost_vs_api() {
  BarChart c;
  c.frame.id = "cost";
  c.frame.title = "Cost per million output tokens against API prices";
  c.frame.desc = "Self-hosted Llama 3.1 8B costs less than every API model shown.";
  c.frame.width = 560;
  c.x.title = "$ per 1M output tokens (log scale)";
  c.x.log = true;
  c.x.tick_prefix = "$";
  c.groups = {"Self-hosted", "API"};
  c.bars = {bar("Llama-3.1-8B-Instruct on 1xH100, vLLM fp8", 0.042, 0), bar("Llama-3.1-70B on 4xH100", 0.31, 0),
            bar("api-small", 0.6, 1), bar("api-medium", 4.4, 1), bar("api-large", 15, 1)};
  c.bars[4].value_label = "$15.00";
  return c;
}

}  // namespace

TEST_CASE("a cost bar chart matches its golden SVG", "[chart]") {
  CHECK(golden_mismatch("bar_cost.svg", render(cost_vs_api())) == "");
}

TEST_CASE("bars carry their group's classes, value labels and hover titles", "[chart]") {
  const std::string svg = render(cost_vs_api());
  CHECK(count_of(svg, "class=\"bar-row series-0 group-self-hosted\"") == 2);
  CHECK(count_of(svg, "class=\"bar-row series-1 group-api\"") == 3);
  const auto values = texts_of_class(svg, "bar-value");
  CHECK(values == std::vector<std::string>{"$0.042", "$0.31", "$0.6", "$4.4", "$15.00"});
  CHECK(svg.find("<title>Llama-3.1-8B-Instruct on 1xH100, vLLM fp8: $0.042</title>") != std::string::npos);
  // Longer bars for larger values on the log axis, all starting at the axis.
  const auto widths = attrs_of_class(svg, "bar", "width");
  REQUIRE(widths.size() >= 5);
  for (std::size_t i = 1; i < 5; ++i) CHECK(widths[i] > widths[i - 1]);
  const auto plot = box_of_class(svg, "plot-area");
  const auto legend = box_of_class(svg, "legend-box");
  REQUIRE(plot);
  REQUIRE(legend);
  CHECK_FALSE(legend->intersects(*plot));
  const auto [w, h] = view_box(svg);
  CHECK(legend->bottom() <= h);
  CHECK(w == 560);
}

TEST_CASE("the legend names only the groups that have bars", "[chart]") {
  BarChart c = cost_vs_api();
  c.bars.erase(c.bars.begin(), c.bars.begin() + 2);  // no self-hosted figures yet
  const std::string svg = render(c);
  CHECK(texts_of_class(svg, "legend-label") == std::vector<std::string>{"API"});
}

TEST_CASE("long bar labels are cut with an ellipsis and the full text kept in the title", "[chart]") {
  BarChart c = cost_vs_api();
  c.bars[0].label = std::string(120, 'L');
  const std::string svg = render(c);
  const auto labels = texts_of_class(svg, "bar-label");
  REQUIRE(!labels.empty());
  CHECK(labels[0].size() < 120);
  CHECK(labels[0].find("\xE2\x80\xA6") != std::string::npos);
  CHECK(svg.find("<title>" + std::string(120, 'L') + ": $0.042</title>") != std::string::npos);
  // The label column stops before the plot area.
  const auto plot = box_of_class(svg, "plot-area");
  REQUIRE(plot);
  CHECK(text_width(labels[0], 12) <= plot->x - 8 + 1e-9);
}

TEST_CASE("bars a log axis cannot show are left out and counted in desc", "[chart]") {
  BarChart c = cost_vs_api();
  c.bars.push_back(bar("free tier", 0, 1));
  c.bars.push_back(bar("<script>alert(1)</script>", std::nan(""), 1));
  const std::string svg = render(c);
  CHECK(svg.find("1 value at or below zero left out of the log scale. 1 value not finite left out.</desc>") !=
        std::string::npos);
  CHECK(svg.find("free tier") == std::string::npos);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK_FALSE(has_non_finite_text(svg));
  CHECK(xml_problem(svg) == "");
}

TEST_CASE("a linear bar chart grows from zero, negative values included", "[chart]") {
  BarChart c = cost_vs_api();
  c.x.log = false;
  c.bars.push_back(bar("rebate", -2, 1));
  const std::string svg = render(c);
  CHECK(xml_problem(svg) == "");
  CHECK_FALSE(has_non_finite_text(svg));
  const auto labels = texts_of_class(svg, "tick-label");
  CHECK(std::find(labels.begin(), labels.end(), "$0") != labels.end());
  BarChart empty;
  empty.frame.title = "nothing";
  const std::string none = render(empty);
  CHECK(none.find(">No data</text>") != std::string::npos);
  CHECK(xml_problem(none) == "");
}
