#include <catch2/catch.hpp>

#include <fstream>

#include "support.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

using namespace sitegen;
namespace fs = std::filesystem;

TEST_CASE("write_atomic replaces a file and leaves no temporary behind", "[util]") {
  test::ScratchDir dir("atomic");
  const fs::path target = dir / "a/b/report.json";
  files::write_atomic(target, "first");
  files::write_atomic(target, "second");
  CHECK(files::read(target) == "second");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(target.parent_path())) ++entries;
  CHECK(entries == 1);
}

TEST_CASE("write_atomic into an unwritable place throws and names the path", "[util]") {
  test::ScratchDir dir("atomic-fail");
  files::write_atomic(dir / "file", "x");
  // A regular file where a directory is needed.
  CHECK_THROWS_WITH(files::write_atomic(dir / "file/child.json", "y"), Catch::Contains("file"));
}

TEST_CASE("read names the missing file and enforces the size limit", "[util]") {
  test::ScratchDir dir("read");
  CHECK_THROWS_WITH(files::read(dir / "missing.json"), Catch::Contains("missing.json"));
  files::write_atomic(dir / "big", std::string(100, 'x'));
  CHECK_THROWS_WITH(files::read(dir / "big", 10), Catch::Contains("larger than the limit"));
}

TEST_CASE("listing survives a symlink loop and still lists the other files", "[util]") {
  test::ScratchDir dir("loop");
  fs::create_directories(dir / "a");
  files::write_atomic(dir / "a/report.json", "{}");
  fs::create_directory_symlink(dir.path(), dir / "a/loop");
  const files::Listing listing = files::list_recursive({dir.path()}, ".json");
  CHECK(listing.files.size() == 1);
  REQUIRE_FALSE(listing.problems.empty());
  CHECK(listing.problems.front().find("symlink loop") != std::string::npos);
}

TEST_CASE("listing reports a missing root and keeps going", "[util]") {
  test::ScratchDir dir("missing-root");
  files::write_atomic(dir / "x.json", "{}");
  const files::Listing listing = files::list_recursive({dir / "nope", dir.path()}, ".json");
  CHECK(listing.files.size() == 1);
  REQUIRE(listing.problems.size() == 1);
  CHECK(listing.problems[0].find("nope") != std::string::npos);
}

TEST_CASE("write_atomic names its temporary so that it can be told from a user's file", "[util]") {
  CHECK(files::temporary_pid(".report.json.sitegen-tmp-4242-7") == 4242);
  CHECK(files::temporary_pid("report.json.tmp.4242.7") == 4242);          // earlier versions
  CHECK(files::temporary_pid("history.json.tmp.99.0") == 99);
  CHECK(files::temporary_pid("report.conflict-0123456789.json.tmp.5.1") == 5);
  CHECK(files::temporary_pid("thesis.tex.tmp.4242.7") == 0);              // not a name sitegen writes
  CHECK(files::temporary_pid("report.json.tmp.4242") == 0);
  CHECK(files::temporary_pid("report.json.tmp.x.7") == 0);
  CHECK(files::temporary_pid("report.json.sitegen-tmp-4242-7") == 0);     // ours are hidden
  CHECK(files::temporary_pid(".notes.sitegen-tmp-12-") == 0);
  CHECK(files::temporary_pid("report.json") == 0);
}

TEST_CASE("stale temporaries of a killed writer are removed, live ones and users' files kept", "[util]") {
  test::ScratchDir dir("stale-tmp");
  const long dead = test::dead_pid();
  const std::string live = std::to_string(::getppid());  // the test runner's parent is alive
  const std::vector<std::string> stale = {"a/run/report.json.tmp." + std::to_string(dead) + ".3",
                                          "a/run/.report.json.sitegen-tmp-" + std::to_string(dead) + "-0"};
  const std::vector<std::string> kept = {"a/run/report.json", "a/run/report.json.tmp." + live + ".1",
                                         "a/run/.notes.md.sitegen-tmp-" + live + "-2",
                                         "a/run/draft.txt.tmp." + std::to_string(dead) + ".1"};
  for (const auto& f : stale) files::write_atomic(dir / f, "half a report");
  for (const auto& f : kept) files::write_atomic(dir / f, "keep");
  const std::vector<fs::path> removed = files::remove_stale_temporaries(dir.path());
  CHECK(removed.size() == stale.size());
  for (const auto& f : stale) CHECK_FALSE(fs::exists(dir / f));
  for (const auto& f : kept) CHECK(files::read(dir / f) == "keep");
}
