#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

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

// ---- The catalog of issue #12: every listed GPU, its aliases, API comparisons, bad input ----

namespace {

const econ::Catalog& shipped() {
  static const econ::Catalog c = econ::load_catalog(test::source("site/pricing.json"));
  return c;
}

// Every report.json under results/, parsed as plain JSON.
std::vector<std::pair<std::string, model::Json>> committed_reports() {
  std::vector<std::pair<std::string, model::Json>> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::source("results"))) {
    if (e.path().filename() != "report.json") continue;
    std::ifstream in(e.path());
    out.emplace_back(e.path().string(), model::Json::parse(in));
  }
  return out;
}

std::string text_at(const model::Json& report, const std::string& pointer) {
  return report.value(model::Json::json_pointer(pointer), std::string());
}

std::string gpu_of(const model::Json& report) { return text_at(report, "/system/gpu/model"); }
std::string model_of(const model::Json& report) { return text_at(report, "/system/model/id"); }

}  // namespace

TEST_CASE("every GPU of the issue is in the shipped catalog with life, power and sourced figures", "[econ][catalog]") {
  const std::vector<std::string> ids = {"dgx-spark", "rtx-4090", "rtx-5090", "rtx-a5000", "rtx-a6000", "rtx-6000-ada",
                                        "rtx-pro-6000", "l4", "l40s", "a10", "a100-40gb", "a100-80gb", "h100-pcie",
                                        "h100-sxm", "h200", "gh200", "b200", "mi300x", "mi325x", "mi355x"};
  for (const std::string& id : ids) {
    INFO(id);
    const econ::Hardware* h = shipped().find(id);
    REQUIRE(h);
    CHECK(h->own.life_years > 0);
    CHECK_FALSE(h->own.sourced.source.empty());
    CHECK_FALSE(h->own.sourced.as_of.empty());
    // A price, or the reason there is none, never silence.
    if (h->own.price_usd) CHECK(econ::no_purchase_price_reason(*h).empty());
    else CHECK(econ::no_purchase_price_reason(*h).find("no purchase price in the catalog: ") == 0);
    REQUIRE(h->power.busy_w);
    REQUIRE(h->power.idle_w);
    CHECK(*h->power.idle_w < *h->power.busy_w);
    CHECK((h->power.busy_basis == "datasheet" || h->power.busy_basis == "estimate"));
    CHECK((h->power.idle_basis == "datasheet" || h->power.idle_basis == "estimate"));
    CHECK_FALSE(h->power.sourced.source.empty());
    for (const econ::Rental& r : h->rent) {
      CHECK(r.usd_per_gpu_hour > 0);
      CHECK_FALSE(r.sourced.source.empty());
      CHECK_FALSE(r.sourced.as_of.empty());
    }
    if (h->rent.empty()) CHECK(econ::no_rental_reason(*h).find("no rental offer in the catalog") == 0);
    else CHECK(econ::no_rental_reason(*h).empty());
  }
  // Prices the catalog has a source for.
  for (const std::string id : {"dgx-spark", "rtx-4090", "rtx-5090", "rtx-6000-ada", "rtx-pro-6000",
                               "l40s", "a100-80gb", "h100-sxm", "h200", "b200", "mi300x", "mi355x"}) {
    INFO(id);
    CHECK(shipped().find(id)->own.price_usd);
  }
  // DGX Spark is not rented anywhere: its rented cells get the reason, not a number.
  CHECK(econ::no_rental_reason(*shipped().find("dgx-spark")) ==
        "no rental offer in the catalog: DGX Spark is sold as a desktop system and no provider in the sources checked "
        "rents it by the hour");
  // Rented GPUs with offers from at least two providers.
  for (const std::string id : {"rtx-4090", "rtx-5090", "rtx-a6000", "rtx-pro-6000", "l4", "l40s", "a100-40gb", "a100-80gb",
                               "h100-pcie", "h100-sxm", "h200", "b200", "mi300x"}) {
    INFO(id);
    std::set<std::string> providers;
    for (const econ::Rental& r : shipped().find(id)->rent) providers.insert(r.provider);
    CHECK(providers.size() >= 2);
  }
}

