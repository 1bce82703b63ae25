#include <catch2/catch.hpp>

#include "econ/economics.hpp"
#include "model/json_io.hpp"
#include "support.hpp"
#include "util/format.hpp"

using namespace sitegen;
using Catch::Detail::Approx;

namespace {

// ECONOMICS.md's worked example: DGX Spark at $4,000 (round figure), 3 years, no salvage, on a
// desk (PUE 1, no colo), $0.15/kWh, 150 W busy, 40 W idle.
econ::Hardware spark() {
  econ::Hardware h;
  h.id = "dgx-spark";
  h.own.price_usd = 4000;
  h.own.life_years = 3;
  h.own.pue = 1;
  h.own.usd_per_kwh = 0.15;
  h.own.sourced = {"worked example", "2026"};
  h.power.busy_w = 150;
  h.power.idle_w = 40;
  return h;
}

const econ::Hardware k_spark = spark();

econ::OperatingInput at(double tokens_per_s) {
  econ::OperatingInput in;
  in.throughput.total = tokens_per_s;
  in.throughput.how = "what-if";
  in.label = "what-if";
  return in;
}

econ::Assumptions with_u(double u) {
  econ::Assumptions a;
  a.utilization = u;
  return a;
}

double usd_per_1m(const econ::Hardware& h, double t, double u) {
  return *econ::point_economics(at(t), &h, with_u(u)).owned.usd_per_1m_tokens.value;
}

}  // namespace

TEST_CASE("the ECONOMICS.md worked example is reproduced from the formulas", "[econ]") {
  const econ::PointEconomics u1 = econ::point_economics(at(1000), &k_spark, with_u(1.0));
  CHECK(*u1.owned.capex_per_h.value == Approx(4000.0 / 26280).epsilon(1e-12));   // $0.1522/h
  CHECK(*u1.owned.capex_per_h.value == Approx(0.1522).margin(5e-5));
  CHECK(*u1.owned.idle_energy_per_h.value == Approx(0.006).margin(1e-12));
  CHECK(*u1.owned.marginal_energy_per_1m.value == Approx(0.0046).margin(5e-5));  // 0.11 J/token * $0.15
  CHECK(*u1.owned.usd_per_1m_tokens.value == Approx(0.0485).margin(5e-5));
  CHECK(*u1.joules_per_token.value == Approx(0.15));
  CHECK(*u1.tokens_per_s_per_kw.value == Approx(1000 / 0.15));
  CHECK_FALSE(u1.power_measured);

  const econ::PointEconomics u03 = econ::point_economics(at(1000), &k_spark, with_u(0.3));
  CHECK(*u03.owned.usd_per_1m_tokens.value == Approx(0.151).margin(5e-4));
  // Fixed cost per wall-clock hour does not depend on utilization.
  CHECK(*u03.owned.fixed_per_h.value == Approx(*u1.owned.fixed_per_h.value));
}

TEST_CASE("break-even against GPT-4o-mini at a 3:1 blend is about 448 M tokens a month", "[econ]") {
  const model::Report report = model::read_report(test::source("tests/model/data/minimal_report.json"));
  econ::Catalog catalog;
  catalog.file = "test";
  catalog.hardware.push_back(spark());
  catalog.hardware.back().aliases = {"rtx a5000"};  // let the fixture's GPU stand for the Spark
  catalog.api_models.push_back({"gpt-4o-mini", "GPT-4o mini", "OpenAI", 0.15, 0.60, {"OpenAI pricing", "2026-05"}});
  model::Report r = report;
  r.points[0].total_throughput_tps = 1000;
  r.workload.slo_ttft_ms = 10000;  // the fixture's point (median TTFT 192 ms) holds it
  const econ::ConfigEconomics ce = econ::report_economics(r, catalog, catalog.assumptions);
  REQUIRE(ce.api_break_even.size() == 1);
  const econ::BreakEven& b = ce.api_break_even[0];
  CHECK(*b.price_per_1m.value == Approx(0.2625));
  CHECK(*b.volume_m_tokens_per_month.value == Approx(448).margin(1.0));
  // Capacity at the SLO point: 1000 tok/s * 3600 * 730 / 1e6 = 2628 M tokens a month.
  CHECK(*b.capacity_m_tokens_per_month.value == Approx(2628));
  CHECK(b.within_capacity == true);
  REQUIRE(ce.slo_point == 0u);
}

