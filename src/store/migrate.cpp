#include "store/migrate.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include "model/json_io.hpp"
#include "store/dataset.hpp"
#include "store/layout.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace sitegen::store {

namespace fs = std::filesystem;

namespace {

// True when every file of `src` (a run directory, flat) is in `dst` with the same bytes, so
// removing `src` loses nothing.
bool contained_in(const fs::path& src, const fs::path& dst) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(src, ec)) {
    if (!e.is_regular_file()) return false;
    const fs::path other = dst / e.path().filename();
    if (!fs::is_regular_file(other)) return false;
    if (files::read(e.path(), std::size_t(1) << 30) != files::read(other, std::size_t(1) << 30)) return false;
  }
  return !ec;
}

// The parts of a key that an old layout's history entry already knew.
bool same_but_workload(const ConfigKey& a, const ConfigKey& b) {
  return a.model == b.model && a.precision == b.precision && a.hardware == b.hardware && a.gpus == b.gpus &&
         a.benchmark == b.benchmark && (a.engine == b.engine || a.engine == "unknown");
}

struct Tree {
  std::vector<fs::path> reports, histories;
  std::map<fs::path, std::set<ConfigKey>> keys_of_dir;  // configuration directory -> keys of its runs
  std::set<fs::path> vacated;                           // directories that may be left empty
};

void move_run(const fs::path& root, const fs::path& file, bool dry_run, Tree& tree, MigrateSummary& out) {
  model::Report report;
  fs::path expected;
  try {
    report = model::read_report(file);
    expected = relative_dir(report);
  } catch (const Error& e) {
    out.problems.push_back(files::display(file) + ": left in place: " + e.what());
    return;
  }
  const fs::path src = file.parent_path();
  tree.keys_of_dir[src.parent_path()].insert(config_key(report));
  const std::string from = files::display(src, root), to = expected.generic_string();
  if (from == to) {
    ++out.in_place;
    return;
  }
  const fs::path dst = root / expected;
  if (fs::exists(dst)) {
    if (!contained_in(src, dst)) {
      out.problems.push_back(from + ": its content places it at " + to +
                             ", which holds different files; left in place (compare the two and keep one)");
      return;
    }
    if (!dry_run) fs::remove_all(src);
    out.moved.push_back(from + " -> " + to + " (already there, identical: old copy removed)");
  } else {
    if (!dry_run) {
      fs::create_directories(dst.parent_path());
      fs::rename(src, dst);
    }
    out.moved.push_back(from + " -> " + to);
  }
  tree.vacated.insert(src.parent_path());
}

// Where the history entries of one file go: key -> entries.
using Placement = std::map<ConfigKey, model::Json>;

bool place_history(const fs::path& root, const fs::path& file, const Tree& tree, Placement& placed,
                   MigrateSummary& out) {
  const fs::path dir = file.parent_path();
  const std::string shown = files::display(file, root);
  try {
    const model::Json doc = model::read_json_file(file);
    if (!doc.is_array()) throw Error(shown + ": expected a JSON array of run summaries");
    const auto runs = tree.keys_of_dir.find(dir);
    for (std::size_t i = 0; i < doc.size(); ++i) {
      const std::string where = shown + ": /" + std::to_string(i) + "/config";
      if (!doc[i].is_object() || !doc[i].contains("config")) throw Error(where + ": missing");
      ConfigKey key = key_from_json_at(doc[i]["config"], where);
      if (root / key.id() != dir && runs != tree.keys_of_dir.end()) {
        // An entry of an older layout: it follows its directory's runs when they agree on one key.
        std::vector<ConfigKey> candidates;
        for (const ConfigKey& k : runs->second)
          if (same_but_workload(key, k)) candidates.push_back(k);
        if (candidates.size() == 1) key = candidates.front();
      }
      model::Json entry = doc[i];
      entry["config"] = key_json(key);
      placed[key].push_back(std::move(entry));
    }
    return true;
  } catch (const Error& e) {
    out.problems.push_back(std::string(e.what()) + " (history left in place)");
    return false;
  }
}

std::string entry_id(const model::Json& e) {
  return e.value("config", model::Json::object()).dump() + "|" + e.value("run_id", std::string()) + "|" +
         std::to_string(e.value("attempt", 1LL));
}

void write_history(const fs::path& root, const fs::path& file, const Placement& placed, bool dry_run, Tree& tree,
                   MigrateSummary& out) {
  const fs::path dir = file.parent_path();
  const bool stays = placed.size() == 1 && root / placed.begin()->first.id() == dir;
  if (stays && model::read_json_file(file) == placed.begin()->second) return;
  for (const auto& [key, entries] : placed) {
    const fs::path target = history_path(root / key.id());
    model::Json doc = model::Json::array();
    if (target != file && fs::exists(target)) doc = model::read_json_file(target);
    std::set<std::string> present;
    for (const model::Json& e : doc) present.insert(entry_id(e));
    for (const model::Json& e : entries)
      if (present.insert(entry_id(e)).second) doc.push_back(e);
    if (!dry_run) {
      fs::create_directories(target.parent_path());
      files::write_atomic(target, doc.dump(2) + "\n");
    }
    out.history.push_back(files::display(file, root) + " -> " + files::display(target, root) + " (" +
                          std::to_string(entries.size()) + " entr" + (entries.size() == 1 ? "y" : "ies") + ")");
  }
  const bool rewritten = std::any_of(placed.begin(), placed.end(),
                                     [&](const auto& p) { return history_path(root / p.first.id()) == file; });
  if (!rewritten && !dry_run) fs::remove(file);
  tree.vacated.insert(dir);
}

// Removes directories the moves left empty, deepest first, never the root and never one that
// holds anything.
void remove_vacated(const fs::path& root, const Tree& tree) {
  std::set<fs::path> dirs;
  for (fs::path d : tree.vacated) {
    for (; d != root && d.has_relative_path() && d.string().size() > root.string().size(); d = d.parent_path())
      dirs.insert(d);
  }
  std::vector<fs::path> order(dirs.begin(), dirs.end());
  std::sort(order.begin(), order.end(), [](const fs::path& a, const fs::path& b) {
    return a.string().size() > b.string().size();
  });
  for (const fs::path& d : order) {
    std::error_code ec;
    if (fs::is_directory(d, ec) && fs::is_empty(d, ec)) fs::remove(d, ec);
  }
}

}  // namespace

MigrateSummary migrate(const fs::path& root, bool dry_run) {
  if (!fs::is_directory(root)) throw Error(files::display(root) + ": not a directory (the results tree to migrate)");
  MigrateSummary out;
  Tree tree;
  const files::Listing listing = files::list_recursive({root}, "");
  out.problems = listing.problems;
  for (const fs::path& f : listing.files) {
    const std::string name = f.filename().string();
    if (name == "report.json") tree.reports.push_back(f);
    else if (name == "history.json") tree.histories.push_back(f);
  }
  for (const fs::path& f : tree.reports) move_run(root, f, dry_run, tree, out);
  for (const fs::path& f : tree.histories) {
    Placement placed;
    if (place_history(root, f, tree, placed, out)) write_history(root, f, placed, dry_run, tree, out);
  }
  if (!dry_run) remove_vacated(root, tree);
  return out;
}

}  // namespace sitegen::store
