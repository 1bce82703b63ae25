#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

#include <unistd.h>

#include "model/json_io.hpp"
#include "site/builder.hpp"
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

using test::small_tree;

site::BuildSummary build(const fs::path& results, const fs::path& out, const fs::path& templates = {}) {
  return test::build_at(results, out, templates);
}

}  // namespace

TEST_CASE("build writes pages per configuration and run, raw data and the schema", "[site]") {
  ScratchDir dir("build-basic");
  small_tree(dir / "results");
  const site::BuildSummary s = build(dir / "results", dir / "_site");
  CHECK(s.runs == 3);
  CHECK(s.configurations == 2);
  for (const char* f : {"index.html", "index-by-cost-owned.html", "runs.html", "style.css", "data/benchmark-results.json",
                        "data/points.csv", "schema/report-v1.schema.json",
                        "configs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/index.html",
                        "runs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000/report.json",
                        "compare/model-a-rtx-a5000-1gpu-serving-random-in512-out128-conc.html", "methodology.html"}) {
    INFO(f);
    CHECK(fs::is_regular_file(dir / "_site" / f));
  }
  const std::string csv = files::read(dir / "_site/data/points.csv");
  CHECK(strings::split(csv, '\n').size() == 1 + 9 + 1);  // header, 3 runs x 3 points, final newline
  CHECK(csv.starts_with("config_id,run_id,attempt,"));
  const std::string index = files::read(dir / "_site/index.html");
  CHECK(contains(index, "org/Model-A"));
  CHECK(contains(index, "data/benchmark-results.json"));
  // The report is published unchanged.
  CHECK(files::read(dir / "_site/runs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000/report.json") ==
        files::read(dir / "results/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000/report.json"));
}

TEST_CASE("a published report.json is readable by all and does not follow a replaced source", "[site]") {
  ScratchDir dir("build-raw");
  small_tree(dir / "results");
  const fs::path source = dir / "results/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000/report.json";
  const fs::path published = dir / "_site/runs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000/report.json";
  // A report only its owner may read is published as a copy the web server can read.
  fs::permissions(source, fs::perms::owner_read | fs::perms::owner_write);
  build(dir / "results", dir / "_site");
  const std::string before = files::read(source);
  CHECK(files::read(published) == before);
  const fs::perms mode = fs::status(published).permissions();
  CHECK((mode & fs::perms::group_read) != fs::perms::none);
  CHECK((mode & fs::perms::others_read) != fs::perms::none);
  // Sources replaced the way sitegen writes them (a new file renamed over) leave the published
  // file as it was until the next build publishes the new bytes.
  const fs::path other = dir / "results/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260101-000000/report.json";
  const fs::path other_published = dir / "_site/runs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260101-000000/report.json";
  const std::string other_before = files::read(other);
  REQUIRE(files::read(other_published) == other_before);
  model::Report report = model::parse_report(other_before, other.string());
  report.provenance.tool_version = "edited";
  const std::string edited = model::dump(report);
  REQUIRE(edited != other_before);
  files::write_atomic(other, edited);
  CHECK(files::read(other_published) == other_before);
  build(dir / "results", dir / "_site");
  CHECK(files::read(other_published) == edited);
}

TEST_CASE("reports on another file system than the site are published as copies", "[site]") {
  // /dev/shm is a tmpfs on Linux: a hard link from there into the scratch directory fails
  // (EXDEV) and the report is copied instead. Where it is missing or on the same device, the
  // build still has to publish the same bytes.
  ScratchDir dir("build-xdev");
  std::error_code ec;
  const fs::path shm = "/dev/shm";
  const fs::path results = fs::is_directory(shm, ec) ? shm / ("sitegen-test-xdev-" + std::to_string(::getpid()))
                                                     : dir / "results";
  struct Removed {  // the tree under /dev/shm goes even when a check throws
    fs::path path;
    ~Removed() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } removed{results};
  small_tree(results);
  build(results, dir / "_site");
  const std::string run = "model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000/report.json";
  CHECK(files::read(dir / "_site/runs" / run) == files::read(results / run));
}

TEST_CASE("two builds of the same inputs are byte-identical", "[site]") {
  ScratchDir dir("build-determinism");
  small_tree(dir / "results");
  build(dir / "results", dir / "a");
  build(dir / "results", dir / "b");
  const auto a = test::read_tree(dir / "a");
  const auto b = test::read_tree(dir / "b");
  REQUIRE(a.size() > 10);
  CHECK(a == b);
}

