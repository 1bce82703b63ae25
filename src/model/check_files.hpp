#pragma once
// `sitegen validate`: check report files and directories of them.

#include <filesystem>
#include <vector>

#include "util/error.hpp"

namespace sitegen::model {

struct CheckResult {
  std::size_t checked = 0;  // files checked as reports
  std::size_t invalid = 0;  // files with at least one error
  std::size_t skipped = 0;  // JSON files in directories that do not claim to be reports
  std::vector<Problem> problems;
};

// Checks every path: a file named directly is always checked; in a directory (recursively)
// every *.json whose "schema" names a sitegen report is checked, others are skipped. Unreadable
// files, bad JSON, symlink loops: all reported as problems, and the other files still checked.
CheckResult check_report_files(const std::vector<std::filesystem::path>& paths);

}  // namespace sitegen::model
