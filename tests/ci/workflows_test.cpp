// The GitHub Actions workflows, the benchmark plan and the Dockerfile, checked here so a mistake
// fails this suite and not a run on GitHub. The workflow files are validated against GitHub's
// workflow schema by action-validator (npm @action-validator/cli, installed by
// `sh .ci/install --with-ci-tools`; it runs offline).

#include <catch2/catch.hpp>

#include <regex>

#include "ci/ci_support.hpp"
#include "model/json_io.hpp"
#include "store/layout.hpp"
#include "support.hpp"
#include "util/files.hpp"

using namespace sitegen;
using namespace sitegen::test;

namespace {

CommandResult validate_workflow(const fs::path& file) {
  if (!on_path("action-validator")) {
    FAIL("action-validator is not installed: run `sh .ci/install --with-ci-tools`");
  }
  return run_command("timeout 60 action-validator " + shell_quote(file.string()));
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

CommandResult plan_matrix(const std::string& args) {
  if (!on_path("python3")) FAIL("python3 is not installed: run `sh .ci/install --with-ci-tools`");
  return run_command("cd " + shell_quote(source("").string()) + " && timeout 60 python3 .github/scripts/plan_matrix.py " + args);
}

// A report as the benchmark job writes it for the plan's first entry, at commit `sha`.
model::Report planned_report(const std::string& sha, std::vector<long long> levels) {
  model::Report r;
  r.provenance.tool = "sitegen";
  r.provenance.run_id = "20261122-120000";
  r.provenance.git_sha = sha;
  r.system.gpu.model = "NVIDIA RTX A5000";
  r.system.gpu.count = 1;
  r.system.engine.name = "vllm";
  r.system.model.id = "meta-llama/Llama-3.1-8B-Instruct";
  r.system.model.precision = "bf16";
  r.workload.benchmark = "serving";
  for (long long c : levels) {
    model::Point p;
    p.concurrency = c;
    p.completed = 10;
    r.points.push_back(p);
  }
  return r;
}

}  // namespace

TEST_CASE("every workflow file validates against the GitHub Actions schema", "[ci][workflows]") {
  const auto listing = files::list_recursive({source(".github/workflows")}, ".yml");
  REQUIRE(listing.files.size() >= 2);
  for (const fs::path& file : listing.files) {
    INFO(file.string());
    const CommandResult r = validate_workflow(file);
    INFO(r.output);
    CHECK(r.code == 0);
  }
}

TEST_CASE("a planted workflow mistake fails the check", "[ci][workflows]") {
  ScratchDir dir("workflows");
  const std::string ci = files::read(source(".github/workflows/ci.yml"));

  SECTION("a misspelt key") {
    files::write_atomic(dir / "ci.yml", replace_once(ci, "runs-on: ubuntu-latest", "runs_on: ubuntu-latest"));
    const CommandResult r = validate_workflow(dir / "ci.yml");
    CHECK(r.code != 0);
    CHECK_THAT(r.output, Catch::Contains("runs_on"));
  }
  SECTION("broken YAML indentation") {
    files::write_atomic(dir / "ci.yml", replace_once(ci, "\n    steps:", "\n   steps:"));
    const CommandResult r = validate_workflow(dir / "ci.yml");
    CHECK(r.code != 0);
    CHECK_THAT(r.output, Catch::Contains("parse_error") || Catch::Contains("Parse Error"));
  }
  SECTION("a job with no steps") {
    files::write_atomic(dir / "ci.yml", std::regex_replace(ci, std::regex("steps:"), "stepz:"));
    CHECK(validate_workflow(dir / "ci.yml").code != 0);
  }
}

TEST_CASE("the CI workflow builds, tests, sanitizes and checks the workflows", "[ci][workflows]") {
  const std::string ci = files::read(source(".github/workflows/ci.yml"));
  CHECK_THAT(ci, Catch::Contains("push:") && Catch::Contains("pull_request:"));
  CHECK_THAT(ci, Catch::Contains("sh .ci/run"));
  CHECK_THAT(ci, Catch::Contains("-DSITEGEN_SANITIZE=ON") && Catch::Contains("ctest --test-dir build-asan"));
  CHECK_THAT(ci, Catch::Contains("action-validator"));
}

TEST_CASE("the benchmark workflow runs the plan on self-hosted runners and publishes once at a time",
          "[ci][workflows]") {
  const std::string wf = files::read(source(".github/workflows/benchmark.yml"));
  CHECK_THAT(wf, Catch::Contains("workflow_dispatch:") && Catch::Contains("branches: [main]"));
  CHECK_THAT(wf, Catch::Contains("matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}"));
  CHECK_THAT(wf, Catch::Contains("runs-on: [self-hosted, \"${{ matrix.runner_label }}\"]"));
  CHECK_THAT(wf, Catch::Contains("sitegen bench") && Catch::Contains("--serve-cmd \"$SERVE_CMD\""));
  CHECK_THAT(wf, Catch::Contains("actions/upload-artifact@") && Catch::Contains("actions/download-artifact@"));
  CHECK_THAT(wf, Catch::Contains("sitegen merge artifacts --into results"));
  CHECK_THAT(wf, Catch::Contains("sitegen compare results artifacts") && Catch::Contains("$GITHUB_STEP_SUMMARY"));
  CHECK_THAT(wf, Catch::Contains("sitegen build"));
  CHECK_THAT(wf, Catch::Contains("actions/upload-pages-artifact@") && Catch::Contains("actions/deploy-pages@"));
  CHECK_THAT(wf, Catch::Contains("pages: write") && Catch::Contains("id-token: write"));
  CHECK_THAT(wf, Catch::Contains("group: benchmark-publish") && Catch::Contains("cancel-in-progress: false"));
  CHECK_THAT(wf, Catch::Contains("git push origin HEAD:main"));
  CHECK_THAT(wf, Catch::Contains("--done published.json"));
}

TEST_CASE("the benchmark plan becomes one matrix job per entry", "[ci][plan]") {
  const model::Json plan = model::read_json_file(source(".github/benchmark-plan.json"));
  const CommandResult r = plan_matrix("--plan .github/benchmark-plan.json");
  INFO(r.output);
  REQUIRE(r.code == 0);
  const model::Json matrix = model::parse_json(r.output, "plan_matrix output");
  REQUIRE(matrix.at("include").size() == plan.at("runs").size());
  for (const auto& job : matrix.at("include")) {
    CHECK_FALSE(job.at("runner_label").get<std::string>().empty());
    CHECK_THAT(job.at("serve_cmd").get<std::string>(), Catch::Contains(job.at("model").get<std::string>()));
    CHECK(job.at("benchmark") == "serving");  // from the defaults
  }
  CHECK(matrix.at("include").at(0).at("concurrency") == "1,4,16,64");
}

TEST_CASE("points already published at the same commit are not benchmarked again", "[ci][plan]") {
  ScratchDir dir("plan");
  const std::string sha = "0123456789abcdef0123456789abcdef01234567";
  const auto results = dir / "results";
  const auto partial = planned_report(sha, {1, 4});
  files::write_atomic(results / store::relative_dir(partial) / "report.json", model::dump(partial));

  const CommandResult some = plan_matrix("--sha " + sha + " --done " + shell_quote(results.string()) +
                                         " --github-output " + shell_quote((dir / "out.txt").string()));
  INFO(some.output);
  REQUIRE(some.code == 0);
  CHECK_THAT(some.output, Catch::Contains("already benchmarked at 0123456789ab: concurrency [1, 4]"));
  const auto first = model::parse_json(some.output.substr(some.output.find("{\"include\"")), "out");
  CHECK(first.at("include").at(0).at("concurrency") == "16,64");
  CHECK_THAT(files::read(dir / "out.txt"), Catch::Contains("count=3\n"));

  // The published dataset carries each configuration's latest report: all four points done.
  const auto done = planned_report(sha, {1, 4, 16, 64});
  model::Json configuration = model::Json::object();
  configuration["latest"]["report"] = model::to_json(done);
  model::Json dataset = model::Json::object();
  dataset["schema"] = "sitegen.dataset/v1";
  dataset["configurations"] = model::Json::array({configuration});
  files::write_atomic(dir / "published.json", dataset.dump());
  const CommandResult all = plan_matrix("--sha " + sha + " --done " + shell_quote((dir / "published.json").string()));
  REQUIRE(all.code == 0);
  const auto second = model::parse_json(all.output.substr(all.output.find("{\"include\"")), "out");
  CHECK(second.at("include").size() == 2);
  CHECK(second.at("include").at(0).at("name") != "llama-3.1-8b-bf16-rtx-a5000");

  // Another commit, or another GPU, is measured again.
  const CommandResult other = plan_matrix("--sha deadbeef --done " + shell_quote((dir / "published.json").string()));
  CHECK(model::parse_json(other.output, "out").at("include").size() == 3);
}

TEST_CASE("an invalid plan is refused with the place of every problem", "[ci][plan]") {
  ScratchDir dir("plan-bad");
  model::Json plan = model::read_json_file(source(".github/benchmark-plan.json"));
  plan["runs"][0]["gpus"] = "one";
  plan["runs"][1].erase("serve_cmd");
  plan["runs"][2]["concurrency"] = model::Json::array();
  files::write_atomic(dir / "plan.json", plan.dump());
  const CommandResult r = plan_matrix("--plan " + shell_quote((dir / "plan.json").string()));
  CHECK(r.code == 2);
  CHECK_THAT(r.output, Catch::Contains("/runs/0/gpus: expected int, got \"one\""));
  CHECK_THAT(r.output, Catch::Contains("/runs/1/serve_cmd: missing"));
  CHECK_THAT(r.output, Catch::Contains("/runs/2/concurrency: expected positive integers"));
}

TEST_CASE("the Dockerfile builds with .ci/install, tests, and ships the binary CMake produces", "[ci][docker]") {
  const std::string docker = files::read(source("Dockerfile"));
  const auto runtime_at = docker.find("FROM debian:12-slim");
  REQUIRE(docker.find("FROM debian:12 AS build") != std::string::npos);
  REQUIRE(runtime_at != std::string::npos);
  const std::string build_stage = docker.substr(0, runtime_at), runtime = docker.substr(runtime_at);
  CHECK_THAT(build_stage, Catch::Contains("sh .ci/install"));
  CHECK_THAT(build_stage, Catch::Contains("cmake -S . -B build") && Catch::Contains("./build/sitegen_tests"));
  // CMake writes the sitegen executable at the top of its build directory.
  const fs::path binary = SITEGEN_BINARY;
  CHECK(binary.filename() == "sitegen");
  CHECK(fs::exists(binary.parent_path() / "CMakeCache.txt"));
  CHECK_THAT(runtime, Catch::Contains("COPY --from=build /src/build/sitegen /usr/local/bin/sitegen"));
  CHECK_THAT(runtime, Catch::Contains("libcurl4") && Catch::Contains("libcmark-gfm0") &&
                          Catch::Contains("libcmark-gfm-extensions0"));
  CHECK_THAT(runtime, Catch::Contains("ENTRYPOINT [\"sitegen\"]"));
  // A host build directory copied into the image would carry a foreign CMakeCache.txt.
  const std::string ignore = files::read(source(".dockerignore"));
  CHECK_THAT(ignore, Catch::Contains("\nbuild\n") && Catch::Contains("build-*"));
}
