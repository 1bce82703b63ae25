// The rehearsal of the benchmark pipeline (.ci/rehearse.sh) run end to end, so the path from a
// serving engine to a published page cannot rot: sim-server -> bench -> compare (an unchanged run
// passes, a slower engine fails) -> merge -> build -> headless Chromium.

#include <catch2/catch.hpp>

#include <set>

#include "ci/ci_support.hpp"
#include "model/json_io.hpp"
#include "support.hpp"
#include "util/files.hpp"

using namespace sitegen;
using namespace sitegen::test;

TEST_CASE("the pipeline rehearsal runs green from sim-server to a page in a browser", "[ci][rehearsal]") {
  ScratchDir out("rehearsal");
  const CommandResult r = run_command("cd " + shell_quote(source("").string()) + " && SITEGEN=" +
                                      shell_quote(SITEGEN_BINARY) + " timeout -k 10 540 sh .ci/rehearse.sh " +
                                      shell_quote(out.path().string()));
  INFO(r.output);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.output, Catch::Contains("rehearse: 8/8 done"));

  // The sweep's report: three load levels against the simulator, every request answered.
  const model::Report report = model::read_report(out / "artifacts/report-rehearsal/report.json");
  REQUIRE(report.points.size() == 3);
  for (const model::Point& p : report.points) {
    CHECK(p.completed.value_or(0) == 24);
    CHECK(p.ttft_ms.percentile(50).value_or(0) > 0);
  }
  CHECK(report.system.engine.name == "sitegen-sim");

  // The gate passed the unchanged run, and said so in the summary a workflow would publish; an
  // engine twice as slow per token failed it, on the rank test of the per-request samples.
  CHECK_THAT(files::read(out / "compare.md"), Catch::StartsWith("## Benchmark comparison: no regressions"));
  const std::string slower = files::read(out / "compare-slower.md");
  CHECK_THAT(slower, Catch::StartsWith("## Benchmark comparison: "));
  CHECK_THAT(slower, Catch::Contains("| concurrency 1 | TPOT p50 (ms) |") && Catch::Contains("and p<0.001**"));

  // The merged tree and the built site hold the run.
  const auto merged = files::list_recursive({out / "results"}, "report.json");
  CHECK_FALSE(merged.files.empty());
  CHECK_THAT(files::read(out / "index.dom.html"), Catch::Contains("llama-3.1-8b-instruct"));
}

// Three overlapping runs of the benchmark workflow with a publish cancelled while queued and one
// cancelled before it clears the store (.ci/rehearse-overlap.sh): the real sitegen, the workflow's
// own scripts, git repositories standing for GitHub.
TEST_CASE("three overlapping benchmark runs with cancelled publishes lose no report", "[ci][rehearsal]") {
  ScratchDir out("overlap");
  const CommandResult r = run_command("cd " + shell_quote(source("").string()) + " && SITEGEN=" +
                                      shell_quote(SITEGEN_BINARY) + " timeout -k 10 540 sh .ci/rehearse-overlap.sh " +
                                      shell_quote(out.path().string()));
  INFO(r.output);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.output, Catch::Contains("rehearse-overlap: done: 3 reports of 3 runs"));

  // results/ on main, as a last clone sees it: one report per bench job that produced one, each
  // with every request answered; the three runs' reports are three distinct runs.
  std::set<std::string> run_ids;
  for (const fs::path& file : files::list_recursive({out / "jobs/final/results"}, "report.json").files) {
    const model::Report report = model::read_report(file);
    if (report.system.engine.name != "sitegen-sim") continue;
    run_ids.insert(report.provenance.run_id);
    for (const model::Point& p : report.points) CHECK(p.completed.value_or(0) == 8);
  }
  CHECK(run_ids.size() == 3);
  // The publish that took run 2 said which job had no report, and why; the one that cleared the
  // store said run 3 had an entry whose job left no artifact.
  const std::string summary = files::read(out / "jobs/publish3/summary.md");
  CHECK_THAT(summary, Catch::Contains("- run run2-1: bench sim-oom: no report: sitegen bench exited"));
  CHECK_THAT(summary, Catch::Contains("CUDA out of memory"));
  CHECK_THAT(summary, Catch::Contains("- run run3-1: bench sim-lost: no report: no artifact"));
  CHECK_THAT(summary, Catch::Contains("- run run2-1: bench sim-a: ok"));
  // The site publish 4 deployed links under the Pages base path it was given.
  CHECK_THAT(files::read(out / "jobs/publish4/_site/404.html"), Catch::Contains("/repo/"));
}
