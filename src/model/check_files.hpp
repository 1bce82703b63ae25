#pragma once
// `sitegen validate`: check report files and directories of them.

#include <filesystem>
#include <string>
#include <string_view>
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

// The errors `sitegen validate` would report for this text as the report file `file`: larger
// than k_max_report_bytes, not JSON, nested too deep, or not a valid report. Every writer of a
// report checks its text with this first, so nothing sitegen writes is refused when read back.
std::vector<Problem> check_report_text(std::string_view text, const std::string& file);

// The errors of check_report_text as one message, one problem per line ("" when none).
std::string error_lines(const std::vector<Problem>& problems);

}  // namespace sitegen::model
