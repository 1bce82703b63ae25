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

// The rules action-validator does not check (.github/scripts/check_workflows.py).
CommandResult check_workflows(const std::string& args) {
  if (!on_path("python3")) FAIL("python3 is not installed: run `sh .ci/install --with-ci-tools`");
  return run_command("cd " + shell_quote(source("").string()) + " && timeout 60 python3 .github/scripts/check_workflows.py " + args);
}

CommandResult plan_matrix(const std::string& args) {
  if (!on_path("python3")) FAIL("python3 is not installed: run `sh .ci/install --with-ci-tools`");
  return run_command("cd " + shell_quote(source("").string()) + " && timeout 60 python3 .github/scripts/plan_matrix.py " + args);
}

// The text of one job of a workflow: from "  name:" to the next line indented by two spaces.
std::string job_text(const std::string& workflow, const std::string& name) {
  const auto at = workflow.find("\n  " + name + ":\n");
  REQUIRE(at != std::string::npos);
  auto end = at + 1;
  while ((end = workflow.find("\n  ", end + 1)) != std::string::npos && workflow[end + 3] == ' ') {
  }
  return workflow.substr(at, end == std::string::npos ? std::string::npos : end - at);
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

TEST_CASE("the CI workflow builds, tests, builds the image, sanitizes and checks the workflows", "[ci][workflows]") {
  const std::string ci = files::read(source(".github/workflows/ci.yml"));
  CHECK_THAT(ci, Catch::Contains("push:") && Catch::Contains("pull_request:"));
  CHECK_THAT(ci, Catch::Contains("SITEGEN_CI_FULL=1 sh .ci/run"));
  // The full run (GitHub's CI job) adds the sanitizer suite, the fuzz targets and the container.
  CHECK_THAT(files::read(source(".ci/run")), Catch::Contains("if [ \"${SITEGEN_CI_FULL:-0}\" = 1 ]; then\n  sh .ci/sanitize") &&
                                                 Catch::Contains("\n  sh .ci/container\n"));
  CHECK_THAT(ci, Catch::Contains("-DSITEGEN_SANITIZE=ON") && Catch::Contains("ctest --test-dir build-asan"));
  CHECK_THAT(ci, Catch::Contains("action-validator") && Catch::Contains("check_workflows.py .github/workflows/*.yml"));
  // The image .ci/run built and compared is the one pushed, by commit and as latest on main.
  const std::string image = job_text(ci, "image");
  CHECK_THAT(image, Catch::Contains("if: github.event_name == 'push'") && Catch::Contains("packages: write"));
  CHECK_THAT(image, Catch::Contains("ghcr.io/") && Catch::Contains("$image:$GITHUB_SHA"));
  CHECK_THAT(image, Catch::Contains("refs/heads/main") && Catch::Contains("$image:latest"));
}

TEST_CASE("the workflow rules pass the workflows and refuse planted mistakes", "[ci][workflows]") {
  const CommandResult ok = check_workflows(".github/workflows/*.yml");
  INFO(ok.output);
  REQUIRE(ok.code == 0);

  ScratchDir dir("workflow-rules");
  const std::string ci = files::read(source(".github/workflows/ci.yml"));
  const std::string pr = files::read(source(".github/workflows/pr-benchmark.yml"));
  const std::string checkout = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2";
  REQUIRE_THAT(ci, Catch::Contains(checkout));
  auto check = [&dir](const std::string& name, const std::string& text) {
    files::write_atomic(dir / name, text);
    return check_workflows(shell_quote((dir / name).string()));
  };

  SECTION("an action pinned by a tag") {
    const CommandResult r = check("ci.yml", replace_once(ci, checkout, "actions/checkout@v4"));
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("uses: actions/checkout@v4: pin it by its full commit SHA"));
  }
  SECTION("an action pinned by a short SHA") {
    const CommandResult r = check("ci.yml", replace_once(ci, checkout, "actions/checkout@11bd719 # v4.2.2"));
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("pin it by its full commit SHA"));
  }
  SECTION("a SHA without its version") {
    const CommandResult r = check("ci.yml", replace_once(ci, checkout, "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"));
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("say which version the SHA is"));
  }
  SECTION("a checkout that keeps its token where nothing pushes") {
    const std::string kept = replace_once(ci, "persist-credentials: false", "persist-credentials: true");
    const CommandResult r = check("ci.yml", kept);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("/jobs/test/steps/0: persist-credentials: true in a job that cannot push"));
    const CommandResult unsaid = check("ci2.yml", replace_once(ci, "\n        with:\n          persist-credentials: false", ""));
    CHECK(unsaid.code == 1);
    CHECK_THAT(unsaid.output, Catch::Contains("/jobs/test/steps/0: actions/checkout without persist-credentials"));
  }
  SECTION("pull-request code on a self-hosted runner without the approval gate") {
    const CommandResult r = check("pr.yml", replace_once(pr, "    environment: pr-benchmark\n", ""));
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("/jobs/bench: runs on a self-hosted runner in a workflow a pull request triggers, "
                                         "without needing an approval job"));
    CHECK_THAT(r.output, Catch::Contains("/jobs/build: checks out the pull request's code"));
  }
  SECTION("the approval job running the pull request's code itself") {
    const std::string inside = replace_once(pr, "    environment: pr-benchmark\n    steps:\n",
                                            "    environment: pr-benchmark\n    steps:\n"
                                            "      - uses: " + checkout + "\n        with:\n"
                                            "          ref: ${{ needs.request.outputs.sha }}\n"
                                            "          persist-credentials: false\n");
    const CommandResult r = check("pr.yml", inside);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("/jobs/approve: the approval job itself runs the pull request's code"));
  }
}

