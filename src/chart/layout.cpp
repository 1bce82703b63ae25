#include "chart/layout.hpp"

#include <algorithm>
#include <cmath>

#include "util/format.hpp"
#include "util/strings.hpp"

namespace sitegen::chart::detail {

namespace {

constexpr double k_max_magnitude = 1e150;
constexpr double k_no_data_height = 120;
constexpr double k_swatch = 24;      // legend swatch line length
constexpr double k_swatch_gap = 6;   // between swatch and label
constexpr double k_item_gap = 18;    // between legend entries

// Axis label text for a tick: categories by index, otherwise the scale's label with the axis
// prefix and suffix.
std::string label_at(const Scale& scale, const Axis& axis, double tick, int count) {
  if (!axis.categories.empty()) {
    const auto i = static_cast<std::size_t>(std::llround(tick));
    return i < axis.categories.size() ? ellipsize(axis.categories[i], 16) : "";
  }
  return axis.tick_prefix + scale.tick_label(tick, count) + axis.tick_suffix;
}

std::vector<double> axis_ticks(const Scale& scale, const Axis& axis, int count) {
  if (axis.categories.empty()) return scale.ticks(count);
  std::vector<double> out;
  for (std::size_t i = 0; i < axis.categories.size(); ++i) out.push_back(static_cast<double>(i));
  return out;
}

bool is_power_of_ten(double v) {
  const double e = std::log10(v);
  return v > 0 && std::fabs(e - std::round(e)) < 1e-9;
}

// Where a tick lands must be on the axis: rounding at the domain ends can put it a hair outside.
bool on_axis(double position, double a, double b) {
  const double lo = std::min(a, b) - 0.01, hi = std::max(a, b) + 0.01;
  return position >= lo && position <= hi;
}

}  // namespace

bool Box::intersects(const Box& other) const {
  return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
}

bool usable(double v, bool log) {
  if (!std::isfinite(v) || std::fabs(v) > k_max_magnitude) return false;
  return !log || v > 0;
}

Scale fit_scale(const Axis& axis, const std::vector<double>& values, double r0, double r1, int count) {
  if (!axis.categories.empty()) {
    const double n = static_cast<double>(axis.categories.size());
    return Scale::linear(-0.5, n - 0.5, r0, r1);
  }
  const bool log = axis.log;
  double lo = 0, hi = 0;
  bool any = false;
  for (double v : values) {
    if (!usable(v, log)) continue;
    lo = any ? std::min(lo, v) : v;
    hi = any ? std::max(hi, v) : v;
    any = true;
  }
  if (!any) {
    lo = log ? 1 : 0;
    hi = log ? 10 : 1;
  }
  if (!log && axis.include_zero) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  const bool pin_lo = axis.min && usable(*axis.min, log);
  const bool pin_hi = axis.max && usable(*axis.max, log);
  if (pin_lo) lo = *axis.min;
  if (pin_hi) hi = *axis.max;
  if (lo > hi) {
    if (pin_lo && !pin_hi) hi = lo;
    else if (pin_hi && !pin_lo) lo = hi;
    else std::swap(lo, hi);
  }
  if (lo == hi) {
    // One value (or all equal): a domain from zero to twice the value puts it in the middle
    // with round ticks around it (0.5 .. 1.5 would nice to 0.4 .. 1.6); a decade either side
    // on a log axis.
    const double v = lo;
    if (log) {
      if (!pin_lo) lo = v / 10;
      if (!pin_hi) hi = v * 10;
    } else if (v == 0) {
      hi = 1;
    } else {
      if (!pin_lo) lo = std::min(0.0, 2 * v);
      if (!pin_hi) hi = std::max(0.0, 2 * v);
    }
    if (lo == hi) {  // both ends pinned to the same value
      lo = log ? v / 10 : v - 1;
      hi = log ? v * 10 : v + 1;
    }
  }
  Scale scale = log ? Scale::log(lo, hi, r0, r1) : Scale::linear(lo, hi, r0, r1);
  if (pin_lo && pin_hi) return scale;
  scale.nice(count);
  lo = pin_lo ? lo : scale.domain_min();
  hi = pin_hi ? hi : scale.domain_max();
  return log ? Scale::log(lo, hi, r0, r1) : Scale::linear(lo, hi, r0, r1);
}

std::string series_class(int colour, std::size_t index) {
  const std::size_t slot = colour >= 0 ? static_cast<std::size_t>(colour) : index;
  return "series-" + std::to_string(slot % 8);
}

Shape marker_shape(int colour, std::size_t index) {
  const std::size_t slot = colour >= 0 ? static_cast<std::size_t>(colour) : index;
  return static_cast<Shape>((slot / 8) % 4);
}

namespace {

// A marker element of `shape` centred on (cx, cy), with a <title> inside when one is given.
void write_marker(SvgWriter& svg, Shape shape, double cx, double cy, const std::string& css_class,
                  const std::string& title) {
  const auto p = [](double x, double y) { return num(x) + " " + num(y); };
  std::string tag = "path", d;
  switch (shape) {
    case Shape::circle: tag = "circle"; break;
    case Shape::square: tag = "rect"; break;
    case Shape::triangle: d = "M" + p(cx, cy - 4.5) + " L" + p(cx + 4, cy + 3) + " L" + p(cx - 4, cy + 3) + " Z"; break;
    case Shape::diamond:
      d = "M" + p(cx, cy - 4.5) + " L" + p(cx + 4.5, cy) + " L" + p(cx, cy + 4.5) + " L" + p(cx - 4.5, cy) + " Z";
      break;
  }
  const auto element = [&](auto&& write) {
    if (tag == "circle") write(tag, std::initializer_list<Attr>{{"class", css_class}, {"cx", cx}, {"cy", cy}, {"r", 3.5}});
    else if (tag == "rect")
      write(tag, std::initializer_list<Attr>{
                     {"class", css_class}, {"x", cx - 3.25}, {"y", cy - 3.25}, {"width", 6.5}, {"height", 6.5}});
    else write(tag, std::initializer_list<Attr>{{"class", css_class}, {"d", d}});
  };
  if (title.empty()) {
    element([&](const std::string& t, std::initializer_list<Attr> a) { svg.leaf(t, a); });
    return;
  }
  element([&](const std::string& t, std::initializer_list<Attr> a) { svg.open(t, a); });
  svg.text("title", {}, title);
  svg.close();
}

}  // namespace

std::string stroke_class(Stroke stroke) {
  switch (stroke) {
    case Stroke::dashed: return "dashed";
    case Stroke::dotted: return "dotted";
    case Stroke::solid: break;
  }
  return "";
}

Frame sane_frame(const Frame& frame) {
  Frame out = frame;
  const Frame defaults;
  out.width = std::isfinite(out.width) && out.width > 0 ? std::clamp(out.width, 200.0, 4000.0) : defaults.width;
  out.height = std::isfinite(out.height) && out.height > 0 ? std::clamp(out.height, 120.0, 4000.0) : defaults.height;
  return out;
}

std::string chart_id(const Frame& frame) {
  return strings::slug(frame.id.empty() ? (frame.title.empty() ? std::string("chart") : frame.title) : frame.id);
}

void open_svg(SvgWriter& svg, const Frame& frame, const std::string& id, double height, const std::string& desc,
              const std::string& kind) {
  const std::string box = "0 0 " + num(frame.width) + " " + num(height);
  svg.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                   {"viewBox", box},
                   {"class", "chart " + kind},
                   {"role", "img"},
                   {"aria-labelledby", id + "-title " + id + "-desc"}});
  svg.text("title", {{"id", id + "-title"}}, frame.title);
  svg.text("desc", {{"id", id + "-desc"}}, desc);
}

