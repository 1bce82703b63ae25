#include "store/merge.hpp"

#include <cstdint>
#include <cstdio>
#include <ostream>
#include <system_error>

#include "model/check_files.hpp"
#include "model/json_io.hpp"
#include "model/validate.hpp"
#include "store/layout.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace sitegen::store {

namespace fs = std::filesystem;

namespace {

// FNV-1a, 64 bits: a short, stable name for a conflicting report's file.
std::string short_hash(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return std::string(buffer, 10);
}

bool has_control(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// A path-like name a report uses for its place in the tree. Slugging would make any name safe,
// but a name that tries to leave the tree is a sign of a broken or hostile producer: refuse it
// rather than file the report somewhere its author did not mean.
void check_name(std::string_view value, const char* pointer, bool allow_slash) {
  std::string problem;
  if (has_control(value)) problem = "contains a control character";
  else if (!value.empty() && (value.front() == '/' || value.front() == '\\')) problem = "is an absolute path";
  else if (!allow_slash && (value.find('/') != std::string_view::npos || value.find('\\') != std::string_view::npos))
    problem = "contains a path separator";
  else if (value.find('\\') != std::string_view::npos) problem = "contains a backslash";
  else {
    for (std::size_t start = 0; start <= value.size();) {
      const std::size_t end = std::min(value.find('/', start), value.size());
      if (value.substr(start, end - start) == "..") problem = "contains a '..' segment";
      start = end + 1;
    }
  }
  if (!problem.empty()) {
    throw Error(std::string(pointer) + ": '" + std::string(value) + "' " + problem +
                " and would leave the results tree");
  }
}

void check_safe_names(const model::Report& report) {
  check_name(report.system.model.id, "/system/model/id", true);
  check_name(report.system.model.precision, "/system/model/precision", false);
  check_name(report.system.gpu.model, "/system/gpu/model", false);
  check_name(report.system.engine.name, "/system/engine/name", false);
  check_name(report.workload.benchmark, "/workload/benchmark", false);
}

// The canonical bytes of the report already at `path`, or its raw bytes when it no longer
// parses (so a damaged file is never mistaken for an identical one).
std::string existing_canonical(const fs::path& path) {
  const std::string raw = files::read(path);
  try {
    return model::dump(model::from_json(model::parse_json(raw, path.string()), path.string()));
  } catch (const Error&) {
    return raw;
  }
}

MergeOutcome merge_one(const model::Report& report, const std::string& source, const fs::path& into) {
  MergeOutcome outcome;
  outcome.source = source;
  try {
    check_safe_names(report);
    const fs::path dir = into / relative_dir(report);
    outcome.path = dir / "report.json";
    const std::string content = model::dump(report);
    // What goes into the tree must read back: the same checks as `sitegen validate`.
    if (const std::vector<Problem> problems = model::check_report_text(content, source); !problems.empty()) {
      throw Error("not a valid report, not filed:\n" + model::error_lines(problems));
    }
    if (!fs::exists(outcome.path)) {
      files::write_atomic(outcome.path, content);
      outcome.kind = MergeOutcome::Kind::added;
      return outcome;
    }
    if (existing_canonical(outcome.path) == content) {
      outcome.kind = MergeOutcome::Kind::unchanged;
      return outcome;
    }
    // Same run id and attempt, different numbers: keep both and let a person decide.
    const fs::path beside = dir / ("report.conflict-" + short_hash(content) + ".json");
    const bool kept_before = fs::exists(beside);
    if (!kept_before) files::write_atomic(beside, content);
    outcome.kind = MergeOutcome::Kind::conflict;
    outcome.message = files::display(outcome.path) + " already holds a different report for run " +
                      report.provenance.run_id + " attempt " + std::to_string(report.provenance.attempt) +
                      "; " + source + (kept_before ? " was already kept beside as " : " is kept beside as ") +
                      files::display(beside) + " (neither was overwritten: compare them, keep one as report.json)";
    outcome.path = beside;
  } catch (const Error& e) {
    outcome.kind = MergeOutcome::Kind::refused;
    outcome.message = source + ": " + e.what();
  }
  return outcome;
}

// Copies notes.md from beside a source report.json when the run in the tree has none yet.
void copy_notes(const fs::path& source_file, const MergeOutcome& outcome) {
  if (outcome.kind != MergeOutcome::Kind::added && outcome.kind != MergeOutcome::Kind::unchanged) return;
  const fs::path notes = source_file.parent_path() / "notes.md";
  const fs::path target = outcome.path.parent_path() / "notes.md";
  std::error_code ec;
  if (source_file.filename() != "report.json" || !fs::is_regular_file(notes, ec) || fs::exists(target, ec)) return;
  files::write_atomic(target, files::read(notes));
}

}  // namespace

const char* kind_name(MergeOutcome::Kind kind) {
  switch (kind) {
    case MergeOutcome::Kind::added: return "added";
    case MergeOutcome::Kind::unchanged: return "unchanged";
    case MergeOutcome::Kind::conflict: return "conflict";
    case MergeOutcome::Kind::refused: return "refused";
  }
  return "?";
}

std::size_t MergeSummary::count(MergeOutcome::Kind kind) const {
  std::size_t n = 0;
  for (const MergeOutcome& o : outcomes) n += o.kind == kind;
  return n;
}

bool MergeSummary::ok() const {
  return count(MergeOutcome::Kind::conflict) == 0 && count(MergeOutcome::Kind::refused) == 0;
}

MergeSummary merge_reports(const std::vector<std::pair<model::Report, std::string>>& reports,
                           const fs::path& into) {
  MergeSummary summary;
  summary.stale_removed = files::remove_stale_temporaries(into);
  for (const auto& [report, source] : reports) summary.outcomes.push_back(merge_one(report, source, into));
  return summary;
}

MergeSummary merge_paths(const std::vector<fs::path>& sources, const fs::path& into) {
  MergeSummary summary;
  summary.stale_removed = files::remove_stale_temporaries(into);
  for (const fs::path& root : sources) {
    std::error_code ec;
    const bool named = !fs::is_directory(root, ec);
    const files::Listing listing = files::list_recursive({root}, named ? "" : ".json");
    for (const std::string& p : listing.problems) {
      summary.outcomes.push_back({MergeOutcome::Kind::refused, root.string(), {}, p});
    }
    for (const fs::path& file : listing.files) {
      model::Report report;
      try {
        const model::Json json = model::read_json_file(file);
        if (!named && !model::claims_to_be_report(json)) continue;  // other JSON in an artifact
        const std::vector<Problem> problems = model::validate_report(json, file.string());
        if (has_errors(problems)) {
          std::string message;
          for (const Problem& p : problems) {
            if (p.severity == Problem::Severity::error) message += (message.empty() ? "" : "\n") + p.str();
          }
          throw Error(message);
        }
        report = model::from_json(json, file.string());
      } catch (const Error& e) {
        summary.outcomes.push_back({MergeOutcome::Kind::refused, file.string(), {}, e.what()});
        continue;
      }
      MergeOutcome outcome = merge_one(report, file.string(), into);
      try {
        copy_notes(file, outcome);
      } catch (const Error& e) {
        outcome.message = "notes.md not copied: " + std::string(e.what());
      }
      summary.outcomes.push_back(std::move(outcome));
    }
  }
  return summary;
}

void print_summary(const MergeSummary& summary, std::ostream& out, const fs::path& base) {
  for (const fs::path& p : summary.stale_removed) {
    out << "removed " << files::display(p, base) << " (a temporary file left by a killed sitegen)\n";
  }
  for (const MergeOutcome& o : summary.outcomes) {
    switch (o.kind) {
      case MergeOutcome::Kind::added:
        out << "added " << files::display(o.path, base) << " (from " << o.source << ")\n";
        break;
      case MergeOutcome::Kind::unchanged: break;
      case MergeOutcome::Kind::conflict: out << "conflict: " << o.message << "\n"; break;
      case MergeOutcome::Kind::refused: out << "refused: " << o.message << "\n"; break;
    }
  }
  const std::size_t added = summary.count(MergeOutcome::Kind::added);
  const std::size_t conflicts = summary.count(MergeOutcome::Kind::conflict);
  if (added == 0 && conflicts == 0 && summary.count(MergeOutcome::Kind::refused) == 0) {
    out << "nothing changed: " << summary.outcomes.size() << " report(s) already in the tree\n";
    return;
  }
  out << added << " added, " << summary.count(MergeOutcome::Kind::unchanged) << " unchanged, " << conflicts
      << " conflict(s), " << summary.count(MergeOutcome::Kind::refused) << " refused\n";
}

}  // namespace sitegen::store
