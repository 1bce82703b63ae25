#pragma once
// Shared helpers for tests: run the CLI in-process, find fixtures, make scratch directories.

#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"

namespace sitegen::test {

namespace fs = std::filesystem;

struct CliResult {
  int code = 0;
  std::string out, err;
};

// Runs `sitegen args...` in-process, as main() would.
inline CliResult run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), "sitegen");
  std::ostringstream out, err;
  CliResult r;
  r.code = cli::run(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// A file under the copied real fixtures (tests/fixtures, from ../shared/fixtures).
inline fs::path fixture(const std::string& relative) { return fs::path(SITEGEN_FIXTURES_DIR) / relative; }

// A path under the source tree.
inline fs::path source(const std::string& relative) { return fs::path(SITEGEN_SOURCE_DIR) / relative; }

// A fresh, empty directory for one test, removed when the object goes out of scope.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) {
    static int counter = 0;
    m_path = fs::temp_directory_path() /
             ("sitegen-test-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(m_path);
    fs::create_directories(m_path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return m_path; }
  fs::path operator/(const std::string& rel) const { return m_path / rel; }

 private:
  fs::path m_path;
};

}  // namespace sitegen::test