std::string no_data_svg(const Frame& frame, const std::string& desc, const std::string& kind) {
  SvgWriter svg;
  const std::string id = chart_id(frame);
  open_svg(svg, frame, id, k_no_data_height, desc.empty() ? "No data." : desc, kind + " no-data");
  svg.text("text",
           {{"class", "no-data-label"}, {"x", frame.width / 2}, {"y", k_no_data_height / 2}, {"text-anchor", "middle"}},
           "No data");
  return svg.str();
}

std::string desc_with_dropped(const std::string& desc, std::size_t dropped_log, std::size_t dropped_bad) {
  std::string out = desc;
  const auto sentence = [&](std::size_t n, const std::string& what) {
    if (n == 0) return;
    if (!out.empty() && out.back() != ' ') out += ' ';
    out += format::grouped(static_cast<long long>(n)) + (n == 1 ? " value " : " values ") + what;
  };
  sentence(dropped_log, "at or below zero left out of the log scale.");
  sentence(dropped_bad, "not finite left out.");
  return out;
}

double left_margin(const Scale& y, const Axis& axis, int count) {
  double widest = 0;
  for (double tick : axis_ticks(y, axis, count))
    widest = std::max(widest, text_width(label_at(y, axis, tick, count), k_tick_font));
  return 8 + widest + 8 + (axis.title.empty() ? 0 : 20);
}

