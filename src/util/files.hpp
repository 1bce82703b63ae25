#pragma once
// Reading and writing files. Writes are atomic: a reader never sees a half-written file.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sitegen::files {

namespace fs = std::filesystem;

// The whole file as bytes. Throws Error naming the path when it cannot be read or is larger
// than max_bytes.
std::string read(const fs::path& path, std::size_t max_bytes = std::size_t(1) << 30);

// Writes content to a temporary file beside path, flushes it and renames it over path, creating
// parent directories. Throws Error on failure and leaves no temporary file behind. The temporary
// is named ".<name>.sitegen-tmp-<pid>-<n>" (temporary_pid recognises it), so one left by a killed
// process can be told from a user's file and removed later.
void write_atomic(const fs::path& path, std::string_view content);

// The process id in the name of a temporary that write_atomic writes, or 0 when the name is not
// one: ".<name>.sitegen-tmp-<pid>-<n>", and the names of earlier versions for the files sitegen
// writes into a results tree ("report.json.tmp.<pid>.<n>", also for notes.md, history.json and
// report.conflict-<hash>.json).
long temporary_pid(std::string_view filename);

// True when no process has this id (kill(pid, 0) fails with ESRCH); a process of another user
// counts as alive.
bool process_gone(long pid);

// Removes the temporaries (temporary_pid) under root whose process is gone: what a killed
// writer left behind. Returns the files removed; a file that cannot be removed is skipped.
std::vector<fs::path> remove_stale_temporaries(const fs::path& root);

// Files under each root whose name ends with suffix (every file when suffix is empty), sorted,
// recursing into directories. A root that is a file is returned as is. Symlink loops, unreadable
// directories and missing roots are reported in problems, never thrown or looped over.
struct Listing {
  std::vector<fs::path> files;
  std::vector<std::string> problems;  // "path: what went wrong"
};
Listing list_recursive(const std::vector<fs::path>& roots, std::string_view suffix);

// The path with forward slashes, relative to base when it lies under it (for messages and links).
std::string display(const fs::path& path, const fs::path& base = {});

}  // namespace sitegen::files