TEST_CASE("the GPU names in results/ and in MLPerf system descriptions match catalog entries", "[econ][catalog]") {
  std::size_t named = 0;
  for (const auto& [path, report] : committed_reports()) {
    const std::string gpu = gpu_of(report);
    if (gpu.empty()) continue;  // an API benchmark names no GPU
    INFO(path << ": " << gpu);
    CHECK(econ::match_gpu(shipped(), gpu).hardware);
    ++named;
  }
  CHECK(named >= 20);
  const std::vector<std::pair<std::string, std::string>> mlperf = {
      {"NVIDIA H100-SXM5-80GB", "h100-sxm"},
      {"NVIDIA GH200 Grace Hopper Superchip 96GB", "gh200"},
      {"AMD Instinct MI300X", "mi300x"},
      {"AMD Instinct MI325X", "mi325x"},
      {"NVIDIA B200-SXM-180GB", "b200"},
      {"H200-SXM-141GB", "h200"},
      {"NVIDIA H100-PCIe-80GB", "h100-pcie"},
      {"NVIDIA A100-SXM4-40GB", "a100-40gb"},
      {"NVIDIA A100-SXM4-80GB", "a100-80gb"},
      {"NVIDIA L4", "l4"},
      {"NVIDIA A10G", "a10"},
      {"NVIDIA L40S", "l40s"},
      {"NVIDIA RTX 6000 Ada Generation", "rtx-6000-ada"},
      {"NVIDIA RTX PRO 6000 Blackwell Server Edition", "rtx-pro-6000"},
      {"NVIDIA RTX A6000", "rtx-a6000"},
      {"DGX Spark GB10", "dgx-spark"},
      {"rtx-a5000", "rtx-a5000"}};
  for (const auto& [name, id] : mlperf) {
    INFO(name);
    const econ::GpuMatch m = econ::match_gpu(shipped(), name);
    REQUIRE(m.hardware);
    CHECK(m.hardware->id == id);
  }
}

TEST_CASE("model ids are reduced to the weights they name", "[econ][catalog]") {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"meta-llama/Meta-Llama-3.1-8B-Instruct", "llama-3.1-8b-instruct", ""},
      {"meta-llama/Llama-3.1-8B-Instruct", "llama-3.1-8b-instruct", ""},
      {"llama-3.1-8b-instruct", "llama-3.1-8b-instruct", ""},
      {"Llama 3.1 8B Instruct", "llama-3.1-8b-instruct", ""},
      {"hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4", "llama-3.1-8b-instruct", "awq-int4"},
      {"RedHatAI/Meta-Llama-3-8B-Instruct-FP8", "llama-3-8b-instruct", "fp8"},
      {"nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-NVFP4", "nemotron-3-super-120b-a12b", "nvfp4"},
      {"qwen3-coder-30b-fp8", "qwen3-coder-30b", "fp8"},
      {"qwen3-14b-awq", "qwen3-14b", "awq"},
      {"Qwen/Qwen3-30B-A3B-Instruct-2507-FP8-dynamic", "qwen3-30b-a3b-instruct-2507", "fp8-dynamic"},
      {"neuralmagic/Meta-Llama-3.1-8B-Instruct-quantized.w4a16", "llama-3.1-8b-instruct", "quantized.w4a16"},
      {"meta-llama/Llama-2-70b-chat-hf", "llama-2-70b-chat", ""},
      {"moonshotai/Kimi-K2.5", "kimi-k2.5", ""},
      {"", "", ""}};
  for (const auto& [id, base, quant] : cases) {
    INFO(id);
    const econ::ModelName n = econ::normalise_model_name(id);
    CHECK(n.base == base);
    CHECK(n.quantisation == quant);
  }
  // Different weights stay different: base vs instruct, 8B vs 70B, 3 vs 3.1.
  CHECK(econ::normalise_model_name("meta-llama/Llama-3.1-8B").base != econ::normalise_model_name("Llama-3.1-8B-Instruct").base);
  CHECK(econ::normalise_model_name("Llama-3-8B-Instruct").base != econ::normalise_model_name("Llama-3.1-8B-Instruct").base);
}

