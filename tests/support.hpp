#pragma once
// Shared helpers for tests: run the CLI in-process, find fixtures, make scratch directories.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
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

// Compares `actual` with tests/golden/<relative>; SITEGEN_UPDATE_GOLDEN=1 rewrites the file.
// Returns "" when they match, else what is wrong (with the output, for the log).
inline std::string golden_mismatch_at(const std::string& relative, const std::string& actual) {
  const fs::path path = source("tests/golden/" + relative);
  const char* update = std::getenv("SITEGEN_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    return "";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return path.string() + " is missing; run with SITEGEN_UPDATE_GOLDEN=1 to write it";
  std::ostringstream expected;
  expected << in.rdbuf();
  if (expected.str() == actual) return "";
  return path.string() + " differs from the output; review and rerun with SITEGEN_UPDATE_GOLDEN=1\n" + actual;
}

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

// The id of a process that has exited and been reaped: what a killed sitegen leaves in the names
// of its temporaries.
inline long dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

// True when text holds what.
inline bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

}  // namespace sitegen::test
