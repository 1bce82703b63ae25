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
