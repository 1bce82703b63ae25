#include <catch2/catch.hpp>

#include "econ/catalog.hpp"
#include "support.hpp"
#include "util/error.hpp"

using namespace sitegen;

namespace {

model::Json minimal_catalog() {
  return model::Json::parse(R"({
    "schema": "sitegen.pricing/v1",
    "hardware": [{"id": "x1", "aliases": ["x1"], "own": {"price_usd": 1000, "source": "s", "as_of": "2026"},
                  "power": {"busy_w": 100, "idle_w": 10, "source": "s", "as_of": "2026"},
                  "rent": [{"provider": "P", "usd_per_gpu_hour": 1, "source": "s", "as_of": "2026"}]}],
    "api_models": [{"id": "a", "provider": "A", "usd_per_1m_input": 1, "usd_per_1m_output": 2, "source": "s", "as_of": "2026"}]
  })");
}

std::string error_of(const model::Json& j) {
  try {
    econ::parse_catalog(j, "pricing.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the shipped catalog loads and every entry carries a source and a date", "[econ]") {
  const econ::Catalog c = econ::load_catalog(test::source("site/pricing.json"));
  REQUIRE(c.hardware.size() >= 8);
  REQUIRE(c.api_models.size() >= 6);
  for (const econ::Hardware& h : c.hardware) {
    CHECK_FALSE(h.power.sourced.source.empty());
    CHECK_FALSE(h.power.sourced.as_of.empty());
    for (const econ::Rental& r : h.rent) CHECK_FALSE(r.sourced.as_of.empty());
  }
  const econ::Hardware* spark = c.find("dgx-spark");
  REQUIRE(spark);
  CHECK(*spark->own.price_usd == 3999);
  CHECK(c.api_models[1].id == "gpt-4o-mini");
  CHECK_NOTHROW(econ::check_catalog(c));
}

TEST_CASE("GPU names as real reports spell them match catalog entries", "[econ]") {
  const econ::Catalog c = econ::load_catalog(test::source("site/pricing.json"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"RTX A5000", "rtx-a5000"},   {"NVIDIA RTX A5000", "rtx-a5000"}, {"a5000", "rtx-a5000"},
      {"DGX Spark", "dgx-spark"},   {"GB10", "dgx-spark"},             {"NVIDIA GB10", "dgx-spark"},
      {"H200", "h200"},             {"NVIDIA H200", "h200"},           {"MI355X", "mi355x"},
      {"AMD Instinct MI355X", "mi355x"}, {"NVIDIA H100 80GB HBM3", "h100-sxm"}, {"H100 PCIe", "h100-pcie"},
      {"NVIDIA GeForce RTX 4090", "rtx-4090"}, {"L40S", "l40s"}};
  for (const auto& [name, id] : cases) {
    INFO(name);
    const econ::GpuMatch m = econ::match_gpu(c, name);
    REQUIRE(m.hardware);
    CHECK(m.hardware->id == id);
    CHECK(m.describe().find(id) != std::string::npos);
  }
}

TEST_CASE("an unknown GPU does not match and says why", "[econ]") {
  const econ::Catalog c = econ::load_catalog(test::source("site/pricing.json"));
  const econ::GpuMatch m = econ::match_gpu(c, "Intel Data Center GPU Max 1550");
  CHECK_FALSE(m.hardware);
  CHECK(m.reason.find("no catalog entry") != std::string::npos);
  CHECK_FALSE(econ::match_gpu(c, "").hardware);
  // "a500" is not "a5000": whole words only.
  CHECK_FALSE(econ::match_gpu(c, "RTX A500").hardware);
}

TEST_CASE("a catalog entry without source or as_of is an error naming the entry", "[econ]") {
  model::Json j = minimal_catalog();
  j["hardware"][0]["rent"][0].erase("source");
  j["api_models"][0].erase("as_of");
  const std::string e = error_of(j);
  CHECK(e.find("pricing.json: /hardware/0/rent/0/source: missing") != std::string::npos);
  CHECK(e.find("pricing.json: /api_models/0/as_of: missing") != std::string::npos);
}

TEST_CASE("negative or zero prices and utilization above 1 are refused", "[econ]") {
  model::Json j = minimal_catalog();
  j["hardware"][0]["own"]["price_usd"] = -5;
  j["hardware"][0]["rent"][0]["usd_per_gpu_hour"] = 0;
  j["assumptions"] = {{"utilization", 1.5}};
  const std::string e = error_of(j);
  CHECK(e.find("/hardware/0/own/price_usd: must be greater than 0, got -5") != std::string::npos);
  CHECK(e.find("/hardware/0/rent/0/usd_per_gpu_hour: must be greater than 0") != std::string::npos);
  CHECK(e.find("/assumptions/utilization: is a duty cycle and must be at most 1") != std::string::npos);
}

TEST_CASE("a misspelt catalog field gets a suggestion", "[econ]") {
  model::Json j = minimal_catalog();
  j["hardware"][0]["own"]["prce_usd"] = 5;
  CHECK(error_of(j).find("/hardware/0/own/prce_usd: unknown field (did you mean 'price_usd'?)") != std::string::npos);
}

TEST_CASE("overrides change one field and say so in the source", "[econ]") {
  econ::Catalog c = econ::parse_catalog(minimal_catalog(), "pricing.json");
  econ::Hardware* h = &c.hardware[0];
  econ::apply_override(c, h, "price_usd=4000");
  econ::apply_override(c, h, "utilization=0.3");
  econ::apply_override(c, h, "usd_per_gpu_hour = 2.5");
  CHECK(*h->own.price_usd == 4000);
  CHECK(h->own.sourced.source == "s; overridden: --set price_usd=4000");
  CHECK(c.assumptions.utilization == 0.3);
  CHECK(h->rent[0].usd_per_gpu_hour == 2.5);
  CHECK_THROWS_WITH(econ::apply_override(c, h, "prise_usd=1"), Catch::Contains("did you mean 'price_usd'"));
  CHECK_THROWS_WITH(econ::apply_override(c, h, "price_usd=cheap"), Catch::Contains("is not a number"));
  econ::apply_override(c, h, "utilization=0");
  CHECK_THROWS_WITH(econ::check_catalog(c), Catch::Contains("utilization"));
}
