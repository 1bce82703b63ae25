#include <catch2/catch.hpp>

#include <fstream>

#include "model/check_files.hpp"
#include "model/json_io.hpp"
#include "model/validate.hpp"
#include "support.hpp"
#include "util/files.hpp"

using namespace sitegen;
namespace fs = std::filesystem;

namespace {

model::Json minimal() { return model::read_json_file(test::source("tests/model/data/minimal_report.json")); }

std::vector<std::string> errors_of(const model::Json& doc) {
  std::vector<std::string> out;
  for (const Problem& p : model::validate_report(doc, "r.json")) {
    if (p.severity == Problem::Severity::error) out.push_back(p.str());
  }
  return out;
}

std::vector<std::string> problems_of(const model::Json& schema, const model::Json& doc) {
  std::vector<std::string> out;
  for (const Problem& p : model::validate_against(schema, doc, "s.json")) out.push_back(p.str());
  return out;
}

bool contains(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string parse_error(const std::string& text) {
  try {
    model::parse_json(text, "bad.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the minimal report is valid", "[model]") { CHECK(errors_of(minimal()).empty()); }

TEST_CASE("a wrong type is reported with its JSON pointer and the value found", "[model]") {
  model::Json doc = minimal();
  doc["points"][0]["ttft_ms"]["p99"] = "n/a";
  const auto errors = errors_of(doc);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "r.json: /points/0/ttft_ms/p99: expected a number, got \"n/a\"");
}

TEST_CASE("every problem in a file is reported together", "[model]") {
  model::Json doc = minimal();
  doc.erase("system");
  doc["points"][0]["completed"] = -3;
  doc["provenance"]["attempt"] = 0;
  const auto errors = errors_of(doc);
  CHECK(errors.size() == 3);
  CHECK(contains(errors, "r.json: /: missing required field \"system\""));
  CHECK(contains(errors, "/points/0/completed: must be at least 0"));
  CHECK(contains(errors, "/provenance/attempt: must be at least 1"));
}

TEST_CASE("unknown fields are warnings, so newer writers do not break older readers", "[model]") {
  model::Json doc = minimal();
  doc["points"][0]["future_metric_ms"] = 3;
  const auto problems = model::validate_report(doc, "r.json");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].severity == Problem::Severity::warning);
  CHECK(problems[0].where == "/points/0/future_metric_ms");
}

TEST_CASE("problems come in document order with exact pointers and messages", "[model][validate]") {
  // Pins what the compiled schema reports: every keyword kind, $ref'd definitions, pattern
  // properties, anyOf, escaped pointers, and warnings in between errors.
  model::Json doc = minimal();
  doc["status"] = "done";
  doc["schema"] = "sitegen.report/v2";
  doc["provenance"]["run_id"] = "";
  doc["points"][0]["request_rate_rps"] = -1;
  doc["points"][0]["ttft_ms"]["p99.9"] = "slow";
  doc["points"][0]["ttft_ms"]["p_x"] = 1;
  doc["points"][0]["telemetry"] = {{"avg_gpu_util_pct", 120}, {"a/b~c", 1}};
  doc["points"][0]["samples"] = {{"input_tokens", {1, -2, 3.5}}};
  doc["workload"]["slo"] = {{"ttft_ms", 0}};
  std::vector<std::string> lines;
  for (const Problem& p : model::validate_report(doc, "r.json")) lines.push_back(p.str());
  CHECK(lines == std::vector<std::string>{
                     "r.json: /schema: expected \"sitegen.report/v1\", got \"sitegen.report/v2\"",
                     "r.json: /status: expected one of [\"complete\",\"incomplete\",\"failed\"], got \"done\"",
                     "r.json: /provenance/run_id: must not be empty",
                     "r.json: /provenance/run_id: does not match the pattern ^[A-Za-z0-9][A-Za-z0-9._-]*$: \"\"",
                     "r.json: /workload/slo/ttft_ms: must be greater than 0, got 0",
                     "r.json: /points/0/ttft_ms/p99.9: expected a number, got \"slow\"",
                     "r.json: /points/0/ttft_ms/p_x: warning: unknown field, ignored by this version of sitegen",
                     "r.json: /points/0/request_rate_rps: does not match any allowed form, got -1",
                     "r.json: /points/0/telemetry/avg_gpu_util_pct: must be at most 100, got 120",
                     "r.json: /points/0/telemetry/a~1b~0c: warning: unknown field, ignored by this version of sitegen",
                     "r.json: /points/0/samples/input_tokens/1: must be at least 0, got -2",
                     "r.json: /points/0/samples/input_tokens/2: expected an integer, got 3.5",
                 });
}

TEST_CASE("a recursive $ref is followed and a dangling one fails only when a value reaches it", "[model][validate]") {
  const model::Json schema = model::Json::parse(R"({
    "$defs": {
      "node": {"type": "object", "required": ["v"], "additionalProperties": false,
               "properties": {"v": {"type": ["integer", "string"]}, "next": {"$ref": "#/$defs/node"}}},
      "broken": {"$ref": "#/$defs/nowhere"}},
    "properties": {"list": {"$ref": "#/$defs/node"}, "bad": {"$ref": "#/$defs/broken"}}})");
  const model::Json list = model::Json::parse(R"({"list": {"v": 1, "next": {"v": 2.5, "next": {"next": {"v": "x"}, "w": 0}}}})");
  CHECK(problems_of(schema, list) ==
        std::vector<std::string>{"s.json: /list/next/v: expected an integer or a string, got 2.5",
                                 "s.json: /list/next/next: missing required field \"v\"",
                                 "s.json: /list/next/next/w: warning: unknown field, ignored by this version of sitegen"});
  CHECK_THROWS(problems_of(schema, model::Json::parse(R"({"bad": 1})")));
}