TEST_CASE("APIs that serve the configuration's own weights come first, closed models after as a different model", "[econ][catalog]") {
  model::Json j = minimal_catalog();
  j["api_models"] = model::Json::parse(R"([
    {"id": "closed", "provider": "C", "usd_per_1m_input": 3, "usd_per_1m_output": 15, "source": "s", "as_of": "2026"},
    {"id": "big", "provider": "B", "usd_per_1m_input": 1, "usd_per_1m_output": 1, "serves": ["meta-llama/Llama-3.1-70B-Instruct"],
     "source": "s", "as_of": "2026"},
    {"id": "small-a", "provider": "A", "usd_per_1m_input": 0.1, "usd_per_1m_output": 0.1, "serves": ["meta-llama/Llama-3.1-8B-Instruct"],
     "source": "s", "as_of": "2026"},
    {"id": "small-b", "provider": "B", "usd_per_1m_input": 0.2, "usd_per_1m_output": 0.2, "serves": ["llama-3.1-8b-instruct"],
     "serves_precision": "fp8", "source": "s", "as_of": "2026"}])");
  const econ::Catalog c = econ::parse_catalog(j, "pricing.json");

  const std::vector<econ::ApiMatch> m = econ::api_models_for(c, "meta-llama/Meta-Llama-3.1-8B-Instruct");
  REQUIRE(m.size() == 3);  // the 70B API is neither the same model nor a common reference
  CHECK(m[0].api->id == "small-a");
  CHECK(m[0].same_model);
  CHECK_FALSE(m[0].quantised_variant);
  CHECK(m[0].note == "serves the same weights");
  CHECK(m[1].api->id == "small-b");
  CHECK(m[1].note == "serves the same weights (the API runs them at fp8)");
  CHECK(m[2].api->id == "closed");
  CHECK_FALSE(m[2].same_model);
  CHECK(m[2].note == "a different model");

  // A quantised configuration is compared with the full-precision API, and says so.
  const std::vector<econ::ApiMatch> q = econ::api_models_for(c, "hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4");
  REQUIRE(q.size() == 3);
  CHECK(q[0].same_model);
  CHECK(q[0].quantised_variant);
  CHECK(q[0].note == "serves the full-precision weights this quantised model (awq-int4) was made from");
  // The report's quantization field counts when the id does not say it.
  const std::vector<econ::ApiMatch> f = econ::api_models_for(c, "meta-llama/Llama-3.1-8B-Instruct", "awq");
  CHECK(f[0].quantised_variant);

  // A model no API serves gets only the different-model references; so does an unnamed model.
  for (const std::string id : {"Qwen/Qwen3-1.7B", ""}) {
    const std::vector<econ::ApiMatch> none = econ::api_models_for(c, id);
    REQUIRE(none.size() == 1);
    CHECK(none[0].api->id == "closed");
    CHECK_FALSE(none[0].same_model);
  }
}

TEST_CASE("every committed configuration is compared first with an API serving its own model where one is priced",
          "[econ][catalog]") {
  // Models in results/ with no public API price in the catalog (an honest gap, listed so a new
  // price shows up as a test to update rather than silently).
  const std::set<std::string> unpriced = {"deepseek-coder-v2-lite-instruct", "qwen2.5-3b-instruct", "qwen3-1.7b"};
  std::set<std::string> seen;
  for (const auto& [path, report] : committed_reports()) {
    const std::string id = model_of(report);
    if (id.empty()) continue;
    INFO(path << ": " << id);
    const std::vector<econ::ApiMatch> m = econ::api_models_for(shipped(), id);
    // Same-model APIs first, then only different models: never mixed.
    const auto first_different =
        std::find_if(m.begin(), m.end(), [](const econ::ApiMatch& a) { return !a.same_model; });
    CHECK(std::none_of(first_different, m.end(), [](const econ::ApiMatch& a) { return a.same_model; }));
    // Every different-model API is a closed model; no other open model is set beside this one.
    for (auto it = first_different; it != m.end(); ++it) CHECK(it->api->serves.empty());
    const std::string base = econ::normalise_model_name(id).base;
    seen.insert(base);
    if (unpriced.count(base)) CHECK_FALSE(m.front().same_model);
    else CHECK(m.front().same_model);
  }
  // The run coverage this test relies on: the models of results/ named in the issue.
  for (const std::string base : {"llama-3.1-8b-instruct", "llama-2-70b-chat", "llama-3-8b-instruct", "qwen2.5-7b-instruct",
                                 "qwen3-14b", "qwen3.5-27b", "qwen3-coder-30b", "kimi-k2.5", "nemotron-3-super-120b-a12b"})
    CHECK(seen.count(base));
  // Models named in the issue that are not in results/ yet.
  for (const std::string id : {"mistralai/Mixtral-8x7B-Instruct-v0.1", "meta-llama/Llama-3.1-405B-Instruct", "deepseek-ai/DeepSeek-R1"}) {
    INFO(id);
    CHECK(econ::api_models_for(shipped(), id).front().same_model);
  }
  // The 8B model is never set beside a frontier model as if it were the same thing.
  for (const econ::ApiMatch& a : econ::api_models_for(shipped(), "meta-llama/Llama-3.1-8B-Instruct")) {
    if (a.api->provider == "OpenAI" || a.api->provider == "Anthropic") CHECK(a.note == "a different model");
  }
}

