#include <catch2/catch.hpp>

#include <unistd.h>

#include "site/output.hpp"
#include "site/site_support.hpp"
#include "support.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace fs = std::filesystem;
using namespace sitegen;
using sitegen::test::ScratchDir;

TEST_CASE("build refuses an output that holds, is or lies inside one of its inputs", "[site]") {
  ScratchDir dir("out-inputs");
  // A project directory that already holds a built site's index.html and its results.
  const fs::path proj = dir / "proj";
  test::small_tree(proj / "results");
  files::write_atomic(proj / "index.html", "<p>an earlier site</p>");
  files::write_atomic(proj / "README.md", "the project's own notes");
  const auto before = test::read_tree(proj);
  REQUIRE(before.size() == 5);

  const auto refused = [&](const fs::path& results, const fs::path& out, const fs::path& templates, const char* how) {
    INFO(out.string());
    CHECK_THROWS_WITH(test::build_at(results, out, templates),
                      Catch::Contains("refusing to build") && Catch::Contains(how) && Catch::Contains("--out"));
  };
  refused(proj / "results", proj, {}, "contains the input");          // the reported data loss
  refused(proj / "results", proj / "results", {}, "is the input");
  refused(proj / "results", proj / "results/_site", {}, "lies inside the input");
  refused(proj / "results", proj / "results/../results/", {}, "is the input");  // another spelling
  files::write_atomic(proj / "tmpl/page.mustache", "{{{html}}}");
  refused(dir / "elsewhere", proj, proj / "tmpl", "contains the input");
  fs::remove_all(proj / "tmpl");
  // The site settings (the repository's site/ here) are an input too.
  refused(proj / "results", test::source("site"), {}, "is the input");
  CHECK(test::read_tree(proj) == before);

  fs::create_directory_symlink(proj, dir / "link");
  refused(proj / "results", dir / "link", {}, "contains the input");
  CHECK(test::read_tree(proj) == before);
}

TEST_CASE("a directory that sitegen did not write is never emptied, even with an index.html", "[site]") {
  ScratchDir dir("out-foreign");
  test::small_tree(dir / "results");
  files::write_atomic(dir / "www/index.html", "<p>hand-written</p>");
  files::write_atomic(dir / "www/photo.jpg", "bytes");
  const auto before = test::read_tree(dir / "www");
  for (const bool clean : {false, true}) {
    CHECK_THROWS_WITH(test::build_at(dir / "results", dir / "www", {}, clean),
                      Catch::Contains("sitegen did not write") && Catch::Contains(".sitegen-manifest.json"));
    CHECK(test::read_tree(dir / "www") == before);
  }
  // A site sitegen built is rebuilt in place.
  test::build_at(dir / "results", dir / "_site");
  CHECK(test::build_at(dir / "results", dir / "_site").incremental);
}

TEST_CASE("a manifest listing a path outside the site never makes a build delete it", "[site]") {
  ScratchDir dir("out-manifest-escape");
  test::small_tree(dir / "results");
  test::build_at(dir / "results", dir / "_site");
  files::write_atomic(dir / "precious.txt", "keep me");
  const std::string manifest = files::read(dir / "_site" / site::StagedOutput::k_manifest);
  const std::string hostile = manifest.substr(0, manifest.find("\"files\": {") + 10) +
                              "\n  \"../precious.txt\": {\"hash\": \"0000000000000001\", \"size\": 7}," +
                              manifest.substr(manifest.find("\"files\": {") + 10);
  files::write_atomic(dir / "_site" / site::StagedOutput::k_manifest, hostile);
  test::build_at(dir / "results", dir / "_site");
  CHECK(files::read(dir / "precious.txt") == "keep me");
}

TEST_CASE("a build removes the staging directories killed builds left, and nothing else", "[site]") {
  ScratchDir dir("out-stale");
  test::small_tree(dir / "results");
  const std::string dead = std::to_string(test::dead_pid());
  const std::string live = std::to_string(::getppid());
  const std::vector<std::string> stale = {"_site.sitegen-staging-" + dead, "_site.sitegen-old-" + dead};
  const std::vector<std::string> kept = {"_site.sitegen-staging-" + live, "_site.tmp-" + dead,
                                         "other.sitegen-staging-" + dead, "_site.sitegen-staging-" + dead + "x"};
  for (const auto& d : stale) files::write_atomic(dir / d / "index.html", "half a site");
  for (const auto& d : kept) files::write_atomic(dir / d / "index.html", "keep");
  test::build_at(dir / "results", dir / "_site");
  for (const auto& d : stale) CHECK_FALSE(fs::exists(dir / d));
  for (const auto& d : kept) CHECK(files::read(dir / d / "index.html") == "keep");
  CHECK(fs::is_regular_file(dir / "_site/index.html"));
}
