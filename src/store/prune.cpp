#include "store/prune.hpp"

#include <algorithm>
#include <set>
#include <system_error>

#include "model/json_io.hpp"
#include "store/dataset.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace sitegen::store {

namespace fs = std::filesystem;

namespace {

// Appends the summaries of runs about to be removed to history.json, skipping entries already
// there, so pruning twice (or after an interrupted prune) never duplicates history.
void append_history(const fs::path& config_dir, const ConfigKey& key, const std::vector<const Run*>& removed) {
  const fs::path path = history_path(config_dir);
  model::Json doc = model::Json::array();
  if (fs::exists(path)) {
    doc = model::read_json_file(path);
    if (!doc.is_array()) throw Error(path.string() + ": expected a JSON array of run summaries; fix or move it before pruning");
  }
  std::set<std::string> present;
  for (const model::Json& entry : doc) {
    if (!entry.is_object()) continue;
    present.insert(entry.value("config", model::Json::object()).dump() + "|" + entry.value("run_id", std::string()) +
                   "|" + std::to_string(entry.value("attempt", 1LL)));
  }
  const std::string config = key_json(key).dump();
  for (const Run* run : removed) {
    const std::string id = config + "|" + run->summary.run_id + "|" + std::to_string(run->summary.attempt);
    if (present.insert(id).second) doc.push_back(history_entry(key, run->summary));
  }
  files::write_atomic(path, doc.dump(2) + "\n");
}

}  // namespace

PruneSummary prune(const fs::path& root, std::size_t keep, bool dry_run) {
  if (keep < 1) throw Error("--keep must be at least 1 (the latest run of a configuration is always kept)");
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw Error(root.string() + ": results directory not found");
  const Dataset dataset = load_dataset(root);
  PruneSummary summary;
  for (const Problem& p : dataset.problems) {
    if (p.severity == Problem::Severity::error) summary.problems.push_back(p.str() + " (left untouched)");
  }
  for (const Configuration& config : dataset.configurations) {
    std::vector<const Run*> removed;
    const std::size_t n = config.runs.size();
    for (std::size_t i = 0; i < n; ++i) {
      const bool newest = i + keep >= n;
      if (newest || config.latest == i) {
        ++summary.kept;
      } else {
        removed.push_back(&config.runs[i]);
      }
    }
    if (removed.empty()) continue;
    for (const Run* run : removed) summary.removed.push_back(run->path.parent_path());
    if (dry_run) continue;
    // History first: if we stop between the two steps, a run is in history and still on disk,
    // which the dataset reads as one run, never as a lost one.
    append_history(config.dir, config.key, removed);
    for (const Run* run : removed) {
      fs::remove_all(run->path.parent_path(), ec);
      if (ec) summary.problems.push_back(run->path.parent_path().string() + ": cannot remove: " + ec.message());
    }
  }
  std::sort(summary.removed.begin(), summary.removed.end());
  return summary;
}

}  // namespace sitegen::store
