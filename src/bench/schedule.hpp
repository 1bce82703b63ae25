#pragma once
// When each request of an open-loop level is due, and the shape of a sweep.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sitegen::bench {

// Arrival offsets in seconds from the start of a level for `count` requests at `rate` per second.
// Inter-arrival gaps are gamma(shape = burstiness, scale = 1 / (rate * burstiness)) from a
// mt19937_64 seeded with `seed` (burstiness 1 = Poisson; smaller is burstier), summed, then
// rescaled like vLLM so the last arrival is at exactly count / rate. rate = infinity gives all
// zeros. Deterministic for a seed on one standard library. Throws Error when rate <= 0 or
// burstiness <= 0.
std::vector<double> arrival_offsets(std::size_t count, double rate, double burstiness, std::uint64_t seed);

// One load level of a sweep: a closed-loop concurrency or an open-loop rate (optionally capped
// by a concurrency).
struct Level {
  std::optional<long long> concurrency;  // closed loop, or the cap of an open loop
  std::optional<double> rate;            // open loop; infinity for "inf"
  bool open_loop() const { return rate.has_value(); }
  std::string label() const;             // "c=16", "rate=8", "rate=inf"
};

// Parses "1,4,16" (--max-concurrency) and "2,8,inf" (--request-rate) into a sweep. Both given:
// the rates form the sweep and the concurrency (a single value) caps each. Throws Error naming the
// flag for a bad value.
std::vector<Level> parse_sweep(const std::string& concurrency, const std::string& rates);

}  // namespace sitegen::bench
