#include <catch2/catch.hpp>

#include "support.hpp"
#include "util/files.hpp"

using namespace sitegen;

TEST_CASE("validate exits 0 for valid reports", "[cli]") {
  const auto r = test::run_cli({"validate", test::source("tests/model/data/minimal_report.json").string()});
  CHECK(r.code == 0);
  CHECK(r.out.find("1 report(s) checked, 0 invalid") != std::string::npos);
}

TEST_CASE("validate exits 1 and prints file: pointer: message for an invalid report", "[cli]") {
  test::ScratchDir dir("cli-validate");
  files::write_atomic(dir / "r.json", "{\"schema\": \"sitegen.report/v1\", \"points\": 3}");
  const auto r = test::run_cli({"validate", (dir / "r.json").string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("r.json: /points: expected an array, got 3") != std::string::npos);
  CHECK(r.err.find("missing required field \"provenance\"") != std::string::npos);
}

TEST_CASE("validate names a file with an out-of-range number and still checks the others", "[cli]") {
  test::ScratchDir dir("cli-validate-range");
  files::write_atomic(dir / "a.json", "{\"schema\": \"sitegen.report/v1\", \"points\": 1e999}");
  files::write_atomic(dir / "b.json", files::read(test::source("tests/model/data/minimal_report.json")));
  const auto r = test::run_cli({"validate", (dir / "a.json").string(), (dir / "b.json").string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("a.json: line 1, column 43: invalid JSON: number 1e999 is out of range of a double") !=
        std::string::npos);
  CHECK(r.out.find("2 report(s) checked, 1 invalid") != std::string::npos);
}

TEST_CASE("validate exits 2 on a usage error", "[cli]") {
  CHECK(test::run_cli({"validate"}).code == 2);
  CHECK(test::run_cli({"validate", "--no-such-flag", "x"}).code == 2);
}

TEST_CASE("a mistyped subcommand gets a suggestion", "[cli]") {
  const auto r = test::run_cli({"bulid"});
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown subcommand 'bulid' (did you mean 'build'?)") != std::string::npos);
}

TEST_CASE("a mistyped option gets a suggestion", "[cli]") {
  const auto r = test::run_cli({"validate", "--quite", "x"});
  CHECK(r.code == 2);
  CHECK(r.err.find("did you mean '--quiet'?") != std::string::npos);
}
