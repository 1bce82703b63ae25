// Per-configuration economics: the three-valued SLO, the TPOT substitution, output-only cost and
// developers estimated from concurrency.

#include <catch2/catch.hpp>

#include "econ/economics.hpp"
#include "ingest/import.hpp"
#include "support.hpp"

using namespace sitegen;
using Catch::Detail::Approx;

namespace {

// ECONOMICS.md's worked example hardware (DGX Spark at a round $4,000), as the only catalog entry.
econ::Catalog spark_catalog() {
  econ::Catalog c;
  econ::Hardware h;
  h.id = "dgx-spark";
  h.name = "DGX Spark";
  h.aliases = {"dgx spark", "gb10", "dgx spark gb10"};
  h.own.price_usd = 4000;
  h.own.life_years = 3;
  h.own.pue = 1;
  h.own.usd_per_kwh = 0.15;
  h.own.sourced = {"worked example", "2026"};
  h.power.busy_w = 150;
  h.power.idle_w = 40;
  c.hardware.push_back(h);
  c.assumptions.slo_ttft_ms = 2000;
  c.assumptions.slo_tpot_ms = 100;
  return c;
}

model::Point point(long long concurrency, std::optional<double> ttft, std::optional<double> tpot) {
  model::Point p;
  p.concurrency = concurrency;
  p.completed = 10;
  p.total_throughput_tps = 100.0 * static_cast<double>(concurrency);
  p.ttft_ms.median = ttft;
  p.tpot_ms.median = tpot;
  return p;
}

model::Report spark_report() {
  model::Report r;
  r.system.gpu.model = "DGX Spark";
  r.system.gpu.count = 1;
  return r;
}

}  // namespace

TEST_CASE("each load level's SLO verdict is held, failed or unknown, with the metric that decided", "[econ][slo]") {
  const econ::Catalog cat = spark_catalog();
  model::Report r = spark_report();
  r.points = {point(1, 100, 20), point(4, 3000, 20), point(8, 150, std::nullopt), point(16, 4000, std::nullopt)};
  const econ::ConfigEconomics ce = econ::report_economics(r, cat, cat.assumptions);
  REQUIRE(ce.slo_verdicts.size() == 4);
  CHECK(ce.slo_verdicts[0].state == econ::SloState::held);
  CHECK(ce.slo_verdicts[1].state == econ::SloState::failed);
  CHECK(ce.slo_verdicts[1].metric == "TTFT p50");
  CHECK(ce.slo_verdicts[1].text == "failed: TTFT p50 3,000 ms > 2000 ms");
  // TPOT missing: unknown, never failed.
  CHECK(ce.slo_verdicts[2].state == econ::SloState::unknown);
  CHECK(ce.slo_verdicts[2].metric == "TPOT p50");
  CHECK(ce.slo_verdicts[2].text == "unknown: the report has no TPOT p50 (TTFT p50 150 ms <= 2000 ms)");
  // A known failure decides even when another metric is missing.
  CHECK(ce.slo_verdicts[3].state == econ::SloState::failed);
  CHECK(ce.slo_state == econ::SloState::held);
  CHECK(ce.slo_point == 0u);
}

TEST_CASE("a report missing a metric the SLO needs is unknown, never 'no load level holds'", "[econ][slo]") {
  const econ::Catalog cat = spark_catalog();
  model::Report r = spark_report();
  r.points = {point(1, 85, std::nullopt), point(8, 281, std::nullopt)};
  const econ::ConfigEconomics ce = econ::report_economics(r, cat, cat.assumptions);
  CHECK_FALSE(ce.slo_point);
  CHECK(ce.slo_state == econ::SloState::unknown);
  CHECK_THAT(ce.slo_reason, Catch::StartsWith("unknown whether any load level holds the SLO") &&
                                Catch::Contains("the report has no TPOT p50"));
  CHECK_THAT(ce.usd_per_1m_at_slo.reason, Catch::Contains("unknown whether"));
  CHECK_THAT(ce.slo_reason, !Catch::Contains("no load level holds"));

  r.points = {point(1, 3000, std::nullopt)};  // a known failure on every level: failed
  const econ::ConfigEconomics failed = econ::report_economics(r, cat, cat.assumptions);
  CHECK(failed.slo_state == econ::SloState::failed);
  CHECK_THAT(failed.slo_reason, Catch::StartsWith("no load level holds the SLO"));
}