void draw_x_axis(SvgWriter& svg, const Scale& x, const Axis& axis, const Box& plot, int count) {
  const std::vector<double> ticks = axis_ticks(x, axis, count);
  std::vector<std::string> labels;
  for (double tick : ticks) labels.push_back(label_at(x, axis, tick, count));
  // Which labels to write: all when they fit side by side; on a crowded log axis only the powers
  // of ten (so the labels keep a regular rhythm); then any label that would overlap the previous
  // one is skipped. Grid lines and ticks stay for every value.
  const auto overlaps = [&](const std::vector<bool>& shown) {
    double last_right = -1e9;
    for (std::size_t i = 0; i < ticks.size(); ++i) {
      if (!shown[i]) continue;
      const double px = x(ticks[i]), half = text_width(labels[i], k_tick_font) / 2;
      if (px - half < last_right + 6) return true;
      last_right = px + half;
    }
    return false;
  };
  std::vector<bool> shown(ticks.size(), true);
  if (x.is_log() && overlaps(shown))
    for (std::size_t i = 0; i < ticks.size(); ++i) shown[i] = is_power_of_ten(ticks[i]);

  svg.open("g", {{"class", "axis x-axis"}});
  double last_label_right = -1e9;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const double px = x(ticks[i]);
    if (!on_axis(px, plot.x, plot.right())) continue;
    svg.leaf("line", {{"class", "grid"}, {"x1", px}, {"y1", plot.y}, {"x2", px}, {"y2", plot.bottom()}});
    svg.leaf("line", {{"class", "tick"}, {"x1", px}, {"y1", plot.bottom()}, {"x2", px}, {"y2", plot.bottom() + 5}});
    const double half = text_width(labels[i], k_tick_font) / 2;
    if (!shown[i] || px - half < last_label_right + 6) continue;
    last_label_right = px + half;
    svg.text("text", {{"class", "tick-label"}, {"x", px}, {"y", plot.bottom() + 19}, {"text-anchor", "middle"}},
             labels[i]);
  }
  svg.leaf("line", {{"class", "axis-line"}, {"x1", plot.x}, {"y1", plot.bottom()}, {"x2", plot.right()}, {"y2", plot.bottom()}});
  if (!axis.title.empty()) {
    const auto chars = static_cast<std::size_t>(plot.w / (0.6 * k_title_font));
    svg.text("text",
             {{"class", "axis-title"}, {"x", plot.x + plot.w / 2}, {"y", plot.bottom() + 38}, {"text-anchor", "middle"}},
             ellipsize(axis.title, chars));
  }
  svg.close();
}

void draw_y_axis(SvgWriter& svg, const Scale& y, const Axis& axis, const Box& plot, int count) {
  svg.open("g", {{"class", "axis y-axis"}});
  double last_label_top = 1e9;
  for (double tick : axis_ticks(y, axis, count)) {
    const double py = y(tick);
    if (!on_axis(py, plot.y, plot.bottom())) continue;
    svg.leaf("line", {{"class", "grid"}, {"x1", plot.x}, {"y1", py}, {"x2", plot.right()}, {"y2", py}});
    svg.leaf("line", {{"class", "tick"}, {"x1", plot.x - 5}, {"y1", py}, {"x2", plot.x}, {"y2", py}});
    if (py + k_tick_font / 2 > last_label_top - 2) continue;  // ticks go upwards: skip crowded labels
    last_label_top = py - k_tick_font / 2;
    svg.text("text", {{"class", "tick-label"}, {"x", plot.x - 8}, {"y", py + 4}, {"text-anchor", "end"}},
             label_at(y, axis, tick, count));
  }
  svg.leaf("line", {{"class", "axis-line"}, {"x1", plot.x}, {"y1", plot.y}, {"x2", plot.x}, {"y2", plot.bottom()}});
  if (!axis.title.empty()) {
    const auto chars = static_cast<std::size_t>(plot.h / (0.6 * k_title_font));
    const double cy = plot.y + plot.h / 2;
    svg.text("text",
             {{"class", "axis-title"},
              {"x", 14.0},
              {"y", cy},
              {"text-anchor", "middle"},
              {"transform", "rotate(-90 14 " + num(cy) + ")"}},
             ellipsize(axis.title, chars));
  }
  svg.close();
}

