#include <catch2/catch.hpp>

#include "ingest/crosscheck.hpp"

using namespace sitegen::ingest;

TEST_CASE("summaries recomputed from samples match numpy's definitions", "[ingest]") {
  const std::vector<double> v = {1, 2, 3, 4, 10};
  const auto s = summarize(v, {99, 90});
  CHECK(s.mean == Approx(4.0));
  CHECK(s.median == 3.0);
  CHECK(*s.std == Approx(3.1622776601683795));  // np.std, ddof 0
  CHECK(*s.percentile(90) == Approx(7.6));      // np.percentile, linear
  CHECK(s.count == 5);
}

TEST_CASE("the cross-check warns with file, metric and both values beyond 1e-6", "[ingest]") {
  sitegen::model::Point p;
  p.samples.ttft_ms = {10, 20, 30};
  p.ttft_ms.mean = 20.0;
  p.ttft_ms.median = 20.00001;  // 5e-7 relative: within tolerance
  p.ttft_ms.set_percentile(99, 35.0);  // numpy gives 29.8
  p.input_tokens = 7;
  p.samples.input_tokens = {3, 4};
  std::vector<std::string> warnings;
  const auto compared = cross_check(p, 2, "run.json", {}, warnings);
  CHECK(compared == 4);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "run.json: /points/2/ttft_ms/p99: the file says 35, its per-request samples give 29.8");
}

TEST_CASE("a stat with the producer's own definition is not compared with vLLM's", "[ingest]") {
  sitegen::model::Point p;
  p.samples.tpot_ms = {1, 2};
  p.tpot_ms.mean = 100.0;
  p.tpot_ms.definition = "guidellm: includes TTFT";
  std::vector<std::string> warnings;
  CHECK(cross_check(p, 0, "g.json", {}, warnings) == 0);
  CHECK(warnings.empty());
}
