#include "site/chart_specs.hpp"

#include <catch2/catch.hpp>

#include "store/dataset.hpp"
#include "support.hpp"

using namespace sitegen;
using test::contains;

namespace {

store::Configuration config(const std::string& gpu, long long gpus, double peak_tps) {
  store::Run run;
  run.report.provenance.run_id = "20260101-000000";
  run.report.system.gpu.model = gpu;
  run.report.system.gpu.count = gpus;
  run.report.system.engine.name = "vllm";
  model::Point p;
  p.concurrency = 8;
  p.completed = 10;
  p.output_throughput_tps = peak_tps;
  run.report.points.push_back(p);
  run.summary = store::summarize(run.report);
  store::Configuration c;
  c.key = store::config_key(run.report);
  c.id = c.key.id();
  c.runs.push_back(std::move(run));
  c.latest = 0;
  return c;
}

}  // namespace

TEST_CASE("the cost-against-volume chart marks where owning breaks even with an API", "[site][chart]") {
  // Owned: $100 a month fixed plus $0.01 per 1M tokens, up to 1,000 M tokens a month; an API at
  // $0.50: they cross at 100 / (0.50 - 0.01) = 204 M tokens a month, within capacity.
  const std::vector<site::CostLine> lines = {
      {"1 × H100 · vllm", site::CostLine::Kind::owned, 100, 0.01, 1000},
      {"H100, RunPod", site::CostLine::Kind::rented, 0, 0.2, std::nullopt},
      {"Llama 3.1 8B (Groq)", site::CostLine::Kind::api, 0, 0.5, std::nullopt}};
  const std::string svg = site::cost_volume_chart(lines, "vol");
  REQUIRE_FALSE(svg.empty());
  CHECK(contains(svg, "1 × H100 · vllm breaks even with Llama 3.1 8B (Groq) at 204 M tokens a month"));
  CHECK(contains(svg, "(owned)"));
  CHECK(contains(svg, "(rented)"));
  CHECK(contains(svg, "(API)"));
  CHECK_FALSE(contains(svg, "nan"));
  CHECK_FALSE(contains(svg, "inf"));

  // An API cheaper than the energy alone never breaks even: no marker.
  const std::string never = site::cost_volume_chart(
      {{"own", site::CostLine::Kind::owned, 100, 0.6, 1000}, {"api", site::CostLine::Kind::api, 0, 0.5, std::nullopt}}, "v2");
  CHECK_FALSE(contains(never, "breaks even"));
  CHECK(site::cost_volume_chart({}, "v3").empty());
}

TEST_CASE("the scaling chart needs one hardware at two or more GPU counts", "[site][chart]") {
  const store::Configuration one = config("H100", 1, 3000), eight = config("H100", 8, 16000),
                             other = config("B200", 1, 6000);
  const std::string svg = site::scaling_chart({&one, &eight, &other}, "scale");
  REQUIRE_FALSE(svg.empty());
  CHECK(contains(svg, "H100 · vllm on 8 GPU(s): 2,000 output tokens/s per GPU at peak"));
  CHECK(contains(svg, "H100 · vllm on 1 GPU(s): 3,000 output tokens/s per GPU at peak"));
  CHECK_FALSE(contains(svg, "B200"));  // measured at one GPU count only
  CHECK(site::scaling_chart({&one, &other}, "none").empty());
}

TEST_CASE("a Pareto chart within one model draws a named curve per configuration", "[site][chart]") {
  store::Configuration a = config("H100", 1, 3000);
  model::Point light = a.runs[0].report.points[0];
  light.concurrency = 1;
  light.output_throughput_tps = 500;
  light.tpot_ms.median = 10;
  a.runs[0].report.points[0].tpot_ms.median = 25;
  a.runs[0].report.points.push_back(light);
  store::Configuration b = config("B200", 1, 6000);
  b.runs[0].report.points[0].itl_ms.median = 20;  // no TPOT: ITL stands in
  const std::string svg = site::pareto_chart({&a, &b}, "p", true);
  REQUIRE_FALSE(svg.empty());
  CHECK(contains(svg, "<path class=\"line\""));  // the H100's two load levels joined
  CHECK(contains(svg, "1 × H100 · vllm at load 1"));
  CHECK(contains(svg, "1 × B200 · vllm at load 8: 50 tokens/s per user"));
}
