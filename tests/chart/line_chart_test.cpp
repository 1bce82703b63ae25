#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "chart/charts.hpp"
#include "chart_check.hpp"

using namespace sitegen::chart;
using namespace sitegen::test;

namespace {

Series series(const std::string& name, std::vector<std::pair<double, double>> xy, Stroke stroke = Stroke::solid,
              int colour = -1) {
  Series s;
  s.name = name;
  s.stroke = stroke;
  s.colour = colour;
  for (auto [x, y] : xy) s.points.push_back({x, y, ""});
  return s;
}

// TTFT median and p99 against concurrency, as the configuration page draws it.
LineChart latency_chart() {
  LineChart c;
  c.frame.id = "ttft";
  c.frame.title = "Time to first token against load";
  c.frame.desc = "Median TTFT stays under 200 ms up to 32 concurrent requests.";
  c.frame.width = 560;
  c.frame.height = 320;
  c.x.title = "Concurrency (requests)";
  c.x.log = true;
  c.y.title = "TTFT (ms)";
  c.y.log = true;
  c.series = {series("median", {{1, 41.5}, {2, 44}, {4, 52}, {8, 70}, {16, 110}, {32, 190}, {64, 620}}, Stroke::solid, 0),
              series("p99", {{1, 60}, {2, 71}, {4, 90}, {8, 150}, {16, 260}, {32, 480}, {64, 2400}}, Stroke::dashed, 0)};
  c.y_lines = {{500, "SLO: p99 TTFT 500 ms"}};
  return c;
}

}  // namespace

TEST_CASE("a latency chart matches its golden SVG", "[chart]") {
  CHECK(golden_mismatch("line_latency.svg", render(latency_chart())) == "");
}

TEST_CASE("a history chart labels runs by category and matches its golden SVG", "[chart]") {
  LineChart c;
  c.frame.id = "history";
  c.frame.title = "History of peak output throughput";
  c.frame.desc = "Peak output throughput of 4 runs, oldest first.";
  c.frame.width = 560;
  c.frame.height = 280;
  c.x.title = "Run";
  c.x.categories = {"2026-01-05", "2026-02-11", "2026-03-02", "2026-04-20"};
  c.y.title = "Output tokens/s";
  c.y.include_zero = true;
  c.series = {series("peak output tokens/s", {{0, 2410}, {1, 2530}, {2, 2495}, {3, 3120}})};
  const std::string svg = render(c);
  CHECK(golden_mismatch("line_history.svg", svg) == "");
  CHECK(texts_of_class(svg, "tick-label").front() == "2026-01-05");
  CHECK(svg.find("<title>peak output tokens/s: 2026-04-20, 3,120</title>") != std::string::npos);
}

TEST_CASE("a latency CDF is a step line from 0 to 1 and matches its golden SVG", "[chart]") {
  LineChart c;
  c.frame.id = "cdf";
  c.frame.title = "TTFT distribution";
  c.frame.desc = "Cumulative share of requests with TTFT at most x.";
  c.frame.width = 560;
  c.frame.height = 300;
  c.x.title = "TTFT (ms)";
  c.y.title = "Share of requests";
  c.y.min = 0;
  c.y.max = 1;
  Series s = series("concurrency 8", {{40, 0.2}, {45, 0.4}, {52, 0.6}, {70, 0.8}, {130, 1.0}});
  s.step = true;
  s.markers = false;
  c.series = {s};
  const std::string svg = render(c);
  CHECK(golden_mismatch("line_cdf.svg", svg) == "");
  const auto labels = texts_of_class(svg, "tick-label");
  CHECK(std::find(labels.begin(), labels.end(), "1.0") != labels.end());
  CHECK(count_of(svg, "<circle") == 0);  // no markers, in the plot or in the legend swatch
}