TEST_CASE("utilization divides fixed cost, the 'multiplied' version is about 11x too low at 30%", "[econ]") {
  // The circulating claim: "$4000 over 3 years at 30% utilization = $0.05/h". Capex alone:
  econ::Hardware h = spark();
  h.power.busy_w = 1e-9;  // isolate capex: no energy
  h.power.idle_w = 0;
  const double per_wall_hour = 4000.0 / (3 * 8760);       // $0.1522 per wall-clock hour
  const double wrong_per_busy_hour = per_wall_hour * 0.3;  // $0.0457 ("$0.05/h"): multiplied
  const double right_per_busy_hour = per_wall_hour / 0.3;  // $0.507: divided
  // Cost per 1M tokens at 1000 tok/s is cost per busy hour / 3.6 (M tokens per busy hour).
  const double ours = usd_per_1m(h, 1000, 0.3);
  CHECK(ours == Approx(right_per_busy_hour / 3.6).epsilon(1e-6));
  // right / wrong = 1 / 0.3^2 = 11.1: ECONOMICS.md's "about ten times" compares $0.507 with the
  // rounded $0.05; against the unrounded $0.0457 it is 11.1x.
  CHECK(ours / (wrong_per_busy_hour / 3.6) == Approx(1 / 0.09).epsilon(1e-6));
  CHECK(ours / (wrong_per_busy_hour / 3.6) > 10.5);
}

TEST_CASE("cost per token is inversely proportional to utilization and throughput, linear in price", "[econ]") {
  econ::Hardware h = spark();
  h.power.busy_w = 40;  // busy == idle: no marginal energy, so only fixed cost scales
  const double base = usd_per_1m(h, 1000, 1.0);
  CHECK(usd_per_1m(h, 1000, 0.5) == Approx(2 * base));
  CHECK(usd_per_1m(h, 1000, 0.25) == Approx(4 * base));
  CHECK(usd_per_1m(h, 2000, 1.0) == Approx(base / 2));
  CHECK(usd_per_1m(h, 500, 1.0) == Approx(2 * base));
  // Linear in price: capex doubles when the price doubles; idle energy is unchanged.
  econ::Hardware dear = h;
  dear.own.price_usd = 8000;
  const double idle_part = 0.006 * 1e6 / 3.6e6;
  CHECK(usd_per_1m(dear, 1000, 1.0) - idle_part == Approx(2 * (base - idle_part)));
}

TEST_CASE("rental cost is the hourly price over the tokens served in an hour", "[econ]") {
  econ::Hardware h = spark();
  h.rent.push_back({"RunPod", "x", 2.69, {"list", "2026"}});
  econ::OperatingInput in = at(1000);
  in.gpus = 2;
  const econ::PointEconomics pe = econ::point_economics(in, &h, with_u(0.5));
  REQUIRE(pe.rentals.size() == 1);
  CHECK(*pe.rentals[0].usd_per_hour.value == Approx(5.38));
  CHECK(*pe.rentals[0].usd_per_1m_tokens.value == Approx(5.38 * 1e6 / (3600 * 1000 * 0.5)));
}

TEST_CASE("the input/output split is additive and output costs R times input", "[econ]") {
  econ::OperatingInput in = at(1000);
  in.throughput.input = 750;
  in.throughput.output = 250;
  econ::Assumptions a;
  a.output_cost_ratio = 4;
  const econ::PointEconomics pe = econ::point_economics(in, &k_spark, a);
  const double in_cost = *pe.usd_per_1m_input.value, out_cost = *pe.usd_per_1m_output.value;
  CHECK(out_cost == Approx(4 * in_cost));
  // Per second: 750 input tokens and 250 output tokens cost exactly the blended figure.
  CHECK(750 * in_cost + 250 * out_cost == Approx(1000 * *pe.owned.usd_per_1m_tokens.value));
}

TEST_CASE("measured power replaces the catalog's busy power and is flagged", "[econ]") {
  econ::OperatingInput in = at(1000);
  in.measured_power_w = 120;
  const econ::PointEconomics pe = econ::point_economics(in, &k_spark, with_u(1));
  CHECK(pe.power_measured);
  CHECK(*pe.joules_per_token.value == Approx(0.12));
  CHECK(pe.joules_per_token.inputs[0].source.find("measured") != std::string::npos);
}