TEST_CASE("bad catalog input is refused with the file, the entry and the field named, all problems together", "[econ][catalog]") {
  model::Json j = minimal_catalog();
  j["hardware"][0]["own"].erase("source");
  j["hardware"][0]["own"]["as_of"] = "soon";
  j["hardware"][0]["own"]["price_usd"] = -5;
  j["hardware"][0]["own"]["life_years"] = 0;
  j["hardware"][0]["power"]["busy_basis"] = "guess";
  j["api_models"][0]["usd_per_1m_output"] = -1;
  j["api_models"][0]["serves"] = {"ok", 3};
  j["assumptions"] = {{"developer_activity", {{"fraction", 1.5}, {"hours_per_month", 800}, {"source", "s"}, {"as_of", "2026"}}}};
  const std::string e = error_of(j);
  CHECK(e.find("pricing.json: /hardware/0/own/source: missing; every entry needs it (entry 'x1')") != std::string::npos);
  CHECK(e.find("pricing.json: /hardware/0/own/as_of: expected a date starting with the year (\"2026-05\"), got \"soon\" (entry 'x1')") !=
        std::string::npos);
  CHECK(e.find("pricing.json: /hardware/0/own/price_usd: must be greater than 0, got -5 (entry 'x1')") != std::string::npos);
  CHECK(e.find("pricing.json: /hardware/0/own/life_years: must be greater than 0, got 0 (entry 'x1')") != std::string::npos);
  CHECK(e.find("salvage_usd") == std::string::npos);  // the bad price is reported once, not again through its salvage
  CHECK(e.find("pricing.json: /hardware/0/power/busy_basis: expected one of datasheet, estimate, measurement, got \"guess\" (entry 'x1')") !=
        std::string::npos);
  CHECK(e.find("pricing.json: /api_models/0/usd_per_1m_output: must be greater than 0, got -1 (entry 'a')") != std::string::npos);
  CHECK(e.find("pricing.json: /api_models/0/serves/1: expected a name (a non-empty string), got 3 (entry 'a')") != std::string::npos);
  CHECK(e.find("pricing.json: /assumptions/developer_activity/fraction: is the fraction of working hours a developer has a request "
               "in flight and must be in (0, 1], got 1.5") != std::string::npos);
  CHECK(e.find("pricing.json: /assumptions/developer_activity/hours_per_month: a month has at most 744 hours, got 800") != std::string::npos);

  model::Json zero = minimal_catalog();
  zero["assumptions"] = {{"developer_activity", {{"fraction", 0}, {"source", "s"}, {"as_of", "2026"}}}};
  CHECK(error_of(zero).find("/assumptions/developer_activity/fraction: must be greater than 0, got 0") != std::string::npos);
  model::Json unsourced = minimal_catalog();
  unsourced["assumptions"] = {{"developer_activity", {{"fraction", 0.1}}}};
  CHECK(error_of(unsourced).find("/assumptions/developer_activity/source: missing") != std::string::npos);
  CHECK(error_of(unsourced).find("/assumptions/developer_activity/as_of: missing") != std::string::npos);
  model::Json power = minimal_catalog();
  power["hardware"][0]["power"] = "700 W";
  CHECK(error_of(power).find("/hardware/0/power: expected an object (entry 'x1')") != std::string::npos);
  model::Json twice = minimal_catalog();
  twice["api_models"].push_back(twice["api_models"][0]);
  CHECK(error_of(twice).find("/api_models/1/id: duplicate id 'a'") != std::string::npos);
}

