#include "chart/scale.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "util/format.hpp"

namespace sitegen::chart {

namespace {

// Ticks at most this many: a guard against pathological domains, never reached by a real chart.
constexpr int k_max_ticks = 1000;

// Smallest positive domain end a log scale accepts.
constexpr double k_log_floor = 1e-300;

// The 1/2/5 x 10^k values at or below v (down) or at or above v (up), v > 0.
double round_125(double v, bool up) {
  const double power = std::pow(10.0, std::floor(std::log10(v)));
  const double candidates[] = {1, 2, 5, 10};
  if (up) {
    for (double c : candidates)
      if (c * power >= v * (1 - 1e-12)) return c * power;
    return 10 * power;
  }
  double best = power;
  for (double c : candidates)
    if (c * power <= v * (1 + 1e-12)) best = c * power;
  return best;
}

// q, or the integer it is within rounding error of, so floor/ceil do not jump a whole step
// because 0.3 * 10 == 3.0000000000000004.
double snap(double q) {
  const double r = std::round(q);
  return std::fabs(q - r) <= 1e-9 * std::max(1.0, std::fabs(q)) ? r : q;
}

double decades(double d0, double d1) { return std::log10(d1) - std::log10(d0); }

// Log ticks show 1, 2 and 5 in each decade when the domain spans at most three decades.
bool log_uses_125(double d0, double d1) { return decades(d0, d1) <= 3.0 + 1e-9; }

// The decimals a tick step needs: max(0, -floor(log10 step)).
int step_decimals(double step) {
  if (!(step > 0) || !std::isfinite(step)) return 0;
  // A step of 0.1 may be 0.09999999999999999 in binary; nudge before flooring.
  return std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
}

}  // namespace

double tick_increment(double start, double stop, int count) {
  if (count <= 0 || !std::isfinite(start) || !std::isfinite(stop) || !(stop > start)) return 0;
  const double step = (stop - start) / count;
  if (!std::isfinite(step) || step <= 0) return 0;
  const double power = std::floor(std::log10(step));
  const double error = step / std::pow(10.0, power);
  const double factor = error >= std::sqrt(50.0) ? 10 : error >= std::sqrt(10.0) ? 5 : error >= std::sqrt(2.0) ? 2 : 1;
  if (power >= 0) return factor * std::pow(10.0, power);
  return -std::pow(10.0, -power) / factor;
}

Scale::Scale(bool log, double d0, double d1, double r0, double r1)
    : m_log(log), m_d0(d0), m_d1(d1), m_r0(r0), m_r1(r1) {}

Scale Scale::linear(double d0, double d1, double r0, double r1) {
  if (!std::isfinite(d0)) d0 = 0;
  if (!std::isfinite(d1)) d1 = d0;
  if (d1 < d0) std::swap(d0, d1);
  return Scale(false, d0, d1, r0, r1);
}

Scale Scale::log(double d0, double d1, double r0, double r1) {
  if (!std::isfinite(d0) || d0 < k_log_floor) d0 = k_log_floor;
  if (!std::isfinite(d1) || d1 < d0) d1 = std::max(d0, std::isfinite(d1) ? d1 : d0);
  return Scale(true, d0, d1, r0, r1);
}

double Scale::operator()(double v) const {
  double t = 0.5;
  if (m_log) {
    if (!(v > 0)) return m_r0;
    const double span = decades(m_d0, m_d1);
    if (span > 0) t = (std::log10(v) - std::log10(m_d0)) / span;
  } else if (m_d1 > m_d0) {
    t = (v - m_d0) / (m_d1 - m_d0);
  }
  return m_r0 + t * (m_r1 - m_r0);
}

Scale& Scale::nice(int count) {
  if (m_log) {
    if (log_uses_125(m_d0, m_d1)) {
      m_d0 = round_125(m_d0, false);
      m_d1 = round_125(m_d1, true);
      // Narrow data can reach past three decades once rounded; powers of ten then take over.
      if (!log_uses_125(m_d0, m_d1)) {
        m_d0 = std::pow(10.0, std::floor(std::log10(m_d0)));
        m_d1 = std::pow(10.0, std::ceil(std::log10(m_d1)));
      }
    } else {
      m_d0 = std::pow(10.0, std::floor(std::log10(m_d0)));
      m_d1 = std::pow(10.0, std::ceil(std::log10(m_d1)));
    }
    m_d0 = std::max(m_d0, k_log_floor);
    if (!std::isfinite(m_d1)) m_d1 = 1e300;
    return *this;
  }
  // d3's loop: the step can change once the domain grows, so settle it in a few rounds.
  double previous = 0;
  for (int round = 0; round < 10; ++round) {
    const double inc = tick_increment(m_d0, m_d1, count);
    if (inc == previous || inc == 0) break;
    if (inc > 0) {
      m_d0 = std::floor(snap(m_d0 / inc)) * inc;
      m_d1 = std::ceil(snap(m_d1 / inc)) * inc;
    } else {
      m_d0 = std::floor(snap(m_d0 * -inc)) / -inc;
      m_d1 = std::ceil(snap(m_d1 * -inc)) / -inc;
    }
    previous = inc;
  }
  return *this;
}

std::vector<double> Scale::ticks(int count) const {
  std::vector<double> out;
  if (m_log) {
    const int p0 = static_cast<int>(std::floor(std::log10(m_d0)));
    const int p1 = static_cast<int>(std::ceil(std::log10(m_d1)));
    const bool with_125 = log_uses_125(m_d0, m_d1);
    const int every = std::max(1, (p1 - p0 + count - 1) / std::max(1, count));
    for (int p = p0; p <= p1 && static_cast<int>(out.size()) < k_max_ticks; ++p) {
      if (!with_125 && (p - p0) % every != 0) continue;
      for (double digit : {1.0, 2.0, 5.0}) {
        if (digit != 1 && !with_125) continue;
        // Negative powers divide so 0.2 is the double nearest 0.2, not 2 * 0.1.
        const double v = p >= 0 ? digit * std::pow(10.0, p) : digit / std::pow(10.0, -p);
        if (v >= m_d0 * (1 - 1e-12) && v <= m_d1 * (1 + 1e-12)) out.push_back(v);
      }
    }
    return out;
  }
  const double inc = tick_increment(m_d0, m_d1, count);
  if (inc == 0) {
    out.push_back(m_d0);
    return out;
  }
  // Round, then step inwards if the rounded multiple fell outside: floor/ceil alone would lose
  // an end tick to 1.001 * 10000 == 10009.999999999998.
  const double n = inc > 0 ? 1 / inc : -inc;
  const auto value_of = [&](double i) { return inc > 0 ? i * inc : i / n; };
  double i1 = std::round(inc > 0 ? m_d0 / inc : m_d0 * n);
  double i2 = std::round(inc > 0 ? m_d1 / inc : m_d1 * n);
  if (value_of(i1) < m_d0) ++i1;
  if (value_of(i2) > m_d1) --i2;
  for (double i = i1; i <= i2 && static_cast<int>(out.size()) < k_max_ticks; ++i) {
    const double v = value_of(i);
    out.push_back(v == 0 ? 0.0 : v);  // no -0
  }
  return out;
}

std::string Scale::tick_label(double value, int count) const {
  if (m_log) {
    if (!(value > 0)) return number_label(value, 0);
    const int power = static_cast<int>(std::floor(std::log10(value) + 1e-9));
    if (value >= 1000) return si_label(value, std::pow(10.0, power), value);
    return number_label(value, std::max(0, -power));
  }
  const double inc = tick_increment(m_d0, m_d1, count);
  const double step = inc > 0 ? inc : inc < 0 ? 1 / -inc : 0;
  const double magnitude = std::max(std::fabs(m_d0), std::fabs(m_d1));
  if (step >= 1000) return si_label(value, step, magnitude);
  return number_label(value, step_decimals(step));
}

std::string number_label(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  const double magnitude = std::fabs(value);
  if (value != 0 && (magnitude < 1e-6 || magnitude >= 1e15 || decimals > 12)) {
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific, 0);
    std::string out(buffer, result.ptr);
    // "1e-09" reads better as "1e-9".
    const auto e = out.find('e');
    if (e != std::string::npos) {
      std::size_t digits = e + 2;
      while (digits + 1 < out.size() && out[digits] == '0') out.erase(digits, 1);
    }
    return out;
  }
  std::string out = format::fixed(value, std::max(0, decimals));
  const bool negative = !out.empty() && out[0] == '-';
  const std::size_t begin = negative ? 1 : 0;
  std::size_t end = out.find('.');
  if (end == std::string::npos) end = out.size();
  for (std::size_t i = end; i > begin + 3; i -= 3) out.insert(i - 3, ",");
  return out;
}

std::string si_label(double value, double step, double magnitude) {
  static const char* const k_suffix[] = {"", "k", "M", "G", "T"};
  int unit_index = 0;
  double unit = 1;
  while (unit_index < 4 && std::fabs(magnitude) >= unit * 1000) {
    unit *= 1000;
    ++unit_index;
  }
  if (std::fabs(magnitude) >= unit * 1000) return number_label(value, 0);  // beyond T: exponent form
  if (value == 0) return "0";
  return number_label(value / unit, step_decimals(step / unit)) + k_suffix[unit_index];
}

}  // namespace sitegen::chart
