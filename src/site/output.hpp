#pragma once
// The output directory, built beside its final place and swapped in, so a failed build leaves
// the previous site untouched and a reader never sees half a site.

#include <filesystem>
#include <string>
#include <string_view>

namespace sitegen::site {

class StagedOutput {
 public:
  // Prepares "<out>.tmp-<pid>" beside out. Throws Error when out exists and is not a directory,
  // or is a non-empty directory without index.html (never replace something that is not a site).
  explicit StagedOutput(std::filesystem::path out);
  // Removes the staging directory unless commit() ran.
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  // Writes a file under the staging directory (relative path with '/'), creating directories.
  // Throws Error naming the file on failure.
  void write(const std::string& relative, std::string_view content);
  // Copies a file into the staging directory.
  void copy(const std::string& relative, const std::filesystem::path& source);
  std::size_t files() const { return m_files; }
  const std::filesystem::path& staging() const { return m_tmp; }

  // Swaps the staging directory in: the old site is renamed aside, the new one renamed in, the
  // old one deleted. Throws Error when a rename fails (the old site is restored).
  void commit();

 private:
  std::filesystem::path m_out, m_tmp;
  std::size_t m_files = 0;
  bool m_committed = false;
};

}  // namespace sitegen::site
