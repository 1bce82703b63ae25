#include "stats/summary.hpp"

#include <algorithm>
#include <cmath>

namespace sitegen::stats {

std::optional<double> mean(std::span<const double> values) {
  if (values.empty()) return std::nullopt;
  // Pairwise-free but compensated: Neumaier summation keeps long sample lists within 1e-12 of
  // numpy's pairwise sum.
  double sum = 0, compensation = 0;
  for (double v : values) {
    const double t = sum + v;
    compensation += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  return (sum + compensation) / static_cast<double>(values.size());
}

std::optional<double> stddev(std::span<const double> values) {
  const auto m = mean(values);
  if (!m) return std::nullopt;
  std::vector<double> squares;
  squares.reserve(values.size());
  for (double v : values) squares.push_back((v - *m) * (v - *m));
  return std::sqrt(*mean(squares));
}

std::optional<double> percentile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::nullopt;
  p = std::clamp(p, 0.0, 100.0);
  const double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double fraction = rank - static_cast<double>(lo);
  // numpy's _lerp: a + (b - a) * t, switching form for t >= 0.5 to stay exact at the ends.
  const double a = sorted[lo], b = sorted[hi];
  const double diff = b - a;
  return fraction >= 0.5 ? b - diff * (1.0 - fraction) : a + diff * fraction;
}

std::optional<double> percentile(std::span<const double> values, double p) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return percentile_sorted(sorted, p);
}

std::optional<double> median(std::span<const double> values) { return percentile(values, 50); }

double relative_difference(double a, double b) {
  const double scale = std::max(std::fabs(a), std::fabs(b));
  return scale == 0 ? 0 : std::fabs(a - b) / scale;
}

}  // namespace sitegen::stats
