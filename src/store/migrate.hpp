#pragma once
// `sitegen migrate`: moves a results tree written by an earlier layout (before the workload and
// the engine joined the configuration key) to the current one, losing no file.

#include <filesystem>
#include <string>
#include <vector>

namespace sitegen::store {

struct MigrateSummary {
  std::vector<std::string> moved;      // "old/dir -> new/dir", run directories moved whole
  std::size_t in_place = 0;            // runs already where their content places them
  std::vector<std::string> history;    // "old/history.json -> new/history.json (N entries)"
  std::vector<std::string> problems;   // what was left in place, and why
  bool ok() const { return problems.empty(); }
};

// Moves every run directory (report.json with everything beside it: notes.md, conflict files)
// to where store::relative_dir places its report, and rewrites history.json entries whose
// configuration key predates the workload: they follow the runs of their old configuration
// directory when those all moved to one new configuration, else they go to that configuration
// with "workload not stated" (their reports are gone, so nothing else can be known). A target
// that already exists is never overwritten: an identical report.json there means the old copy is
// removed (nothing is lost); anything else is left in place and listed in problems. Directories
// left empty by the moves are removed; nothing else is. dry_run says what would happen.
// Throws Error when root is not a directory. Idempotent.
MigrateSummary migrate(const std::filesystem::path& root, bool dry_run = false);

}  // namespace sitegen::store