void draw_x_lines(SvgWriter& svg, const Scale& x, const std::vector<ReferenceLine>& lines, const Box& plot) {
  for (const ReferenceLine& line : lines) {
    if (!usable(line.value, x.is_log())) continue;
    const double px = x(line.value);
    if (!on_axis(px, plot.x, plot.right())) continue;
    svg.open("g", {{"class", "reference x-reference"}});
    svg.leaf("line", {{"class", "reference-line"}, {"x1", px}, {"y1", plot.y}, {"x2", px}, {"y2", plot.bottom()}});
    if (!line.label.empty()) {
      // Labels near the right edge go on the left of their line so they stay inside the plot.
      const bool left = px > plot.x + plot.w * 0.7;
      svg.text("text",
               {{"class", "reference-label"},
                {"x", left ? px - 4 : px + 4},
                {"y", plot.y + 14},
                {"text-anchor", left ? "end" : "start"}},
               ellipsize(line.label, k_max_label_chars));
    }
    svg.close();
  }
}

void draw_y_lines(SvgWriter& svg, const Scale& y, const std::vector<ReferenceLine>& lines, const Box& plot) {
  for (const ReferenceLine& line : lines) {
    if (!usable(line.value, y.is_log())) continue;
    const double py = y(line.value);
    if (!on_axis(py, plot.y, plot.bottom())) continue;
    svg.open("g", {{"class", "reference y-reference"}});
    svg.leaf("line", {{"class", "reference-line"}, {"x1", plot.x}, {"y1", py}, {"x2", plot.right()}, {"y2", py}});
    if (!line.label.empty()) {
      // Above the line unless that leaves the plot.
      const double ty = py - 5 < plot.y + k_tick_font ? py + 14 : py - 5;
      svg.text("text", {{"class", "reference-label"}, {"x", plot.right() - 4}, {"y", ty}, {"text-anchor", "end"}},
               ellipsize(line.label, k_max_label_chars));
    }
    svg.close();
  }
}

XyLayout layout_xy(const Frame& frame, const Axis& x_axis, const Axis& y_axis, const std::vector<double>& xs,
                   const std::vector<double>& ys) {
  // The y labels decide the left margin, the last x label the right one.
  const double plot_h = std::max(40.0, frame.height - k_top_margin - k_bottom_margin);
  const int y_count = std::max(2, static_cast<int>(plot_h / 45));
  Scale y = fit_scale(y_axis, ys, k_top_margin + plot_h, k_top_margin, y_count);
  const double left = left_margin(y, y_axis, y_count);
  const int x_count = std::max(2, static_cast<int>((frame.width - left - 16) / 90));
  double right = 16;
  if (x_axis.categories.empty()) {
    const Scale probe = fit_scale(x_axis, xs, 0, 1, x_count);
    const auto ticks = probe.ticks(x_count);
    if (!ticks.empty()) {
      const std::string last = x_axis.tick_prefix + probe.tick_label(ticks.back(), x_count) + x_axis.tick_suffix;
      right = std::max(right, text_width(last, k_tick_font) / 2 + 4);
    }
  }
  const Box plot{left, k_top_margin, std::max(40.0, frame.width - left - right), plot_h};
  Scale x = fit_scale(x_axis, xs, plot.x, plot.right(), x_count);
  return {plot, x, y, x_count, y_count};
}

void draw_plot(SvgWriter& svg, const XyLayout& xy, const Axis& x_axis, const Axis& y_axis, const std::string& id) {
  const Box& plot = xy.plot;
  svg.open("defs");
  svg.open("clipPath", {{"id", id + "-clip"}});
  svg.leaf("rect", {{"x", plot.x}, {"y", plot.y}, {"width", plot.w}, {"height", plot.h}});
  svg.close();
  svg.close();
  svg.leaf("rect", {{"class", "plot-area"}, {"x", plot.x}, {"y", plot.y}, {"width", plot.w}, {"height", plot.h}});
  draw_x_axis(svg, xy.x, x_axis, plot, xy.x_count);
  draw_y_axis(svg, xy.y, y_axis, plot, xy.y_count);
}

