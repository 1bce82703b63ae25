#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "bench/schedule.hpp"
#include "util/error.hpp"

using sitegen::bench::arrival_offsets;
using sitegen::bench::parse_sweep;

namespace {

double gap_cv(const std::vector<double>& t) {
  std::vector<double> gaps;
  for (std::size_t i = 1; i < t.size(); ++i) gaps.push_back(t[i] - t[i - 1]);
  double mean = 0, var = 0;
  for (double g : gaps) mean += g;
  mean /= static_cast<double>(gaps.size());
  for (double g : gaps) var += (g - mean) * (g - mean);
  var /= static_cast<double>(gaps.size());
  return std::sqrt(var) / mean;
}

}  // namespace

TEST_CASE("open-loop arrivals are the same for the same seed and differ for another", "[bench]") {
  const auto a = arrival_offsets(500, 10, 1, 42);
  CHECK(a == arrival_offsets(500, 10, 1, 42));
  CHECK(a != arrival_offsets(500, 10, 1, 43));
  CHECK(std::is_sorted(a.begin(), a.end()));
}

TEST_CASE("open-loop arrivals end at num_prompts / rate, as vLLM rescales them", "[bench]") {
  const auto a = arrival_offsets(2000, 8, 1, 7);
  CHECK(a.back() == Approx(250.0));
  CHECK(a.front() > 0);
}

TEST_CASE("Poisson arrivals have a coefficient of variation near 1, burstiness changes it", "[bench]") {
  CHECK(gap_cv(arrival_offsets(20000, 10, 1, 1)) == Approx(1.0).epsilon(0.05));
  // Gamma with shape k has CV 1/sqrt(k): 0.25 gives 2, 4 gives 0.5.
  CHECK(gap_cv(arrival_offsets(20000, 10, 0.25, 1)) == Approx(2.0).epsilon(0.1));
  CHECK(gap_cv(arrival_offsets(20000, 10, 4, 1)) == Approx(0.5).epsilon(0.05));
}

TEST_CASE("an infinite rate sends everything at t = 0", "[bench]") {
  const auto a = arrival_offsets(10, std::numeric_limits<double>::infinity(), 1, 1);
  CHECK(a == std::vector<double>(10, 0.0));
}

TEST_CASE("bad rates and burstiness are errors", "[bench]") {
  CHECK_THROWS_AS(arrival_offsets(10, 0, 1, 1), sitegen::Error);
  CHECK_THROWS_AS(arrival_offsets(10, 1, 0, 1), sitegen::Error);
}

TEST_CASE("a sweep parses concurrencies, rates with inf, and a cap", "[bench]") {
  const auto closed = parse_sweep("1, 4,16", "");
  REQUIRE(closed.size() == 3);
  CHECK(closed[2].concurrency == 16);
  CHECK_FALSE(closed[2].open_loop());
  const auto open = parse_sweep("", "2,8,inf");
  REQUIRE(open.size() == 3);
  CHECK(open[0].rate == 2.0);
  CHECK(std::isinf(*open[2].rate));
  CHECK(open[2].label() == "rate=inf");
  const auto capped = parse_sweep("32", "2,4");
  CHECK(capped[1].concurrency == 32);
  CHECK(capped[1].label() == "rate=4,c=32");
}

TEST_CASE("a bad sweep names the flag", "[bench]") {
  CHECK_THROWS_WITH(parse_sweep("1,x", ""), Catch::Contains("--max-concurrency"));
  CHECK_THROWS_WITH(parse_sweep("0", ""), Catch::Contains("--max-concurrency"));
  CHECK_THROWS_WITH(parse_sweep("", "2,-1"), Catch::Contains("--request-rate"));
  CHECK_THROWS_WITH(parse_sweep("1,2", "4"), Catch::Contains("one value"));
  CHECK_THROWS_WITH(parse_sweep("", ""), Catch::Contains("sweep"));
}