TEST_CASE("a run id that would leave the results tree is invalid", "[model]") {
  model::Json doc = minimal();
  doc["provenance"]["run_id"] = "../../etc";
  CHECK(contains(errors_of(doc), "/provenance/run_id: does not match the pattern"));
}

TEST_CASE("misaligned per-request samples are an error", "[model]") {
  model::Json doc = minimal();
  doc["points"][0]["samples"] = {{"ttft_ms", {1.0, 2.0}}, {"e2el_ms", {3.0}}};
  CHECK(contains(errors_of(doc), "/points/0/samples/e2el_ms: has 1 values but ttft_ms has 2"));
}

TEST_CASE("a truncated file says where and that it looks truncated", "[model]") {
  const std::string message = parse_error("{\n  \"schema\": \"sitegen.report/v1\",\n  \"points\": [");
  CHECK(message.find("bad.json: line 3") != std::string::npos);
  CHECK(message.find("truncated") != std::string::npos);
}

TEST_CASE("NaN and Infinity are not JSON and are rejected with a position", "[model]") {
  CHECK(parse_error("{\"a\": NaN}").find("bad.json: line 1, column 7") != std::string::npos);
  CHECK(parse_error("{\"a\": Infinity}").find("invalid JSON") != std::string::npos);
}

TEST_CASE("a string too long for a pattern is an error at its place, not a stack overflow", "[model]") {
  // Found by tools/mutate_imports.py: a 1 MB engine name became part of a run id, and std::regex,
  // which recurses per character, overflowed the stack in `import` and `validate`.
  model::Json doc = minimal();
  doc["provenance"]["run_id"] = std::string(1'000'000, 'a');
  doc["points"][0]["ttft_ms"][std::string(2000, 'p')] = 1;
  const auto errors = errors_of(doc);
  CHECK(contains(errors, "/provenance/run_id: is 1000000 characters long; at most 1024 are checked against the pattern"));
  doc["provenance"]["run_id"] = std::string(1024, 'a');
  CHECK(errors_of(doc).empty());
}

