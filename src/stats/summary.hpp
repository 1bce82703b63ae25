#pragma once
// Summary statistics with numpy's definitions, so a summary recomputed from per-request samples
// equals vLLM's own: mean, median, population std (ddof 0), percentiles by linear interpolation
// between closest ranks (numpy's default, Hyndman-Fan type 7).

#include <optional>
#include <span>
#include <vector>

namespace sitegen::stats {

// Arithmetic mean; nullopt for no values.
std::optional<double> mean(std::span<const double> values);

// Population standard deviation (ddof 0); nullopt for no values.
std::optional<double> stddev(std::span<const double> values);

// The p-th percentile (0 <= p <= 100) with linear interpolation; nullopt for no values.
// Sorts a copy; use percentile_sorted on data already sorted.
std::optional<double> percentile(std::span<const double> values, double p);

// Same on ascending data, without copying.
std::optional<double> percentile_sorted(std::span<const double> sorted, double p);

// Median = percentile 50.
std::optional<double> median(std::span<const double> values);

// Relative difference |a - b| / max(|a|, |b|), 0 when both are 0.
double relative_difference(double a, double b);

}  // namespace sitegen::stats