TEST_CASE("a chart with nothing to draw says No data instead of drawing axes", "[chart]") {
  LineChart c;
  c.frame.id = "empty";
  c.frame.title = "Throughput against load";
  c.series = {series("median", {}), series("p99", {{std::nan(""), 3}})};
  const std::string svg = render(c);
  CHECK(golden_mismatch("line_empty.svg", svg) == "");
  CHECK(svg.find(">No data</text>") != std::string::npos);
  CHECK(svg.find("axis") == std::string::npos);
  CHECK(xml_problem(svg) == "");
}

TEST_CASE("names from results files appear escaped, never as markup", "[chart]") {
  LineChart c = latency_chart();
  c.frame.title = "<script>alert(1)</script>";
  c.frame.desc = "x < y & \"z\"";
  c.series[0].name = "<script>alert(1)</script>";
  c.series[0].points[0].title = "<img src=x onerror=alert(1)>";
  c.x.title = "<b>load</b>";
  c.y_lines[0].label = "</text><script>";
  const std::string svg = render(c);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("<img") == std::string::npos);
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(svg.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(xml_problem(svg) == "");
}

TEST_CASE("odd data always gives valid SVG without nan or inf", "[chart]") {
  const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
  const std::vector<std::vector<std::pair<double, double>>> cases = {
      {},
      {{3, 7}},
      {{5, 5}, {5, 5}, {5, 5}},
      {{0, 0}, {0, 0}},
      {{nan, 1}, {2, inf}, {-inf, 3}, {4, 4}},
      {{1e-9, 1e-9}, {1e12, 1e12}},
      {{-5, -100}, {-1, -3}},
      {{1, 1e300}, {2, -1e300}},
      {{0, 1}, {1, 0.1}, {2, 0.01}},
  };
  for (bool log_x : {false, true}) {
    for (bool log_y : {false, true}) {
      for (const auto& points : cases) {
        LineChart c = latency_chart();
        c.x.log = log_x;
        c.y.log = log_y;
        c.series = {series("a", points), series("b", points, Stroke::dotted)};
        c.x_lines = {{nan, "bad"}, {-1, "negative"}};
        const std::string svg = render(c);
        INFO(svg);
        CHECK_FALSE(has_non_finite_text(svg));
        CHECK(xml_problem(svg) == "");
        CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ") == 0);
      }
    }
  }
}

TEST_CASE("values a log axis cannot show are left out and counted in desc", "[chart]") {
  LineChart c = latency_chart();
  c.series[0].points.push_back({128, 0, ""});
  c.series[1].points.push_back({0, 3000, ""});
  c.series[1].points.push_back({256, std::nan(""), ""});
  const std::string svg = render(c);
  CHECK(svg.find("2 values at or below zero left out of the log scale. 1 value not finite left out.</desc>") !=
        std::string::npos);
  CHECK(count_of(svg, "class=\"marker\"") == 14 + 2);  // 14 points and two legend swatches
}

TEST_CASE("the legend sits outside the plot area and inside the view box", "[chart]") {
  LineChart c = latency_chart();
  for (int i = 0; i < 9; ++i)
    c.series.push_back(series("a configuration with a rather long name, number " + std::to_string(i),
                              {{1.0 + i, 100.0 * (i + 1)}, {64, 700}}));
  const std::string svg = render(c);
  const auto plot = box_of_class(svg, "plot-area");
  const auto legend = box_of_class(svg, "legend-box");
  REQUIRE(plot);
  REQUIRE(legend);
  CHECK_FALSE(legend->intersects(*plot));
  CHECK(legend->y >= plot->bottom() + 30);  // below the x axis title too
  const auto [w, h] = view_box(svg);
  CHECK(legend->x >= 0);
  CHECK(legend->right() <= w);
  CHECK(legend->bottom() <= h);
  CHECK(legend->h > 2 * sitegen::chart::detail::k_legend_row);  // 11 entries wrap onto several rows
}