TEST_CASE("the benchmark workflow builds once, loses no report and publishes once at a time", "[ci][workflows]") {
  const std::string wf = files::read(source(".github/workflows/benchmark.yml"));
  auto job = [&wf](const std::string& name) { return job_text(wf, name); };
  CHECK_THAT(wf, Catch::Contains("workflow_dispatch:") && Catch::Contains("branches: [main]"));
  // Built once, in Debian 12, and handed over as a bundle the runners check.
  const std::string build = job("build");
  CHECK_THAT(build, Catch::Contains("container: debian:12") && Catch::Contains("sitegen_bundle.sh make"));
  const std::string bench = job("bench");
  CHECK_THAT(bench, Catch::Contains("needs: [plan, build]"));
  CHECK_THAT(bench, Catch::Contains("runs-on: [self-hosted, \"${{ matrix.runner_label }}\"]"));
  CHECK_THAT(bench, Catch::Contains("sh .github/scripts/bench_job.sh"));
  CHECK_THAT(bench, !Catch::Contains("sh .ci/install") && !Catch::Contains("cmake"));
  CHECK_THAT(bench, Catch::Contains("HF_TOKEN: ${{ secrets.HF_TOKEN }}") && Catch::Contains("HF_HOME:"));
  // The log and the partial report are uploaded whatever happened.
  CHECK_THAT(bench, Catch::Contains("if: always()\n        uses: actions/upload-artifact@"));
  // Every report reaches the store, whatever happens to a publish.
  const std::string stash = job("stash");
  CHECK_THAT(stash, Catch::Contains("if: always()") && Catch::Contains("pending.py stash"));
  CHECK_THAT(stash, !Catch::Contains("concurrency:"));
  const std::string publish = job("publish");
  CHECK_THAT(publish, Catch::Contains("group: benchmark-publish") && Catch::Contains("cancel-in-progress: false"));
  CHECK_THAT(publish, Catch::Contains("pending.py take") && Catch::Contains("pending.py save-results") &&
                          Catch::Contains("pending.py clear"));
  // The gate decides before anything is published, and fails once, last.
  const auto compare = publish.find("sitegen compare results pending/reports --same-config");
  const auto merge = publish.find("sitegen merge pending/reports --into results");
  REQUIRE(compare != std::string::npos);
  REQUIRE(merge != std::string::npos);
  CHECK(compare < merge);
  CHECK(publish.find("Fail on a regression") > publish.find("pending.py clear"));
  // Pages the standard way: the base path from configure-pages reaches --base-url.
  CHECK_THAT(publish, Catch::Contains("actions/configure-pages@") && Catch::Contains("steps.pages.outputs.base_path"));
  CHECK_THAT(publish, Catch::Contains("--base-url \"${BASE_PATH}/\""));
  CHECK_THAT(publish, Catch::Contains("actions/upload-pages-artifact@7b1f4a764d45c48632c6b24a0339c27f5614fb0b # v4.0.0"));
  const std::string deploy = job("deploy");
  CHECK_THAT(deploy, Catch::Contains("actions/deploy-pages@") && Catch::Contains("pages: write") &&
                         Catch::Contains("id-token: write"));
  CHECK_THAT(wf, Catch::Contains("--done published.json"));
}

