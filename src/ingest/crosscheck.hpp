#pragma once
// Recomputing a point's summaries from its per-request samples and comparing them with what the
// producer wrote: a difference beyond 1e-6 relative is a warning naming file, metric and values.

#include <span>
#include <string>
#include <vector>

#include "model/report.hpp"

namespace sitegen::ingest {

inline constexpr double k_cross_check_tolerance = 1e-6;

// Which statistics the producer computes the way numpy does (and so can be compared).
struct CheckOptions {
  bool std = true;          // population std (llmperf uses ddof 1: off)
  bool percentiles = true;  // linear interpolation (guidellm's differ: off)
};

// Summary of samples: mean, median, std (ddof 0), min, max, count and the given percentiles.
// Empty Stat for no samples.
model::Stat summarize(std::span<const double> samples, const std::vector<double>& percents);

// Compares every statistic the point states for ttft/tpot/itl/e2el (and the token totals) with
// the same statistic recomputed from point.samples; appends one warning per difference:
// "file: /points/0/ttft_ms/mean: the file says 12.5, its per-request samples give 12.7".
// Returns how many values were compared.
std::size_t cross_check(const model::Point& point, std::size_t index, const std::string& file,
                        const CheckOptions& options, std::vector<std::string>& warnings);

// Fills each latency Stat the producer did not state from the samples (percentiles 50, 90, 99).
void fill_from_samples(model::Point& point);

}  // namespace sitegen::ingest
