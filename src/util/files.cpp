#include "util/files.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <set>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.hpp"

namespace sitegen::files {

namespace {

constexpr std::string_view k_temporary_tag = ".sitegen-tmp-";

// The number that text holds in full (digits only, no sign, not empty), else -1.
long whole_number(std::string_view text) {
  if (text.empty() || text.size() > 9) return -1;
  long n = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// "<pid><sep><n>" -> pid, else 0.
long pid_and_counter(std::string_view text, char sep) {
  const std::size_t at = text.find(sep);
  if (at == std::string_view::npos || whole_number(text.substr(at + 1)) < 0) return 0;
  const long pid = whole_number(text.substr(0, at));
  return pid > 0 ? pid : 0;
}

}  // namespace

std::string read(const fs::path& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path.string() + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  std::string out;
  // Sized by fstat and read in place; a file that grows meanwhile is read to its end all the same.
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && std::size_t(st.st_size) <= max_bytes) {
    out.resize(std::size_t(st.st_size) + 1);
  } else {
    out.resize(1 << 16);
  }
  std::size_t done = 0;
  while (true) {
    if (done == out.size()) out.resize(out.size() * 2);
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw Error(path.string() + ": read error: " + std::strerror(err));
    }
    if (n == 0) break;
    done += std::size_t(n);
    if (done > max_bytes) {
      ::close(fd);
      throw Error(path.string() + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  out.resize(done);
  return out;
}

void write_atomic(const fs::path& path, std::string_view content) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) throw Error(path.parent_path().string() + ": cannot create directory: " + ec.message());
  // Unique per process and call, so concurrent writers never share a temporary name.
  static std::atomic<unsigned> counter{0};
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + std::string(k_temporary_tag) +
                                             std::to_string(::getpid()) + "-" + std::to_string(counter++));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(tmp.string() + ": cannot create: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      throw Error(path.string() + ": write failed: " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw Error(path.string() + ": cannot flush to disk");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw Error(path.string() + ": cannot rename into place: " + why);
  }
}

long temporary_pid(std::string_view name) {
  // ".<name>.sitegen-tmp-<pid>-<n>"
  if (const std::size_t tag = name.rfind(k_temporary_tag); name.starts_with('.') && tag != std::string_view::npos && tag > 1) {
    return pid_and_counter(name.substr(tag + k_temporary_tag.size()), '-');
  }
  // Earlier versions: "<file>.tmp.<pid>.<n>", for the files sitegen writes into a results tree.
  const std::size_t tag = name.find(".tmp.");
  if (tag == std::string_view::npos) return 0;
  const std::string_view base = name.substr(0, tag);
  const bool ours = base == "report.json" || base == "notes.md" || base == "history.json" ||
                    (base.starts_with("report.conflict-") && base.ends_with(".json"));
  return ours ? pid_and_counter(name.substr(tag + 5), '.') : 0;
}

bool process_gone(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

std::vector<fs::path> remove_stale_temporaries(const fs::path& root) {
  std::vector<fs::path> removed;
  for (const fs::path& file : list_recursive({root}, "").files) {
    const long pid = temporary_pid(file.filename().native());
    if (pid == 0 || pid == ::getpid() || !process_gone(pid)) continue;
    if (::unlink(file.c_str()) == 0) removed.push_back(file);
  }
  return removed;
}

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void walk(const fs::path& dir, std::string_view suffix, std::set<std::pair<dev_t, ino_t>>& seen,
          Listing& out) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    out.problems.push_back(dir.string() + ": cannot read: " + std::strerror(err));
    return;
  }
  // A directory reached twice (a symlink loop, or two links to one place) is read once.
  if (!seen.insert({st.st_dev, st.st_ino}).second) {
    ::close(fd);
    out.problems.push_back(dir.string() + ": directory already visited (symlink loop?); skipped");
    return;
  }
  DIR* listing = ::fdopendir(fd);
  if (!listing) {
    const int err = errno;
    ::close(fd);
    out.problems.push_back(dir.string() + ": cannot list: " + std::strerror(err));
    return;
  }
  // The type the directory listing gives (d_type) saves a stat per entry; only symlinks and file
  // systems that do not report types cost one.
  std::vector<std::pair<std::string, unsigned char>> entries;
  errno = 0;
  while (const dirent* e = ::readdir(listing)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) entries.emplace_back(e->d_name, e->d_type);
  }
  if (errno != 0) out.problems.push_back(dir.string() + ": listing stopped: " + std::strerror(errno));
  ::closedir(listing);
  std::sort(entries.begin(), entries.end());
  for (const auto& [name, type] : entries) {
    const fs::path entry = dir / name;
    bool is_dir = type == DT_DIR, is_file = type == DT_REG;
    if (type == DT_LNK || type == DT_UNKNOWN) {
      struct stat target {};
      if (::stat(entry.c_str(), &target) != 0) {
        out.problems.push_back(entry.string() + ": " + std::strerror(errno));
        continue;
      }
      is_dir = S_ISDIR(target.st_mode);
      is_file = S_ISREG(target.st_mode);
    }
    if (is_dir) walk(entry, suffix, seen, out);
    else if (is_file && ends_with(name, suffix)) out.files.push_back(entry);
  }
}

}  // namespace

Listing list_recursive(const std::vector<fs::path>& roots, std::string_view suffix) {
  Listing out;
  std::set<std::pair<dev_t, ino_t>> seen;
  for (const fs::path& root : roots) {
    std::error_code ec;
    const fs::file_status status = fs::status(root, ec);
    if (ec || !fs::exists(status)) {
      out.problems.push_back(root.string() + ": no such file or directory");
    } else if (fs::is_directory(status)) {
      walk(root, suffix, seen, out);
    } else {
      out.files.push_back(root);
    }
  }
  return out;
}

std::string display(const fs::path& path, const fs::path& base) {
  if (!base.empty()) {
    const fs::path rel = path.lexically_relative(base);
    if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  }
  return path.generic_string();
}

}  // namespace sitegen::files