TEST_CASE("figures that cannot be computed are unavailable with a reason, never 0 or infinity", "[econ]") {
  SECTION("zero throughput") {
    const econ::PointEconomics pe = econ::point_economics(at(0), &k_spark, with_u(1));
    CHECK_FALSE(pe.owned.usd_per_1m_tokens.available());
    CHECK(pe.owned.usd_per_1m_tokens.reason.find("0 tokens/s") != std::string::npos);
    CHECK_FALSE(pe.joules_per_token.available());
    CHECK(pe.owned.fixed_per_h.available());  // the hourly cost is still known
  }
  SECTION("missing throughput") {
    econ::OperatingInput in;
    const econ::PointEconomics pe = econ::point_economics(in, &k_spark, with_u(1));
    CHECK_FALSE(pe.owned.usd_per_1m_tokens.available());
    CHECK_FALSE(pe.owned.usd_per_1m_tokens.reason.empty());
  }
  SECTION("no purchase price") {
    econ::Hardware h = spark();
    h.own.price_usd.reset();
    const econ::PointEconomics pe = econ::point_economics(at(1000), &h, with_u(1));
    CHECK_FALSE(pe.owned.usd_per_1m_tokens.available());
    CHECK(pe.owned.usd_per_1m_tokens.reason.find("price_usd") != std::string::npos);
    CHECK(pe.joules_per_token.available());  // energy per token needs no price
  }
  SECTION("unknown hardware") {
    const econ::PointEconomics pe = econ::point_economics(at(1000), nullptr, with_u(1), "no catalog match for 'XPU 9'");
    CHECK_FALSE(pe.owned.usd_per_hour.available());
    CHECK(pe.owned.usd_per_hour.reason == "no catalog match for 'XPU 9'");
    const model::Json j = econ::to_json(pe);
    CHECK(j["usd_per_1m_tokens"]["value"].is_null());
    CHECK(j["usd_per_1m_tokens"]["unavailable"] == "no catalog match for 'XPU 9'");
  }
  SECTION("utilization above 1") {
    const econ::PointEconomics pe = econ::point_economics(at(1000), &k_spark, with_u(1.5));
    CHECK_FALSE(pe.owned.usd_per_1m_tokens.available());
  }
}

TEST_CASE("a report with zero successful requests gets no cost figures, with the reason", "[econ]") {
  model::Report r = model::read_report(test::source("tests/model/data/minimal_report.json"));
  r.points[0].completed = 0;
  r.points[0].failed = 256;
  const econ::Catalog catalog = econ::load_catalog(test::source("site/pricing.json"));
  const econ::ConfigEconomics ce = econ::report_economics(r, catalog, catalog.assumptions);
  REQUIRE(ce.points.size() == 1);
  CHECK_FALSE(ce.points[0].owned.usd_per_1m_tokens.available());
  CHECK(ce.points[0].owned.usd_per_1m_tokens.reason.find("no successful request") != std::string::npos);
  CHECK_FALSE(ce.slo_point);
}

TEST_CASE("the SLO point is the largest load level holding TTFT and TPOT together", "[econ]") {
  model::Report r;
  r.system.gpu.model = "RTX A5000";
  r.system.gpu.count = 1;
  r.workload.slo_ttft_ms = 500;
  r.workload.slo_tpot_ms = 50;
  const auto point = [](long long c, double ttft, double tpot, double tps) {
    model::Point p;
    p.concurrency = c;
    p.completed = 10;
    p.total_throughput_tps = tps;
    p.ttft_ms.median = ttft;
    p.tpot_ms.median = tpot;
    return p;
  };
  r.points = {point(1, 100, 20, 100), point(8, 300, 45, 700), point(16, 400, 60, 900), point(32, 900, 80, 1000)};
  const econ::Catalog catalog = econ::load_catalog(test::source("site/pricing.json"));
  const econ::ConfigEconomics ce = econ::report_economics(r, catalog, catalog.assumptions);
  REQUIRE(ce.slo_point == 1u);  // concurrency 16 breaks TPOT although its TTFT holds
  CHECK(ce.slo_rule == "p50 TTFT <= 500 ms and p50 TPOT <= 50 ms");
  // RTX A5000 has no purchase price in the catalog: owned cost unavailable, rental available.
  CHECK_FALSE(ce.usd_per_1m_at_slo.available());
  REQUIRE(ce.points[1].rentals.size() == 1);
  CHECK(*ce.points[1].rentals[0].usd_per_1m_tokens.value == Approx(0.27 * 1e6 / (3600 * 700)));
  CHECK(ce.match.hardware->id == "rtx-a5000");
}

