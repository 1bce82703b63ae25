#pragma once
// `sitegen prune --keep N`: retention for the results/ tree.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace sitegen::store {

struct PruneSummary {
  std::vector<std::filesystem::path> removed;  // run directories removed
  std::size_t kept = 0;                        // runs left on disk
  std::vector<std::string> problems;           // files that could not be read or removed
};

// Keeps the newest `keep` runs (by run id, then attempt) of every configuration under root and
// removes the directories of the others, after appending their summaries to the configuration's
// history.json (written atomically first, so an interrupted prune loses no history). The latest
// run (greatest run id with a successful request) is always kept, even beyond `keep`.
// Throws Error when keep < 1 or root is not a directory. dry_run lists without removing.
PruneSummary prune(const std::filesystem::path& root, std::size_t keep, bool dry_run = false);

}  // namespace sitegen::store
