#include "chart/layout.hpp"

#include <algorithm>
#include <cmath>

#include "util/format.hpp"
#include "util/strings.hpp"

namespace sitegen::chart::detail {

namespace {

constexpr double k_max_magnitude = 1e150;
constexpr double k_no_data_height = 120;

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

}  // namespace sitegen::chart::detail