TEST_CASE("an SLO threshold the report does not set comes from the catalog and says so", "[econ]") {
  model::Report r;
  r.system.gpu.model = "RTX A5000";
  r.system.gpu.count = 1;
  r.workload.slo_ttft_ms = 500;  // TPOT left to the catalog
  model::Point p;
  p.concurrency = 4;
  p.completed = 10;
  p.total_throughput_tps = 100;
  p.ttft_ms.median = 100;
  p.tpot_ms.median = 20;
  r.points = {p};
  const econ::Catalog catalog = econ::load_catalog(test::source("site/pricing.json"));
  REQUIRE(catalog.assumptions.slo_tpot_ms);
  const econ::ConfigEconomics ce = econ::report_economics(r, catalog, catalog.assumptions);
  CHECK(ce.slo_rule == "p50 TTFT <= 500 ms and p50 TPOT <= " + format::shortest(*catalog.assumptions.slo_tpot_ms) +
                           " ms (catalog default)");
}

TEST_CASE("developer-month cost uses the largest team size holding the SLO", "[econ]") {
  model::Report r = model::read_report(test::source("tests/model/data/minimal_report.json"));
  r.system.gpu.model = "DGX Spark";
  r.points[0].total_throughput_tps = 1000;
  r.capacity = {{4, true, {}, {}, {}, {}}, {8, true, {}, {}, {}, {}}, {16, false, {}, {}, {}, {}}};
  const econ::Catalog catalog = econ::load_catalog(test::source("site/pricing.json"));
  const econ::ConfigEconomics ce = econ::report_economics(r, catalog, catalog.assumptions);
  REQUIRE(ce.team_size_max == 8);
  // No SLO in the report: the reference point is the highest throughput; $/h at u = 1.
  const double per_hour = *ce.points[0].owned.usd_per_hour.value;
  CHECK(*ce.usd_per_dev_month.value == Approx(per_hour * 730 / 8));
}

TEST_CASE("`sitegen cost` reproduces the worked example from the command line", "[econ]") {
  const std::string pricing = test::source("site/pricing.json").string();
  const test::CliResult r = test::run_cli({"cost", "--tokens-per-s", "1000", "--hardware", "dgx-spark", "--utilization",
                                           "0.3", "--set", "price_usd=4000", "--pricing", pricing, "--json"});
  REQUIRE(r.code == 0);
  const model::Json j = model::Json::parse(r.out);
  CHECK(j["usd_per_1m_tokens"].get<double>() == Approx(0.151).margin(5e-4));
  CHECK(j["usd_per_hour"].get<double>() == Approx(0.1582 + 0.3 * 0.0165).margin(1e-4));
  CHECK(j["point"]["joules_per_token"]["value"].get<double>() == Approx(0.15));
  const test::CliResult table = test::run_cli({"cost", "--tokens-per-s", "1000", "--hardware", "dgx-spark",
                                               "--set", "price_usd=4000", "--pricing", pricing});
  CHECK(table.out.find("owned $/1M tokens          0.0485 USD/1M tokens") != std::string::npos);
  CHECK(table.out.find("NVIDIA launch price") != std::string::npos);  // the source is shown
}

TEST_CASE("`sitegen cost` refuses utilization above 1 and an unknown hardware id", "[econ]") {
  const std::string pricing = test::source("site/pricing.json").string();
  const test::CliResult u = test::run_cli({"cost", "--tokens-per-s", "1000", "--hardware", "dgx-spark",
                                           "--utilization", "1.5", "--pricing", pricing});
  CHECK(u.code == 1);
  CHECK(u.err.find("utilization") != std::string::npos);
  const test::CliResult hw = test::run_cli({"cost", "--tokens-per-s", "1000", "--hardware", "dgx-sprak", "--pricing", pricing});
  CHECK(hw.code == 1);
  CHECK(hw.err.find("did you mean 'dgx-spark'") != std::string::npos);
}
