#include <catch2/catch.hpp>

#include "model/json_io.hpp"
#include "model/report.hpp"
#include "model/validate.hpp"
#include "support.hpp"
#include "util/files.hpp"

using namespace sitegen;

namespace {
model::Json minimal() { return model::read_json_file(test::source("tests/model/data/minimal_report.json")); }
}  // namespace

TEST_CASE("a report survives the round trip through its JSON form unchanged", "[model]") {
  const model::Json original = minimal();
  const model::Report report = model::from_json(original, "minimal");
  CHECK(model::to_json(report) == original);
}

TEST_CASE("percentile keys keep their exact percent, p99.9 included", "[model]") {
  const model::Report report = model::from_json(minimal());
  const model::Stat& ttft = report.points.at(0).ttft_ms;
  CHECK(ttft.percentile(99.9) == Approx(2900.5));
  CHECK(ttft.percentile(99) == Approx(2821.89));
  CHECK(ttft.percentile(50) == Approx(192.25));  // falls back to the median
  CHECK(model::percentile_key(99.9) == "p99.9");
  CHECK(model::percentile_key(90) == "p90");
}

TEST_CASE("dumping the same report twice gives the same bytes", "[model]") {
  const model::Report report = model::from_json(minimal());
  CHECK(model::dump(report) == model::dump(model::from_json(model::to_json(report))));
}

TEST_CASE("request rate inf is written as the string inf, never Infinity", "[model]") {
  model::Report report = model::from_json(minimal());
  report.points[0].request_rate_inf = true;
  const std::string text = model::dump(report);
  CHECK(text.find("\"request_rate_rps\": \"inf\"") != std::string::npos);
  CHECK(model::from_json(model::parse_json(text, "x")).points[0].request_rate_inf);
}

TEST_CASE("non-finite numbers never reach the JSON form", "[model]") {
  model::Report report = model::from_json(minimal());
  report.points[0].duration_s = std::numeric_limits<double>::infinity();
  report.points[0].ttft_ms.mean = std::nan("");
  const std::string text = model::dump(report);
  CHECK(text.find("duration_s") == std::string::npos);
  CHECK(text.find("null") == std::string::npos);
  CHECK(model::validate_report(model::parse_json(text, "x"), "x").empty());
}

TEST_CASE("reading a field of the wrong type names its JSON pointer", "[model]") {
  model::Json j = minimal();
  j["points"][0]["completed"] = "many";
  CHECK_THROWS_WITH(model::from_json(j, "r.json"), Catch::Contains("r.json: /points/0/completed: expected an integer"));
}