TEST_CASE("TPOT comes from median ITL when the report has none, and says so", "[econ][slo]") {
  const econ::Catalog cat = spark_catalog();
  // token-labs' Qwen2.5-7B sweep on a DGX Spark: TTFT and ITL per level, no TPOT.
  const ingest::ImportResult imported =
      ingest::import_paths({test::fixture("token-labs/qwen25-7b-vllm-isl-osl-sweep-2026-04-10.json")},
                           {"", {"system.gpu.model=DGX Spark GB10", "system.gpu.count=1"}, "", true});
  REQUIRE_FALSE(imported.reports.empty());
  for (const model::Report& r : imported.reports) {
    for (const model::Point& p : r.points) REQUIRE_FALSE(p.tpot_ms.percentile(50));
    const econ::ConfigEconomics ce = econ::report_economics(r, cat, cat.assumptions);
    INFO(r.workload.input_len.value_or(0) << "/" << r.workload.output_len.value_or(0) << ": " << ce.slo_reason);
    CHECK(ce.slo_substitution == "TPOT from p50 ITL: the report has no TPOT");
    CHECK(ce.slo_state != econ::SloState::unknown);
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      const double itl = *r.points[i].itl_ms.percentile(50), ttft = *r.points[i].ttft_ms.percentile(50);
      const bool holds = itl <= 100 && ttft <= 2000;
      CHECK(ce.slo_verdicts[i].state == (holds ? econ::SloState::held : econ::SloState::failed));
    }
  }
  // The lightest level of the ISL 128 / OSL 128 run holds (median ITL ~63 ms, TTFT well under 2 s).
  const auto it = std::find_if(imported.reports.begin(), imported.reports.end(), [](const model::Report& r) {
    return r.workload.input_len == 128 && r.workload.output_len == 128;
  });
  REQUIRE(it != imported.reports.end());
  CHECK(econ::report_economics(*it, cat, cat.assumptions).slo_state == econ::SloState::held);
}

TEST_CASE("TPOT from E2E latency, TTFT and output tokens when neither TPOT nor ITL is reported", "[econ][slo]") {
  const econ::Catalog cat = spark_catalog();
  model::Report r = spark_report();
  model::Point p = point(4, 200, std::nullopt);
  p.ttft_ms.mean = 200;
  p.e2el_ms.mean = 200 + 99 * 40;  // 100 output tokens a request, 40 ms apart
  p.output_tokens = 1000;          // over 10 requests
  r.points = {p};
  const econ::ConfigEconomics ce = econ::report_economics(r, cat, cat.assumptions);
  CHECK(ce.slo_verdicts[0].state == econ::SloState::held);
  CHECK_THAT(ce.slo_verdicts[0].text, Catch::Contains("TPOT mean (from E2E latency) 40 ms <= 100 ms"));
  CHECK_THAT(ce.slo_substitution, Catch::StartsWith("TPOT from (mean E2E latency - mean TTFT)"));
}