void draw_marker(SvgWriter& svg, const Box& plot, double px, double py, const std::string& title,
                 const std::string& css_class, Shape shape) {
  if (px < plot.x - 0.5 || px > plot.right() + 0.5 || py < plot.y - 0.5 || py > plot.bottom() + 0.5) return;
  write_marker(svg, shape, px, py, css_class, title);
}

LegendLayout layout_legend(const std::vector<LegendEntry>& entries, double x, double top, double width) {
  LegendLayout out;
  out.bounds = {x, top, 0, 0};
  if (entries.empty()) return out;
  const auto chars_for = [](double w) {
    return std::min(k_max_label_chars,
                    static_cast<std::size_t>(std::max(4.0, (w - k_swatch - k_swatch_gap) / (0.6 * k_tick_font))));
  };
  const auto item_width = [](const std::string& label) {
    return k_swatch + k_swatch_gap + text_width(label, k_tick_font);
  };
  // One row when everything fits side by side; otherwise a grid of equal columns, which reads
  // better than a ragged flow once there are many entries.
  double one_row = -k_item_gap, widest = 0;
  for (const LegendEntry& entry : entries) {
    const double w = item_width(ellipsize(entry.label, chars_for(width)));
    one_row += w + k_item_gap;
    widest = std::max(widest, w);
  }
  std::size_t columns = entries.size();
  double column_w = width;
  if (one_row > width) {
    columns = static_cast<std::size_t>(std::max(1.0, std::floor((width + k_item_gap) / (widest + k_item_gap))));
    if (columns == 1 && width >= 2 * 180 + k_item_gap) columns = 2;  // long names: two cut columns
    column_w = (width - static_cast<double>(columns - 1) * k_item_gap) / static_cast<double>(columns);
  }
  double cx = x;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::size_t row = i / columns, column = i % columns;
    const std::string label = ellipsize(entries[i].label, chars_for(column_w));
    const double w = std::min(item_width(label), column_w);
    if (one_row > width) cx = x + static_cast<double>(column) * (column_w + k_item_gap);
    else if (i == 0) cx = x;
    const double cy = top + static_cast<double>(row) * k_legend_row;
    out.items.push_back({cx, cy, w, k_legend_row});
    out.labels.push_back(label);
    out.bounds.w = std::max(out.bounds.w, cx + w - x);
    out.bounds.h = cy + k_legend_row - top;
    if (one_row <= width) cx += w + k_item_gap;
  }
  return out;
}

void draw_legend(SvgWriter& svg, const std::vector<LegendEntry>& entries, const LegendLayout& layout) {
  if (entries.empty()) return;
  svg.open("g", {{"class", "legend"}});
  const Box& b = layout.bounds;
  svg.leaf("rect", {{"class", "legend-box"}, {"x", b.x}, {"y", b.y}, {"width", b.w}, {"height", b.h}, {"fill", "none"}});
  for (std::size_t i = 0; i < entries.size() && i < layout.items.size() && i < layout.labels.size(); ++i) {
    const LegendEntry& entry = entries[i];
    const Box& item = layout.items[i];
    const double mid = item.y + item.h / 2;
    svg.open("g", {{"class", "legend-item " + entry.css_class}});
    if (entry.bar) {
      svg.leaf("rect", {{"class", "bar"}, {"x", item.x + 6}, {"y", mid - 6}, {"width", 12.0}, {"height", 12.0}});
    } else {
      if (entry.line)
        svg.leaf("line", {{"class", "line"}, {"x1", item.x}, {"y1", mid}, {"x2", item.x + k_swatch}, {"y2", mid}});
      if (entry.marker) write_marker(svg, entry.shape, item.x + k_swatch / 2, mid, "marker", "");
    }
    svg.text("text", {{"class", "legend-label"}, {"x", item.x + k_swatch + k_swatch_gap}, {"y", mid + 4}},
             layout.labels[i]);
    svg.close();
  }
  svg.close();
}

}  // namespace sitegen::chart::detail
