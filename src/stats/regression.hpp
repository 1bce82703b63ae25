#pragma once
// Noise-aware comparison of two samples: the Mann-Whitney U rank test (two-sided, normal
// approximation with tie and continuity correction, as scipy's mannwhitneyu(method="asymptotic")
// computes it) and an effect size, so a regression gate can tell a real shift from run-to-run noise.

#include <cstddef>
#include <optional>
#include <span>

namespace sitegen::stats {

struct RankTest {
  std::size_t n_base = 0, n_candidate = 0;
  double u_candidate = 0;  // pairs (base, candidate) with candidate > base, ties counting one half
  double z = 0;            // standard normal score of the larger U, continuity corrected (>= 0)
  double p_value = 1;      // two-sided, in [0, 1]
  // Probability that a random candidate value exceeds a random base value (ties count one half):
  // 0.5 means no shift, 1.0 means every candidate value is larger.
  double superiority = 0.5;
  // Rank-biserial correlation, 2 * superiority - 1, in [-1, 1]: > 0 means the candidate is larger.
  double rank_biserial = 0;
};

// Mann-Whitney U test of base against candidate. nullopt when either side is empty. Values that
// are not finite are skipped. When every value ties (no variance) the p-value is 1.
std::optional<RankTest> mann_whitney(std::span<const double> base, std::span<const double> candidate);

// Two-sided p-value of a standard normal score: erfc(|z| / sqrt 2).
double normal_two_sided_p(double z);

}  // namespace sitegen::stats