TEST_CASE("ticks and their labels stay on the axis and do not overlap", "[chart]") {
  for (bool log : {false, true}) {
    LineChart c = latency_chart();
    c.x.log = log;
    c.y.log = log;
    const std::string svg = render(c);
    const auto plot = box_of_class(svg, "plot-area");
    REQUIRE(plot);
    const auto xs = attrs_of_class(svg, "tick", "x1");
    const auto x2s = attrs_of_class(svg, "tick", "x2");
    const auto ys = attrs_of_class(svg, "tick", "y1");
    REQUIRE(xs.size() >= 4);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      // x ticks hang under the plot (vertical); y ticks stick out left of it (horizontal).
      const bool x_tick = xs[i] == x2s[i];
      if (x_tick) CHECK((xs[i] >= plot->x && xs[i] <= plot->right()));
      else CHECK((ys[i] >= plot->y && ys[i] <= plot->bottom()));
    }
    // x labels: centred on their tick, each clear of the next.
    std::vector<double> label_x;
    std::vector<std::string> labels;
    const std::regex re("<text class=\"tick-label\" x=\"([0-9.]+)\" y=\"[0-9.]+\" text-anchor=\"middle\">([^<]*)<");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it) {
      label_x.push_back(std::stod((*it)[1].str()));
      labels.push_back((*it)[2].str());
    }
    REQUIRE(label_x.size() >= 3);
    for (std::size_t i = 1; i < label_x.size(); ++i)
      CHECK(label_x[i] - label_x[i - 1] >=
            (text_width(labels[i], 12) + text_width(labels[i - 1], 12)) / 2);
    const auto [w, h] = view_box(svg);
    CHECK(label_x.back() + text_width(labels.back(), 12) / 2 <= w);
  }
}

TEST_CASE("a chart is accessible: title, desc, role and no fixed pixel size", "[chart]") {
  const std::string svg = render(latency_chart());
  CHECK(svg.find("role=\"img\" aria-labelledby=\"ttft-title ttft-desc\"") != std::string::npos);
  CHECK(svg.find("<title id=\"ttft-title\">Time to first token against load</title>") != std::string::npos);
  CHECK(svg.find("<desc id=\"ttft-desc\">Median TTFT stays under 200 ms") != std::string::npos);
  CHECK(svg.find(" width=\"", 0) > svg.find('>'));  // no width on the root element
  CHECK(svg.find("fill=\"#") == std::string::npos);  // colours come from classes only
  CHECK(count_of(svg, "<title>median: ") == 7);      // a hover title on every point
  CHECK(svg.find("<title>p99: 64, 2,400</title>") != std::string::npos);
}

TEST_CASE("the same spec renders to the same bytes", "[chart]") {
  CHECK(render(latency_chart()) == render(latency_chart()));
}

TEST_CASE("a chart of any requested size still fits its text and data", "[chart]") {
  for (double width : {0.0, -5.0, 1.0, 150.0, 320.0, 1e9, std::nan("")}) {
    LineChart c = latency_chart();
    c.frame.width = width;
    c.frame.height = width;
    const std::string svg = render(c);
    INFO(width);
    CHECK(xml_problem(svg) == "");
    CHECK_FALSE(has_non_finite_text(svg));
    const auto [w, h] = view_box(svg);
    CHECK(w >= 200);
    CHECK(w <= 4000);
    const auto plot = box_of_class(svg, "plot-area");
    REQUIRE(plot);
    CHECK(plot->x > 0);
    CHECK(plot->right() <= w);
    CHECK(plot->bottom() <= h);
  }
}

TEST_CASE("a long history gets a readable number of category ticks", "[chart]") {
  LineChart c;
  c.frame.id = "long-history";
  c.frame.title = "History";
  c.x.categories.resize(1000);
  Series s;
  s.name = "peak";
  for (int i = 0; i < 1000; ++i) {
    c.x.categories[static_cast<std::size_t>(i)] = "run " + std::to_string(i);
    s.points.push_back({static_cast<double>(i), 100.0 + i % 7, ""});
  }
  c.series = {s};
  const std::string svg = render(c);
  const auto labels = texts_of_class(svg, "tick-label");
  CHECK(labels.front() == "run 0");
  CHECK(count_of(svg, "class=\"tick\"") < 40);
  CHECK(count_of(svg, "class=\"marker\"") == 1000 + 1);
  CHECK(xml_problem(svg) == "");
}