TEST_CASE("output-token cost is computed from output throughput alone and labelled so", "[econ]") {
  const econ::Catalog cat = spark_catalog();
  econ::OperatingInput in;
  in.throughput.output = 1000;  // token-labs reports give output throughput only
  const econ::PointEconomics pe = econ::point_economics(in, &cat.hardware[0], econ::Assumptions{});
  CHECK_FALSE(pe.owned.usd_per_1m_tokens.available());
  REQUIRE(pe.owned.usd_per_1m_output_tokens.available());
  // The worked example's figure at 100% with T = 1,000 output tokens/s: every cost on output.
  CHECK(*pe.owned.usd_per_1m_output_tokens.value == Approx(0.0485).epsilon(0.01));
  CHECK(pe.owned.usd_per_1m_output_tokens.unit == "USD/1M output tokens");
  CHECK(*pe.joules_per_output_token.value == Approx(0.15));
  CHECK_FALSE(pe.joules_per_token.available());
  REQUIRE(pe.rentals.empty());

  // Both known: both shown, and the output-only figure is the larger.
  econ::OperatingInput both = in;
  both.throughput.total = 3000;
  const econ::PointEconomics pb = econ::point_economics(both, &cat.hardware[0], econ::Assumptions{});
  CHECK(*pb.owned.usd_per_1m_output_tokens.value > *pb.owned.usd_per_1m_tokens.value);
  CHECK(*pb.joules_per_token.value == Approx(0.05));
}

TEST_CASE("developers are estimated from the largest concurrency holding the SLO; measured capacity wins", "[econ]") {
  econ::Catalog cat = spark_catalog();
  model::Report r = spark_report();
  r.points = {point(1, 100, 20), point(8, 300, 60), point(32, 3000, 150)};
  SECTION("no activity fraction: unavailable, with the reason") {
    const econ::ConfigEconomics ce = econ::report_economics(r, cat, cat.assumptions);
    CHECK_FALSE(ce.usd_per_dev_month.available());
    CHECK_THAT(ce.usd_per_dev_month.reason, Catch::Contains("developer activity fraction"));
  }
  SECTION("with an activity fraction") {
    cat.assumptions.developer_activity = econ::DeveloperActivity{0.25, 160, {"assumption for the test", "2026"}};
    const econ::ConfigEconomics ce = econ::report_economics(r, cat, cat.assumptions);
    REQUIRE(ce.slo_point == 1u);
    CHECK_FALSE(ce.developers_measured);
    CHECK(*ce.developers.value == Approx(32));  // 8 concurrent requests / 0.25
    CHECK(ce.developers.formula == "C_slo / f");
    const double per_hour = *ce.points[1].owned.usd_per_hour.value;
    CHECK(*ce.usd_per_dev_month.value == Approx(per_hour * 730 / 32));
    CHECK_THAT(ce.usd_per_dev_month.unit, Catch::Contains("estimated from concurrency"));
    // Measured capacity always wins.
    r.capacity = {{4, true, {}, {}, {}, {}}, {6, true, {}, {}, {}, {}}, {10, false, {}, {}, {}, {}}};
    const econ::ConfigEconomics measured = econ::report_economics(r, cat, cat.assumptions);
    CHECK(measured.developers_measured);
    CHECK(*measured.developers.value == 6);
    CHECK(*measured.usd_per_dev_month.value == Approx(per_hour * 730 / 6));
  }
  SECTION("an SLO load given as a request rate: requests in flight by Little's law") {
    cat.assumptions.developer_activity = econ::DeveloperActivity{0.25, 160, {"assumption for the test", "2026"}};
    model::Point rate = point(1, 100, 20);
    rate.concurrency.reset();
    rate.request_rate_rps = 2;
    r.points = {rate};
    const econ::ConfigEconomics without_latency = econ::report_economics(r, cat, cat.assumptions);
    CHECK_FALSE(without_latency.developers.available());
    CHECK_THAT(without_latency.developers.reason, Catch::Contains("no request rate with a mean E2E latency"));
    r.points[0].e2el_ms.mean = 3000;  // 2 req/s x 3 s = 6 in flight
    const econ::ConfigEconomics ce = econ::report_economics(r, cat, cat.assumptions);
    REQUIRE(ce.developers.available());
    CHECK(*ce.developers.value == Approx(6 / 0.25));
    CHECK_THAT(ce.developers.inputs[0].source, Catch::Contains("Little's law"));
  }
}
