#pragma once
// The output directory. Every file is written beside its final place first
// ("<out>.sitegen-staging-<pid>"), so a build that fails leaves the previous site untouched.
//
// A full build stages the whole site and swaps the directory in with renames. When the output
// directory holds the manifest of an earlier build (.sitegen-manifest.json: every file with the
// hash of its content, and of the inputs it was made from where the builder gave one), the build
// is incremental: a page whose inputs did not change is kept without being rendered, a file whose
// content did not change is not rewritten, and only the changed files are moved in, each with an
// atomic rename, after everything has been rendered; files the build no longer produces are
// removed. A build interrupted while moving files in leaves a site the next build repairs, since
// the manifest is written last. `clean` forces a full build.
//
// write, copy and keep may be called from several threads at once.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sitegen::site {

class StagedOutput {
 public:
  // Prepares the staging directory beside out, after removing staging and old directories that
  // killed builds left beside it (see remove_stale_staging). Throws Error, before touching
  // anything, when out exists and is not a directory, is a non-empty directory without a
  // manifest (sitegen did not write it, so it is never emptied), or equals, contains or lies
  // inside one of `inputs` (the results, site settings and templates the build reads).
  explicit StagedOutput(std::filesystem::path out, bool clean = false,
                        const std::vector<std::filesystem::path>& inputs = {});
  // Removes the staging directory unless commit() ran.
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  // True when the previous build made `relative` from inputs hashing to `key` and the file is
  // still there as written: it is kept and need not be rendered. Always false in a full build.
  bool keep(const std::string& relative, std::uint64_t key);
  // Writes a file (relative path with '/'), creating directories; `key` (0: none) is the hash of
  // the inputs it was made from, for keep() in the next build. Throws Error naming the file.
  void write(const std::string& relative, std::string_view content, std::uint64_t key = 0);
  // Publishes a file whose content hashes to content_hash (hash::of of its bytes) as a hard link
  // where the file system allows and the file is readable by all, else as a copy; unchanged files
  // are not published again.
  void copy(const std::string& relative, const std::filesystem::path& source, std::uint64_t content_hash);

  std::size_t files() const;          // files in the site, written or kept
  std::size_t changed() const;        // files written or copied by this build
  bool incremental() const { return m_incremental; }
  const std::filesystem::path& staging() const { return m_tmp; }

  // Moves the new files in (see above) and writes the manifest. Throws Error when a rename fails.
  void commit();

  static constexpr const char* k_manifest = ".sitegen-manifest.json";
  // Beside out, a build stages into "<out>.sitegen-staging-<pid>" and moves the previous site
  // aside to "<out>.sitegen-old-<pid>"; nothing else is named so.
  static constexpr const char* k_staging_tag = ".sitegen-staging-";
  static constexpr const char* k_old_tag = ".sitegen-old-";

 private:
  struct Entry {
    std::uint64_t hash = 0;   // of the content
    std::uint64_t size = 0;
    std::uint64_t key = 0;    // of the inputs, 0 when not given
  };
  // True when out/relative exists with the size the manifest recorded.
  bool on_disk(const std::string& relative, const Entry& old) const;
  // True (and recorded as kept) when the previous build wrote the same content to relative and
  // it is still there.
  bool unchanged(const std::string& relative, const Entry& entry);
  void ensure_parent(const std::string& file);  // creates the directory file is in
  void record(const std::string& relative, const Entry& entry, bool staged);
  void load_manifest();
  std::string manifest_text() const;
  void commit_full();
  void commit_incremental();

  std::filesystem::path m_out, m_tmp;
  bool m_incremental = false;
  bool m_committed = false;
  std::map<std::string, Entry> m_previous;   // from the manifest of the previous build
  mutable std::mutex m_mutex;                // guards everything below
  std::map<std::string, Entry> m_entries;    // this build's files
  std::vector<std::string> m_staged;         // written into the staging directory
  std::set<std::string> m_dirs;              // staging directories known to exist
};

}  // namespace sitegen::site