TEST_CASE("a failed build leaves the previous site intact and no staging directory", "[site]") {
  ScratchDir dir("build-atomic");
  small_tree(dir / "results");
  build(dir / "results", dir / "_site");
  const auto before = test::read_tree(dir / "_site");
  files::write_atomic(dir / "tmpl/config.mustache", "{{#broken}} never closed");
  CHECK_THROWS_AS(build(dir / "results", dir / "_site", dir / "tmpl"), Error);
  CHECK(test::read_tree(dir / "_site") == before);
  for (const auto& e : fs::directory_iterator(dir.path())) {
    INFO(e.path().string());
    CHECK(e.path().filename().string().find(".sitegen-") == std::string::npos);
  }
}

TEST_CASE("build refuses to replace a directory that is not a site", "[site]") {
  ScratchDir dir("build-refuse");
  small_tree(dir / "results");
  files::write_atomic(dir / "precious/thesis.tex", "keep me");
  CHECK_THROWS_WITH(build(dir / "results", dir / "precious"), Catch::Contains("refusing"));
  CHECK(files::read(dir / "precious/thesis.tex") == "keep me");
}

TEST_CASE("a report that fails to load is skipped with a warning naming it", "[site]") {
  ScratchDir dir("build-bad-input");
  small_tree(dir / "results");
  files::write_atomic(dir / "results/broken/x/serving/1/report.json", "{\"schema\": \"sitegen.report/v1\", ");
  const auto r = test::run_cli({"build", "--results", (dir / "results").string(), "--site", test::source("site").string(),
                                "--out", (dir / "_site").string()});
  CHECK(r.code == 0);
  CHECK(contains(r.err, "broken/x/serving/1/report.json"));
  CHECK(contains(r.out, "3 run(s)"));
  CHECK(fs::is_regular_file(dir / "_site/index.html"));
}

TEST_CASE("a missing results directory builds an empty site that says so", "[site]") {
  ScratchDir dir("build-empty");
  build(dir / "no-results", dir / "_site");
  CHECK(contains(files::read(dir / "_site/index.html"), "No results yet"));
}

TEST_CASE("every relative link and src in the built site resolves to a file", "[site]") {
  ScratchDir dir("build-links");
  small_tree(dir / "results");
  build(dir / "results", dir / "_site");
  const auto broken = test::broken_links(dir / "_site");
  INFO(strings::join(broken, "\n"));
  CHECK(broken.empty());
}

TEST_CASE("the committed results build into a site with no broken links", "[site]") {
  ScratchDir dir("build-committed");
  const site::BuildSummary s = build(test::source("results"), dir / "_site");
  CHECK(fs::is_regular_file(dir / "_site/index.html"));
  INFO(strings::join(s.problems, "\n"));
  CHECK(s.problems.empty());
  const auto broken = test::broken_links(dir / "_site");
  INFO(strings::join(broken, "\n"));
  CHECK(broken.empty());
  // Reports that do not state a precision get no empty precision badge.
  const std::string index = files::read(dir / "_site/index.html");
  CHECK_FALSE(contains(index, "<span class=\"tag\"></span>"));
  // ISO-Bench results state no load level: said in words, not as "at ?".
  CHECK_FALSE(contains(index, "at ?"));
  CHECK(contains(index, "load not stated"));
  // A report that names no engine leaves no empty slot between the separators.
  CHECK_FALSE(contains(index, " ·  · "));
  // Every page is reached from the index: the comparison pages through its list of comparisons.
  const auto unreachable = test::unreachable_pages(dir / "_site");
  INFO(strings::join(unreachable, "\n"));
  CHECK(unreachable.empty());
  CHECK(fs::is_directory(dir / "_site/compare"));
  // A run with capacity results shows its team sizes; a configuration with a catalog match and
  // API prices shows its break-even tables.
  const std::string smoke = files::read(dir / "_site/configs/qwen3-14b-awq-unknown/rtx-a5000-1gpu/vllm/smoke-conc/index.html");
  CHECK(contains(smoke, "<h2 id=\"capacity\">Team sizes</h2>"));
  const std::string vllm = files::read(dir / "_site/configs/deepseek-coder-v2-lite-instruct-unknown/h100-1gpu/vllm/serving-workload-not-stated/index.html");
  CHECK(contains(vllm, "<h3>Break-even against APIs</h3>"));
  // The index and the configuration page agree on the SLO, and say where its thresholds came from.
  CHECK(contains(vllm, "<dt>Largest load holding the SLO</dt><dd>load not stated; SLO: p50 TTFT"));
  CHECK(contains(vllm, "(catalog default)"));
  CHECK(contains(vllm, "<dl class=\"headline\">"));
}

