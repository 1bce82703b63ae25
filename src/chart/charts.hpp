#pragma once
// The chart kinds: pure functions from a spec (series of numbers and labels) to an inline SVG
// string. chart/ knows nothing about reports; the site turns report figures into these specs.
//
// Every chart is `<svg viewBox="0 0 W H" role="img" aria-labelledby="ID-title ID-desc">` with
// `<title>` and `<desc>`, no fixed pixel width (the page's CSS gives it width: 100%), colours
// only through CSS classes (series-0 .. series-7; see templates/chart.css), the legend below the
// plot area so it never covers data, and a `<title>` on every marker or bar for hover text.
// Non-finite values (and magnitudes above 1e150) are skipped, values <= 0 on a log axis are
// dropped, both counted in <desc>; a chart with nothing left to draw says "No data" instead of
// drawing axes.
// Nothing here throws for bad numbers; every output is valid SVG.

#include <optional>
#include <string>
#include <vector>

namespace sitegen::chart {

// One data point. `title` is the hover text of its marker; when empty the chart writes
// "<series name>: <x>, <y>".
struct Point {
  double x = 0;
  double y = 0;
  std::string title;
};

enum class Stroke { solid, dashed, dotted };

// A named sequence of points drawn in one colour.
struct Series {
  std::string name;             // legend text (cut with an ellipsis when too long)
  std::vector<Point> points;    // drawn in the order given (sort by x for a line)
  int colour = -1;              // palette slot (class series-<slot % 8>); slots 8..31 reuse the colours
                                // with square, triangle, diamond markers; -1: the series' position
  Stroke stroke = Stroke::solid;  // e.g. median solid, p99 dashed
  bool markers = true;          // a marker with a <title> on each point
  bool line = true;             // join the points (scatter charts ignore this)
  bool step = false;            // draw as a step function, across then up (latency CDF)
};

// One axis. The domain comes from the data (plus reference lines), then is extended to nice
// tick values; `min`/`max` pin either end instead (e.g. 0..1 for a CDF).
struct Axis {
  std::string title;            // with units: "Concurrency (requests)", "TTFT (ms)"
  bool log = false;             // log scale, ticks at powers of ten (with 2 and 5 up to three decades)
  bool include_zero = false;    // linear only: extend the domain to 0
  std::optional<double> min;
  std::optional<double> max;
  // When not empty, x values are category positions 0..n-1 labelled with these texts (a run
  // history); labels are cut at 16 characters and thinned when they would overlap.
  std::vector<std::string> categories;
  std::string tick_prefix;      // put before every tick label, e.g. "$"
  std::string tick_suffix;      // put after every tick label, e.g. "%"
};

// A labelled reference line across the plot: vertical at an x value, or horizontal at a y value
// (an SLO threshold, the SLO boundary team size). Lines outside a pinned domain are not drawn.
struct ReferenceLine {
  double value = 0;
  std::string label;
};

// What every chart has: identity and accessible text.
struct Frame {
  std::string id;               // unique on the page; used for aria ids ("tput" -> "tput-title")
  std::string title;            // <title>: what the chart shows
  std::string desc;             // <desc>: the finding in words, for screen readers
  // viewBox size in user units; the page scales it to its column. Text is 12 units high, so a
  // width near the column's pixel width keeps it legible: 480 reads well from phone to desktop.
  double width = 480;
  double height = 300;          // plot + axes height; the legend adds rows below it.
                                // Bar charts ignore it: their height follows the bar count.
};

// Lines (and markers) against x: throughput vs concurrency, TTFT/TPOT median and p99 vs
// concurrency, $/developer-month vs team size, history trends, latency CDF.
struct LineChart {
  Frame frame;
  Axis x;
  Axis y;
  std::vector<Series> series;
  std::vector<ReferenceLine> x_lines;  // vertical reference lines
  std::vector<ReferenceLine> y_lines;  // horizontal reference lines
};

// Markers per series (one series per configuration) and the Pareto frontier over all points,
// where higher x and higher y are both better; the frontier is drawn as a step line.
struct ParetoChart {
  Frame frame;
  Axis x;
  Axis y;
  std::vector<Series> series;   // `step` is ignored; `line` is used when `curves` is set
  // Join each series' points in order of x (one curve per configuration across its load levels,
  // as InferenceX draws it) for series whose `line` is set; off: markers only.
  bool curves = false;
  bool frontier = true;
  std::string frontier_label = "Pareto frontier";
};

// One labelled horizontal bar.
struct Bar {
  std::string label;            // left of the bar (cut with an ellipsis when too long)
  double value = 0;
  int group = 0;                // index into BarChart::groups: colour and class
  std::string title;            // hover text; default "<label>: <value label>"
  std::string value_label;      // text after the bar; default the value with the axis prefix
};

// Horizontal bars, in the order given, against a (usually log) x axis: $/1M tokens of
// self-hosted configurations against API prices. Each group gets classes `series-N` and
// `group-<slug of its name>` and one legend entry.
struct BarChart {
  Frame frame;
  Axis x;                       // x.log = true for values spanning decades
  std::vector<std::string> groups;  // e.g. {"Self-hosted", "API"}
  std::vector<Bar> bars;
  std::vector<ReferenceLine> x_lines;
};

std::string render(const LineChart& chart);
std::string render(const ParetoChart& chart);
std::string render(const BarChart& chart);

// The points of `points` that no other point beats on both x and y (higher is better), sorted by
// x ascending (so y descending). Non-finite points are ignored; ties keep the first seen.
std::vector<Point> pareto_frontier(const std::vector<Point>& points);

}  // namespace sitegen::chart
