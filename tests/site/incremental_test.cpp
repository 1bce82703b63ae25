// The incremental rebuild: a build over a site that has a manifest keeps what did not change,
// and must end byte-identical to a full build of the same inputs.

#include <catch2/catch.hpp>

#include "site/builder.hpp"
#include "site/output.hpp"
#include "site/site_support.hpp"
#include "support.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace fs = std::filesystem;
using namespace sitegen;
using sitegen::test::ScratchDir;

using test::contains;

namespace {

// The full build of the same inputs, in a directory of its own, for comparison.
std::map<std::string, std::string> full_build(const ScratchDir& dir, const std::string& name,
                                              const fs::path& templates = {}) {
  const site::BuildSummary s = test::build_at(dir / "results", dir / name, templates, true);
  CHECK_FALSE(s.incremental);
  return test::read_tree(dir / name);
}

}  // namespace

TEST_CASE("a rebuild with nothing changed writes nothing and keeps the site byte-identical", "[site]") {
  ScratchDir dir("incr-same");
  test::small_tree(dir / "results");
  const site::BuildSummary first = test::build_at(dir / "results", dir / "_site");
  CHECK_FALSE(first.incremental);
  CHECK(first.written == first.files);
  REQUIRE(fs::is_regular_file(dir / "_site" / site::StagedOutput::k_manifest));
  const auto before = test::read_tree(dir / "_site");

  const site::BuildSummary again = test::build_at(dir / "results", dir / "_site");
  CHECK(again.incremental);
  CHECK(again.written == 0);
  CHECK(again.files == first.files);
  CHECK(again.pages == first.pages);
  CHECK(test::read_tree(dir / "_site") == before);
}

TEST_CASE("adding a run rewrites its pages and the pages that list it, nothing else", "[site]") {
  ScratchDir dir("incr-add");
  test::small_tree(dir / "results");
  test::build_at(dir / "results", dir / "_site");
  const std::string other_run = "runs/model-a-bf16/rtx-a5000-1gpu/sglang/serving-random-in512-out128-conc/20260101-000500/index.html";
  const fs::file_time_type untouched = fs::last_write_time(dir / "_site" / other_run);

  test::write_report(dir / "results",
                     test::sample_report("org/Model-A", "RTX A5000", "vllm", "20260103-000000", 1.2));
  const site::BuildSummary s = test::build_at(dir / "results", dir / "_site");
  CHECK(s.incremental);
  CHECK(s.runs == 4);
  // The grouped index and six orderings, runs.html, the configuration page, the engine comparison
  // page, the new run's page and report.json, benchmark-results.json and points.csv: 14 of 28.
  CHECK(s.files == 28);
  CHECK(s.written == 14);
  CHECK(fs::is_regular_file(dir / "_site/runs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260103-000000/index.html"));
  CHECK(fs::last_write_time(dir / "_site" / other_run) == untouched);
  CHECK(test::read_tree(dir / "_site") == full_build(dir, "full"));
}

TEST_CASE("removing a run removes its pages and the directories left empty", "[site]") {
  ScratchDir dir("incr-remove");
  test::small_tree(dir / "results");
  test::build_at(dir / "results", dir / "_site");
  const std::string run = "runs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000";
  REQUIRE(fs::is_regular_file(dir / "_site" / run / "report.json"));

  fs::remove_all(dir / "results/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000");
  const site::BuildSummary s = test::build_at(dir / "results", dir / "_site");
  CHECK(s.incremental);
  CHECK(s.runs == 2);
  CHECK_FALSE(fs::exists(dir / "_site" / run));
  CHECK(test::read_tree(dir / "_site") == full_build(dir, "full"));
}

TEST_CASE("an edited report or notes.md, or a changed template, rebuilds the pages made from it", "[site]") {
  ScratchDir dir("incr-edit");
  test::small_tree(dir / "results");
  test::build_at(dir / "results", dir / "_site");
  const fs::path run_dir = dir / "results/model-a-bf16/rtx-a5000-1gpu/sglang/serving-random-in512-out128-conc/20260101-000500";

  SECTION("a report edited in place") {
    model::Report r = test::sample_report("org/Model-A", "RTX A5000", "sglang", "20260101-000500", 0.5);
    files::write_atomic(run_dir / "report.json", model::dump(r));
    test::build_at(dir / "results", dir / "_site");
    CHECK(test::read_tree(dir / "_site") == full_build(dir, "full"));
  }
  SECTION("notes.md added beside a report") {
    files::write_atomic(run_dir / "notes.md", "# Notes\n\nThe fans were *loud*.\n");
    const site::BuildSummary s = test::build_at(dir / "results", dir / "_site");
    CHECK(s.written > 0);
    CHECK(contains(files::read(dir / "_site/runs/model-a-bf16/rtx-a5000-1gpu/sglang/serving-random-in512-out128-conc/20260101-000500/index.html"),
                            "The fans were <em>loud</em>."));
    CHECK(test::read_tree(dir / "_site") == full_build(dir, "full"));
  }
  SECTION("the run page template replaced with --templates") {
    files::write_atomic(dir / "tmpl/run.mustache", "<p>MY RUN PAGE {{title}}</p>");
    test::build_at(dir / "results", dir / "_site", dir / "tmpl");
    const std::string page =
        files::read(dir / "_site/runs/model-a-bf16/rtx-a5000-1gpu/sglang/serving-random-in512-out128-conc/20260101-000500/index.html");
    CHECK(contains(page, "MY RUN PAGE"));
    CHECK(test::read_tree(dir / "_site") == full_build(dir, "full", dir / "tmpl"));
  }
}