TEST_CASE("every page has a viewport, a CSP forbidding script, one stylesheet and no script", "[site]") {
  ScratchDir dir("build-meta");
  small_tree(dir / "results");
  build(dir / "results", dir / "_site");
  for (const auto& page : files::list_recursive({dir / "_site"}, ".html").files) {
    INFO(page.string());
    const std::string html = files::read(page);
    CHECK(contains(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    CHECK(contains(html, "script-src 'none'"));
    CHECK(!contains(html, "<script"));
    CHECK(!contains(html, "style=\""));
    std::size_t sheets = 0;
    for (std::size_t at = 0; (at = html.find("rel=\"stylesheet\"", at)) != std::string::npos; ++at) ++sheets;
    CHECK(sheets == 1);
  }
}

TEST_CASE("strings from results and notes are escaped on every page", "[site]") {
  ScratchDir dir("build-escape");
  model::Report r = test::sample_report("<script>alert(1)</script>", "<b>GPU</b>", "vllm", "20260101-000000");
  r.provenance.command = "bench --name '<img src=x onerror=alert(3)>'";
  r.provenance.notes = "<img src=x onerror=alert(4)>";
  const fs::path file = test::write_report(dir / "results", r);
  files::write_atomic(file.parent_path() / "notes.md", "# Notes\n\n<img src=x onerror=alert(2)> and *fine*\n");
  build(dir / "results", dir / "_site");
  std::size_t pages = 0;
  for (const auto& page : files::list_recursive({dir / "_site"}, ".html").files) {
    INFO(page.string());
    const std::string html = files::read(page);
    CHECK(!contains(html, "<script"));
    CHECK(!contains(html, "<img"));
    CHECK(!contains(html, "<b>GPU"));
    ++pages;
  }
  CHECK(pages > 3);
  const std::string index = files::read(dir / "_site/index.html");
  CHECK(contains(index, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  const std::string csv = files::read(dir / "_site/data/points.csv");
  CHECK(contains(csv, "<script>alert(1)</script>"));  // raw data keeps the text as it is
}

TEST_CASE("a misfiled report is published and the warning says so, a broken one is skipped", "[site]") {
  ScratchDir dir("build-misfiled");
  small_tree(dir / "results");
  files::write_atomic(dir / "results/misplaced/report.json",
                      model::dump(test::sample_report("org/Model-A", "RTX A5000", "vllm", "20260103-000000")));
  files::write_atomic(dir / "results/broken/x/serving/1/report.json", "{\"schema\": ");
  const auto r = test::run_cli({"build", "--results", (dir / "results").string(), "--site",
                                test::source("site").string(), "--out", (dir / "_site").string()});
  REQUIRE(r.code == 0);
  std::string misfiled, broken;
  for (const std::string& line : strings::split(r.err, '\n')) {
    if (contains(line, "misplaced/report.json")) misfiled = line;
    if (contains(line, "broken/x/serving/1/report.json")) broken = line;
  }
  // The message and the output agree: the misfiled report is in the site, the broken one is not.
  CHECK(contains(misfiled, "published all the same"));
  CHECK_FALSE(contains(misfiled, "skipped"));
  CHECK(contains(broken, "(skipped)"));
  CHECK(contains(r.out, "4 run(s)"));
  CHECK(contains(files::read(dir / "_site/data/benchmark-results.json"), "20260103-000000"));
  const auto site = test::read_tree(dir / "_site");
  CHECK(std::any_of(site.begin(), site.end(), [](const auto& f) {
    return f.first.ends_with("index.html") && contains(f.second, "Run 20260103-000000");
  }));
}

TEST_CASE("the same inputs built from two directories give byte-identical sites", "[site]") {
  ScratchDir dir("build-two-places");
  // Two checkouts at different depths, as in a container and on a CI runner.
  const std::vector<fs::path> checkouts = {dir / "a", dir / "home/runner/work/project/project"};
  for (const fs::path& c : checkouts) {
    fs::create_directories(c);
    fs::copy(test::source("results"), c / "results", fs::copy_options::recursive);
    fs::copy(test::source("site"), c / "site", fs::copy_options::recursive);
    // Hardware the catalog does not know, and a file that does not load: both are explained in
    // the published pages and data, naming files.
    test::write_report(c / "results", test::sample_report("org/Model-A", "Imaginary GPU 9000", "vllm", "20260101-000000"));
    files::write_atomic(c / "results/broken/x/serving/1/report.json", "{\"schema\": ");
    site::BuildOptions o;
    o.results = c / "results";
    o.site = c / "site";
    o.out = c / "_site";
    site::build_site(o);
  }
  const auto a = test::read_tree(checkouts[0] / "_site");
  const auto b = test::read_tree(checkouts[1] / "_site");
  REQUIRE(a.size() > 50);
  const std::string reason = files::read(checkouts[0] / "_site/data/benchmark-results.json");
  CHECK(contains(reason, "catalog site/pricing.json"));
  CHECK(contains(reason, "results/broken/x/serving/1/report.json"));
  for (const auto& [file, bytes] : a) {
    INFO(file);
    CHECK_FALSE(contains(bytes, dir.path().string()));
    const auto other = b.find(file);
    REQUIRE(other != b.end());
    CHECK(bytes == other->second);
  }
  CHECK(a.size() == b.size());
}
