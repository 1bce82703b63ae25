#include "chart/legend.hpp"

#include <algorithm>
#include <cmath>

namespace sitegen::chart::detail {

namespace {

constexpr double k_swatch = 24;      // legend swatch line length
constexpr double k_swatch_gap = 6;   // between swatch and label
constexpr double k_item_gap = 18;    // between legend entries

// A marker element of `shape` centred on (cx, cy), with a <title> inside when one is given.
void write_marker(SvgWriter& svg, Shape shape, double cx, double cy, const std::string& css_class,
                  const std::string& title) {
  const auto emit = [&](std::string_view tag, std::initializer_list<Attr> attrs) {
    if (title.empty()) svg.leaf(tag, attrs);
    else svg.open(tag, attrs);
  };
  const auto at = [](double x, double y) { return num(x) + " " + num(y); };
  switch (shape) {
    case Shape::circle: emit("circle", {{"class", css_class}, {"cx", cx}, {"cy", cy}, {"r", 3.5}}); break;
    case Shape::square:
      emit("rect", {{"class", css_class}, {"x", cx - 3.25}, {"y", cy - 3.25}, {"width", 6.5}, {"height", 6.5}});
      break;
    case Shape::triangle:
      emit("path", {{"class", css_class},
                    {"d", "M" + at(cx, cy - 4.5) + " L" + at(cx + 4, cy + 3) + " L" + at(cx - 4, cy + 3) + " Z"}});
      break;
    case Shape::diamond:
      emit("path", {{"class", css_class},
                    {"d", "M" + at(cx, cy - 4.5) + " L" + at(cx + 4.5, cy) + " L" + at(cx, cy + 4.5) + " L" +
                              at(cx - 4.5, cy) + " Z"}});
      break;
  }
  if (title.empty()) return;
  svg.text("title", {}, title);
  svg.close();
}

}  // namespace

std::string series_class(int colour, std::size_t index) {
  const std::size_t slot = colour >= 0 ? static_cast<std::size_t>(colour) : index;
  return "series-" + std::to_string(slot % 8);
}

Shape marker_shape(int colour, std::size_t index) {
  const std::size_t slot = colour >= 0 ? static_cast<std::size_t>(colour) : index;
  return static_cast<Shape>((slot / 8) % 4);
}

std::string stroke_class(Stroke stroke) {
  switch (stroke) {
    case Stroke::dashed: return "dashed";
    case Stroke::dotted: return "dotted";
    case Stroke::solid: break;
  }
  return "";
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