TEST_CASE("the developer activity assumption is read, overridden and checked", "[econ][catalog]") {
  econ::Catalog c = econ::parse_catalog(minimal_catalog(), "pricing.json");
  CHECK_FALSE(c.assumptions.developer_activity);
  econ::apply_override(c, nullptr, "developer_activity=0.25");
  REQUIRE(c.assumptions.developer_activity);
  CHECK(c.assumptions.developer_activity->fraction == 0.25);
  CHECK_FALSE(c.assumptions.developer_activity->hours_per_month);
  CHECK(c.assumptions.developer_activity->sourced.source == "--set developer_activity=0.25");
  econ::apply_override(c, nullptr, "developer_hours_per_month=140");
  CHECK(c.assumptions.developer_activity->hours_per_month == 140);
  CHECK_NOTHROW(econ::check_catalog(c));

  model::Json with = minimal_catalog();
  with["assumptions"] = {{"developer_activity", {{"fraction", 0.1}, {"hours_per_month", 160}, {"source", "s"}, {"as_of", "2026"}}}};
  econ::Catalog s = econ::parse_catalog(with, "pricing.json");
  REQUIRE(s.assumptions.developer_activity);
  CHECK(s.assumptions.developer_activity->fraction == 0.1);
  CHECK(s.assumptions.developer_activity->hours_per_month == 160);
  econ::apply_override(s, nullptr, "developer_activity=0.2");
  CHECK(s.assumptions.developer_activity->fraction == 0.2);
  CHECK(s.assumptions.developer_activity->sourced.source == "s; overridden: --set developer_activity=0.2");
  for (const std::string bad : {"developer_activity=0", "developer_activity=1.5", "developer_activity=-0.1"}) {
    INFO(bad);
    econ::Catalog b = s;
    econ::apply_override(b, nullptr, bad);
    CHECK_THROWS_WITH(econ::check_catalog(b), Catch::Contains("pricing.json: developer_activity: the fraction of working hours"));
  }
  econ::Catalog h = s;
  econ::apply_override(h, nullptr, "developer_hours_per_month=0");
  CHECK_THROWS_WITH(econ::check_catalog(h), Catch::Contains("developer_hours_per_month: must be in (0, 744]"));
  CHECK_THROWS_WITH(econ::apply_override(s, nullptr, "developer_activty=0.2"), Catch::Contains("did you mean 'developer_activity'"));
}

TEST_CASE("an entry without a price or offers says why", "[econ][catalog]") {
  model::Json j = minimal_catalog();
  j["hardware"][0]["own"].erase("price_usd");
  j["hardware"][0]["own"]["source"] = "no list price exists";
  j["hardware"][0]["rent"] = model::Json::array();
  j["hardware"][0]["rent_note"] = "sold as a desktop system";
  const econ::Catalog c = econ::parse_catalog(j, "pricing.json");
  CHECK(econ::no_purchase_price_reason(c.hardware[0]) == "no purchase price in the catalog: no list price exists");
  CHECK(econ::no_rental_reason(c.hardware[0]) == "no rental offer in the catalog: sold as a desktop system");
  j["hardware"][0].erase("rent_note");
  CHECK(econ::no_rental_reason(econ::parse_catalog(j, "pricing.json").hardware[0]) == "no rental offer in the catalog");
}

TEST_CASE("the shipped catalog states its developer activity assumption and the reasoning behind it", "[econ][catalog]") {
  REQUIRE(shipped().assumptions.developer_activity);
  const econ::DeveloperActivity& d = *shipped().assumptions.developer_activity;
  CHECK(d.fraction == 0.1);
  CHECK(d.hours_per_month == 160);
  // Not a measurement, and it says so.
  CHECK(d.sourced.source.find("sitegen assumption, not a measurement") == 0);
  CHECK_NOTHROW(econ::check_catalog(shipped()));
}
