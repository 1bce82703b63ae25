#include "chart/legend.hpp"

#include <catch2/catch.hpp>

using namespace sitegen::chart;
using namespace sitegen::chart::detail;

TEST_CASE("legend entries wrap into rows inside the given width without overlapping", "[chart]") {
  std::vector<LegendEntry> entries;
  for (int i = 0; i < 9; ++i)
    entries.push_back({"configuration number " + std::to_string(i), "series-" + std::to_string(i % 8), true, true, false, Shape::circle});
  entries.push_back({std::string(200, 'x'), "series-0", true, true, false, Shape::circle});
  const LegendLayout legend = layout_legend(entries, 8, 400, 464);
  REQUIRE(legend.items.size() == entries.size());
  CHECK(legend.bounds.h > k_legend_row);  // it wrapped
  CHECK(legend.bounds.right() <= 8 + 464);
  CHECK(legend.labels.back().size() < 200);
  for (std::size_t i = 0; i < legend.items.size(); ++i) {
    CHECK(legend.items[i].x >= 8);
    CHECK(legend.items[i].right() <= 8 + 464);
    CHECK(legend.items[i].y >= 400);
    for (std::size_t j = i + 1; j < legend.items.size(); ++j) CHECK_FALSE(legend.items[i].intersects(legend.items[j]));
  }
}

TEST_CASE("series take palette classes and marker shapes by slot", "[chart]") {
  CHECK(series_class(-1, 3) == "series-3");
  CHECK(series_class(2, 7) == "series-2");
  CHECK(series_class(-1, 11) == "series-3");
  CHECK(marker_shape(-1, 0) == Shape::circle);
  CHECK(marker_shape(-1, 9) == Shape::square);
  CHECK(marker_shape(17, 0) == Shape::triangle);
  CHECK(marker_shape(-1, 30) == Shape::diamond);
  CHECK(stroke_class(Stroke::dashed) == "dashed");
  CHECK(stroke_class(Stroke::solid).empty());
}
