#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "stats/summary.hpp"
#include "support.hpp"

#include <nlohmann/json.hpp>

using namespace sitegen;

namespace {

// TTFT samples of the 150 llmperf requests to Anyscale, and the summary pandas computed from them.
struct LlmperfPin {
  std::vector<double> ttft;
  nlohmann::json summary;
};

LlmperfPin load_llmperf() {
  std::ifstream ind(test::fixture("llmperf/leaderboard_individual_responses_anyscale_70b.json"));
  std::ifstream sum(test::fixture("llmperf/leaderboard_summary_anyscale_70b.json"));
  LlmperfPin pin;
  for (const auto& r : nlohmann::json::parse(ind)) pin.ttft.push_back(r.at("ttft_s").get<double>());
  pin.summary = nlohmann::json::parse(sum);
  return pin;
}

}  // namespace

TEST_CASE("percentiles match pandas' linear interpolation on a real llmperf run", "[stats]") {
  const LlmperfPin pin = load_llmperf();
  REQUIRE(pin.ttft.size() == 150);
  for (int p : {25, 50, 75, 90, 95, 99}) {
    const double expected = pin.summary.at("results_ttft_s_quantiles_p" + std::to_string(p)).get<double>();
    const double got = *stats::percentile(pin.ttft, p);
    INFO("p" << p);
    CHECK(stats::relative_difference(got, expected) < 1e-12);
  }
}

TEST_CASE("mean and population std match pandas on a real llmperf run", "[stats]") {
  const LlmperfPin pin = load_llmperf();
  CHECK(stats::relative_difference(*stats::mean(pin.ttft), pin.summary.at("results_ttft_s_mean").get<double>()) < 1e-12);
  // pandas reports the sample std (ddof 1); numpy's and ours is the population std (ddof 0).
  const double n = static_cast<double>(pin.ttft.size());
  const double sample_std = pin.summary.at("results_ttft_s_stddev").get<double>();
  CHECK(stats::relative_difference(*stats::stddev(pin.ttft), sample_std * std::sqrt((n - 1) / n)) < 1e-9);
}

TEST_CASE("percentile interpolates between closest ranks like numpy", "[stats]") {
  const std::vector<double> v = {4, 1, 3, 2};
  CHECK(*stats::percentile(v, 50) == Approx(2.5));
  CHECK(*stats::percentile(v, 90) == Approx(3.7));  // rank 2.7: 3 + 0.7 * (4 - 3)
  CHECK(*stats::percentile(v, 0) == 1);
  CHECK(*stats::percentile(v, 100) == 4);
  CHECK(*stats::percentile(v, 99.9) == Approx(3.997));
  CHECK(*stats::median(std::vector<double>{5}) == 5);
}

TEST_CASE("statistics of no samples are unknown, never zero", "[stats]") {
  const std::vector<double> none;
  CHECK_FALSE(stats::mean(none));
  CHECK_FALSE(stats::stddev(none));
  CHECK_FALSE(stats::percentile(none, 99));
}

TEST_CASE("population std of a known set", "[stats]") {
  CHECK(*stats::stddev(std::vector<double>{2, 4, 4, 4, 5, 5, 7, 9}) == Approx(2.0));
}
