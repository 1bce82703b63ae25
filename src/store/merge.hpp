#pragma once
// `sitegen merge`: gathering report.json files (e.g. the artifacts of a CI matrix of runners) into
// a results/ tree, each placed by its own content. Idempotent, atomic, and never loses a report.

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "model/report.hpp"

namespace sitegen::store {

// What happened to one report.
struct MergeOutcome {
  enum class Kind { added, unchanged, conflict, refused };
  Kind kind = Kind::added;
  std::string source;            // where the report came from (file path or "<import of X>")
  std::filesystem::path path;    // where it is (or would be) in the tree
  std::string message;           // for conflicts/refusals: why, naming both sides
};

struct MergeSummary {
  std::vector<MergeOutcome> outcomes;
  std::vector<std::filesystem::path> stale_removed;  // temporaries of killed writers, removed first
  std::size_t count(MergeOutcome::Kind kind) const;
  bool ok() const;               // no conflict and no refusal
};

// "added", "unchanged", "conflict", "refused".
const char* kind_name(MergeOutcome::Kind kind);

// Both merges first remove the temporaries that killed sitegen processes left under `into`
// (files::remove_stale_temporaries).
//
// Places each report by its own content (store::relative_dir) under `into`. Idempotent, atomic,
// never overwrites a different report (a conflict keeps both: the newcomer is written beside as
// report.conflict-<short hash>.json and reported), refuses unsafe names and refuses a report
// whose text `sitegen validate` would refuse (model::check_report_text), listing its problems.
// Two reports are "the same" when their canonical JSON (model::dump) is byte-identical.
MergeSummary merge_reports(const std::vector<std::pair<model::Report, std::string>>& reports,
                           const std::filesystem::path& into);

// Reads report.json files (files or directories, recursively) and merges them; unreadable or
// invalid files are outcomes of kind refused, the others still merged. In a directory, every
// *.json file that claims to be a sitegen report is read; other JSON files are skipped.
MergeSummary merge_paths(const std::vector<std::filesystem::path>& sources,
                         const std::filesystem::path& into);

// One line per outcome that is not "unchanged" plus a closing count, e.g.
// "added results/x/.../report.json (from a/report.json)" ... "3 added, 1 unchanged, 0 conflicts,
// 0 refused". Says "nothing changed" when every report was already there.
void print_summary(const MergeSummary& summary, std::ostream& out, const std::filesystem::path& base = {});

}  // namespace sitegen::store