TEST_CASE("a pull request is benchmarked only after approval, at the approved commit, with one sticky comment",
          "[ci][workflows]") {
  const std::string pr = files::read(source(".github/workflows/pr-benchmark.yml"));
  CHECK_THAT(pr, Catch::Contains("pull_request_target:\n    types: [labeled]") && Catch::Contains("issue_comment:"));
  CHECK_THAT(pr, Catch::Contains("github.event.label.name == 'benchmark'") &&
                     Catch::Contains("startsWith(github.event.comment.body, '/bench')"));
  CHECK_THAT(pr, Catch::Contains("github.event.comment.author_association"));
  CHECK_THAT(pr, Catch::Contains("environment: pr-benchmark"));
  CHECK_THAT(pr, Catch::Contains("needs: [request, approve, plan, build]"));
  // The code that runs is the head commit fixed when the benchmark was asked for.
  CHECK_THAT(pr, Catch::Contains("ref: ${{ needs.request.outputs.sha }}"));
  CHECK_THAT(pr, !Catch::Contains("github.event.pull_request.head.ref") && !Catch::Contains("head.sha }}"));
  // One comment, found by its marker and updated.
  CHECK_THAT(pr, Catch::Contains("<!-- sitegen-pr-benchmark -->") && Catch::Contains("-X PATCH") &&
                     Catch::Contains("pull-requests: write"));
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

TEST_CASE("a plan entry with an unknown runner, no model or a concurrency of words fails the plan, naming the entry",
          "[ci][plan]") {
  ScratchDir dir("plan-entries");
  model::Json plan = model::read_json_file(source(".github/benchmark-plan.json"));
  plan["runs"][0]["runner_label"] = "gpu-h100";
  plan["runs"][1].erase("model");
  plan["runs"][2]["concurrency"] = model::Json::array({1, "8", 32});
  files::write_atomic(dir / "plan.json", plan.dump());
  const CommandResult r = plan_matrix("--plan " + shell_quote((dir / "plan.json").string()));
  CHECK(r.code == 2);
  CHECK_THAT(r.output, Catch::Contains("/runs/0/runner_label: 'gpu-h100' is not a registered runner label "
                                       "(gpu-rtx-a5000, gpu-l40s)") &&
                           Catch::Contains("(entry 'llama-3.1-8b-bf16-rtx-a5000')"));
  CHECK_THAT(r.output, Catch::Contains("/runs/1/model: missing (entry 'llama-3.1-8b-awq-rtx-a5000')"));
  CHECK_THAT(r.output, Catch::Contains("/runs/2/concurrency: expected positive integers, got [1, \"8\", 32] "
                                       "(entry 'qwen3-coder-30b-fp8-l40s')"));
  // No matrix is printed, so no bench job can start.
  CHECK_THAT(r.output, !Catch::Contains("{\"include\""));
}

TEST_CASE("the Dockerfile builds only the binary and runs it as an unprivileged user with OCI labels", "[ci][docker]") {
  const std::string docker = files::read(source("Dockerfile"));
  const auto runtime_at = docker.find("FROM debian:12-slim AS runtime");
  REQUIRE(docker.find("FROM debian:12 AS build") != std::string::npos);
  REQUIRE(runtime_at != std::string::npos);
  const std::string build_stage = docker.substr(0, runtime_at), runtime = docker.substr(runtime_at);
  CHECK_THAT(build_stage, Catch::Contains("RUN sh .ci/install &&"));
  // No Node or npm (the workflow check is CI's, not the image's), and no second run of the suite.
  CHECK_THAT(build_stage, !Catch::Contains("--with-ci-tools") && !Catch::Contains("sitegen_tests"));
  CHECK_THAT(build_stage, Catch::Contains("-DSITEGEN_TESTS=OFF") && Catch::Contains("--target sitegen"));
  CHECK_THAT(runtime, Catch::Contains("COPY --from=build /src/build/sitegen /usr/local/bin/sitegen"));
  CHECK_THAT(runtime, Catch::Contains("libcurl4") && Catch::Contains("libcmark-gfm0") &&
                          Catch::Contains("libcmark-gfm-extensions0"));
  CHECK_THAT(runtime, Catch::Contains("\nUSER sitegen\n") && Catch::Contains("ENTRYPOINT [\"sitegen\"]"));
  for (const char* label : {"source", "version", "revision"}) {
    CHECK_THAT(runtime, Catch::Contains(std::string("org.opencontainers.image.") + label + "="));
  }
  // The README's docker run line writes into the mount as the caller.
  CHECK_THAT(files::read(source("README.md")),
             Catch::Contains("docker run --rm --user \"$(id -u):$(id -g)\" -v \"$PWD:/data\" sitegen build"));
  // A host build directory copied into the image would carry a foreign CMakeCache.txt.
  const std::string ignore = files::read(source(".dockerignore"));
  CHECK_THAT(ignore, Catch::Contains("\nbuild\n") && Catch::Contains("build-*"));
  CHECK_FALSE(fs::exists(source("tools/dockerfile_rehearsal.sh")));
}