TEST_CASE("a number beyond a double's range is rejected with its place", "[model]") {
  // nlohmann throws out_of_range for it, which used to escape as "internal: ...".
  CHECK(parse_error("{\"a\": 1,\n \"b\": [2, -1e999]}") ==
        "bad.json: line 2, column 11: invalid JSON: number -1e999 is out of range of a double");
}

TEST_CASE("invalid UTF-8 is rejected with its line and column", "[model]") {
  CHECK(parse_error("{\"a\":\n \"\xff\"}") == "bad.json: line 2, column 3: invalid UTF-8; JSON text must be UTF-8");
  // A valid two-byte character before the bad byte is not taken for it.
  CHECK(parse_error("{\"a\": \"\xc3\xa9\", \"b\": \"\xff\"}") ==
        "bad.json: line 1, column 19: invalid UTF-8; JSON text must be UTF-8");
}

TEST_CASE("an empty file is named as empty", "[model]") {
  CHECK(parse_error("  \n") == "bad.json: empty file, expected a JSON document");
}

TEST_CASE("validate checks every file in a tree, bad ones do not stop the others", "[model][cli]") {
  test::ScratchDir dir("validate-tree");
  const std::string good = model::read_json_file(test::source("tests/model/data/minimal_report.json")).dump();
  files::write_atomic(dir / "a/report.json", good);
  files::write_atomic(dir / "b/report.json", good.substr(0, good.size() / 2));  // truncated
  files::write_atomic(dir / "c/report.json", "\x7f" "ELF\x02\x01\x01\x00 binary junk");
  files::write_atomic(dir / "d/other.json", "{\"not\": \"a report\"}");
  files::write_atomic(dir / "e/report.json", good);
  fs::create_directory_symlink(dir.path(), dir / "e/loop");
  const model::CheckResult result = model::check_report_files({dir.path()});
  // b and c fail to parse (checked, invalid); d is skipped (no sitegen schema); the loop is reported.
  CHECK(result.checked == 4);
  CHECK(result.invalid == 3);
  CHECK(result.skipped == 1);
  bool named_b = false, named_loop = false;
  for (const Problem& p : result.problems) {
    named_b = named_b || p.str().find("b/report.json: line 1") != std::string::npos;
    named_loop = named_loop || p.str().find("symlink loop") != std::string::npos;
  }
  CHECK(named_b);
  CHECK(named_loop);
}

TEST_CASE("validate handles 10,000 reports in one directory", "[model][slow]") {
  test::ScratchDir dir("validate-many");
  model::Json doc = minimal();
  for (int i = 0; i < 10000; ++i) {
    doc["provenance"]["run_id"] = "run-" + std::to_string(i);
    std::ofstream(dir / ("r" + std::to_string(i) + ".json")) << doc.dump();
  }
  const model::CheckResult result = model::check_report_files({dir.path()});
  CHECK(result.checked == 10000);
  CHECK(result.invalid == 0);
}

TEST_CASE("validate reads a 100 MB report and names a bad value deep inside it", "[model][slow]") {
  test::ScratchDir dir("validate-big");
  model::Json doc = minimal();
  doc.erase("points");
  std::string text = doc.dump();
  text.pop_back();  // drop the closing brace and append a huge sample array by hand
  std::ofstream out(dir / "big.json");
  out << text << ",\"points\":[{\"samples\":{\"itl_ms\":[";
  const std::size_t n = 12'500'000;  // about 100 MB of "12.3456,"
  for (std::size_t i = 0; i < n; ++i) out << (i == n - 7 ? "\"x\"," : "12.3456,");
  out << "1.0]}}]}";
  out.close();
  CHECK(fs::file_size(dir / "big.json") > 100'000'000);
  const model::CheckResult result = model::check_report_files({dir / "big.json"});
  CHECK(result.invalid == 1);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].where == "/points/0/samples/itl_ms/" + std::to_string(n - 7));
}
