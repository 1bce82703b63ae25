#include "stats/regression.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace sitegen::stats {

namespace {

struct Ranked {
  double rank_sum_candidate = 0;
  double tie_term = 0;  // sum over tie groups of t^3 - t
};

// Ranks the pooled values (ties get the average rank) and sums the candidate's ranks.
Ranked rank_pooled(std::vector<std::pair<double, bool>>& pooled) {
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Ranked r;
  std::size_t i = 0;
  while (i < pooled.size()) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const double t = static_cast<double>(j - i);
    const double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) {
      if (pooled[k].second) r.rank_sum_candidate += average_rank;
    }
    r.tie_term += t * t * t - t;
    i = j;
  }
  return r;
}

}  // namespace

double normal_two_sided_p(double z) { return std::min(1.0, std::erfc(std::fabs(z) / std::sqrt(2.0))); }

std::optional<RankTest> mann_whitney(std::span<const double> base, std::span<const double> candidate) {
  std::vector<std::pair<double, bool>> pooled;  // (value, belongs to candidate)
  pooled.reserve(base.size() + candidate.size());
  RankTest t;
  for (double v : base) {
    if (std::isfinite(v)) pooled.emplace_back(v, false), ++t.n_base;
  }
  for (double v : candidate) {
    if (std::isfinite(v)) pooled.emplace_back(v, true), ++t.n_candidate;
  }
  if (t.n_base == 0 || t.n_candidate == 0) return std::nullopt;

  const Ranked ranked = rank_pooled(pooled);
  const double n1 = static_cast<double>(t.n_base), n2 = static_cast<double>(t.n_candidate);
  const double n = n1 + n2;
  t.u_candidate = ranked.rank_sum_candidate - n2 * (n2 + 1) / 2.0;
  t.superiority = t.u_candidate / (n1 * n2);
  t.rank_biserial = 2.0 * t.superiority - 1.0;

  // Normal approximation of U with the tie-corrected variance; the larger U with a 0.5
  // continuity correction gives a two-sided p-value, as scipy does.
  const double mu = n1 * n2 / 2.0;
  const double variance = n1 * n2 / 12.0 * ((n + 1.0) - ranked.tie_term / (n * (n - 1.0)));
  if (!(variance > 0)) return t;  // every value ties: no evidence of a shift
  const double u_larger = std::max(t.u_candidate, n1 * n2 - t.u_candidate);
  t.z = std::max(0.0, (u_larger - mu - 0.5) / std::sqrt(variance));
  t.p_value = normal_two_sided_p(t.z);
  return t;
}

}  // namespace sitegen::stats