TEST_CASE("a page deleted or damaged by hand in the output is written again", "[site]") {
  ScratchDir dir("incr-damaged");
  test::small_tree(dir / "results");
  test::build_at(dir / "results", dir / "_site");
  const auto before = test::read_tree(dir / "_site");
  const std::string run = "runs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000/index.html";
  fs::remove(dir / "_site" / run);
  files::write_atomic(dir / "_site/index.html", "truncated");
  const site::BuildSummary s = test::build_at(dir / "results", dir / "_site");
  CHECK(s.written == 2);
  CHECK(test::read_tree(dir / "_site") == before);
}

TEST_CASE("a damaged manifest means a full build, not an error", "[site]") {
  ScratchDir dir("incr-manifest");
  test::small_tree(dir / "results");
  test::build_at(dir / "results", dir / "_site");
  const auto before = test::read_tree(dir / "_site");
  for (const char* junk : {"{\"schema\": \"sitegen.site-manifest/v1\", \"files\": {\"index.html\": {\"hash\": 7}}}",
                           "not json", "{\"schema\": \"something else\", \"files\": {}}"}) {
    INFO(junk);
    files::write_atomic(dir / "_site" / site::StagedOutput::k_manifest, junk);
    const site::BuildSummary s = test::build_at(dir / "results", dir / "_site");
    CHECK_FALSE(s.incremental);
    CHECK(test::read_tree(dir / "_site") == before);
  }
}

TEST_CASE("a clean build rebuilds every page and swaps the whole directory in", "[site]") {
  ScratchDir dir("incr-clean");
  test::small_tree(dir / "results");
  test::build_at(dir / "results", dir / "_site");
  files::write_atomic(dir / "_site/stray.txt", "not made by sitegen");
  const site::BuildSummary s = test::build_at(dir / "results", dir / "_site", {}, true);
  CHECK_FALSE(s.incremental);
  CHECK(s.written == s.files);
  CHECK_FALSE(fs::exists(dir / "_site/stray.txt"));
}

TEST_CASE("rendering on one thread and on several gives the same site", "[site]") {
  ScratchDir dir("incr-threads");
  test::small_tree(dir / "results");
  for (unsigned threads : {1u, 4u}) {
    site::BuildOptions o;
    o.results = dir / "results";
    o.site = test::source("site");
    o.out = dir / ("t" + std::to_string(threads));
    o.threads = threads;
    site::build_site(o);
  }
  const auto one = test::read_tree(dir / "t1");
  REQUIRE(one.size() > 10);
  CHECK(one == test::read_tree(dir / "t4"));
}

TEST_CASE("a changed site title or a new markdown page rebuilds every run page's layout", "[site]") {
  ScratchDir dir("incr-site");
  test::small_tree(dir / "results");
  fs::copy(test::source("site"), dir / "site", fs::copy_options::recursive);
  site::BuildOptions o;
  o.results = dir / "results";
  o.site = dir / "site";
  o.out = dir / "_site";
  site::build_site(o);
  const std::string run_page = "_site/runs/model-a-bf16/rtx-a5000-1gpu/sglang/serving-random-in512-out128-conc/20260101-000500/index.html";
  REQUIRE(fs::is_regular_file(dir / run_page));

  SECTION("the site's title") {
    std::string settings = files::read(dir / "site/site.json");
    const std::size_t at = settings.find("\"title\"");
    REQUIRE(at != std::string::npos);
    settings.insert(settings.find('"', settings.find(':', at)) + 1, "Renamed ");
    files::write_atomic(dir / "site/site.json", settings);
  }
  SECTION("a new markdown page, which every page's navigation links to") {
    files::write_atomic(dir / "site/pages/zz-hardware.md", "# Our hardware\n\nTwo boxes.\n");
  }
  const site::BuildSummary again = site::build_site(o);
  CHECK(again.incremental);
  site::BuildOptions full = o;
  full.out = dir / "full";
  site::build_site(full);
  CHECK(test::read_tree(dir / "_site") == test::read_tree(dir / "full"));
  const std::string page = files::read(dir / run_page);
  CHECK((contains(page, "Renamed ") || contains(page, "zz-hardware.html")));
}
