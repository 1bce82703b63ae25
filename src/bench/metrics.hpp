#pragma once
// From a level's recorded requests to a report point, with vLLM's definitions: TTFT to the first
// content chunk, E2EL to the last, TPOT per request = (E2EL - TTFT) / (output tokens - 1) for more
// than one token, ITL = every gap between content chunks pooled over requests. Open-loop latencies
// start at the intended send time.

#include <optional>
#include <string>
#include <vector>

#include "bench/runner.hpp"
#include "model/report.hpp"

namespace sitegen::bench {

// --goodput ttft:MS tpot:MS e2el:MS
struct Slo {
  std::optional<double> ttft_ms, tpot_ms, e2el_ms;
  bool empty() const { return !ttft_ms && !tpot_ms && !e2el_ms; }
};

// Parses "ttft:500", "tpot:50", "e2el:10000" items. Throws Error naming the bad item.
Slo parse_slo(const std::vector<std::string>& items);

// Mean, median, std, min, max, p50/p90/p95/p99/p99.9 and count of the values (numpy
// definitions); an empty Stat for no values.
model::Stat summarize(const std::vector<double>& values);

// The point for one level. Goodput counts successful requests within every given SLO per second;
// slo_held is true when the p99 of each given SLO metric is within it and nothing failed.
// Cancelled requests (a stop) are neither completed nor failed: point.extra.cancelled counts them.
model::Point make_point(const LevelRun& run, const Slo& slo);

}  // namespace sitegen::bench
