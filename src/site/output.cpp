#include "site/output.hpp"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "model/json_io.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/hash.hpp"

namespace sitegen::site {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_manifest_schema = "sitegen.site-manifest/v1";

// Writes content to a new file (not atomically: the staging directory is private to this build).
void write_file(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(files::display(path) + ": cannot write: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      throw Error(files::display(path) + ": cannot write: " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw Error(files::display(path) + ": cannot write: " + std::strerror(errno));
}

// True when inner is outer or lies inside it (both absolute and normal).
bool within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // the empty element after a trailing '/'
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

// The output is replaced wholesale by a full build: it must share no file with what the build
// reads. Symlinks are resolved, so two names for one directory are caught.
void check_apart_from_inputs(const fs::path& out, const std::vector<fs::path>& inputs) {
  std::error_code ec;
  const fs::path o = fs::weakly_canonical(fs::absolute(out, ec), ec);
  for (const fs::path& input : inputs) {
    if (input.empty()) continue;
    const fs::path i = fs::weakly_canonical(fs::absolute(input, ec), ec);
    const char* how = i == o ? "is" : within(i, o) ? "contains" : within(o, i) ? "lies inside" : nullptr;
    if (!how) continue;
    throw Error("--out " + files::display(out) + ": refusing to build: the output directory " + how + " the input " +
                files::display(input) + ", and a build replaces the whole output directory; choose an --out "
                "outside every input");
  }
}

// Staging and old directories of builds that were killed: named by StagedOutput alone and
// carrying the builder's pid, removed when that process is gone.
void remove_stale_staging(const fs::path& out) {
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const std::string name = out.filename().string();
  std::error_code ec;
  for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    for (const std::string_view tag : {StagedOutput::k_staging_tag, StagedOutput::k_old_tag}) {
      const std::string prefix = name + std::string(tag);
      if (!entry.starts_with(prefix)) continue;
      const std::string digits = entry.substr(prefix.size());
      if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
      const long pid = std::stol(digits);
      std::error_code ignored;
      if (pid != ::getpid() && files::process_gone(pid)) fs::remove_all(it->path(), ignored);
    }
  }
}

std::uint64_t parse_hex(const nlohmann::json& j) {
  if (!j.is_string()) throw std::invalid_argument("not a string");
  return std::stoull(j.get<std::string>(), nullptr, 16);
}

}  // namespace

StagedOutput::StagedOutput(fs::path out, bool clean, const std::vector<fs::path>& inputs) : m_out(std::move(out)) {
  if (m_out.empty()) throw Error("--out: the output directory must not be empty");
  if (m_out.filename().empty()) m_out = m_out.parent_path();  // "_site/" -> "_site"
  check_apart_from_inputs(m_out, inputs);
  std::error_code ec;
  if (fs::exists(m_out, ec)) {
    if (!fs::is_directory(m_out, ec)) throw Error(files::display(m_out) + ": exists and is not a directory");
    if (!fs::is_empty(m_out, ec) && !fs::is_regular_file(m_out / k_manifest, ec)) {
      throw Error(files::display(m_out) + ": refusing to replace a non-empty directory that sitegen did not write "
                  "(it holds no " + k_manifest + "); choose another --out, or empty it yourself");
    }
    if (!clean) load_manifest();
  }
  remove_stale_staging(m_out);
  m_tmp = m_out.string() + k_staging_tag + std::to_string(::getpid());
  fs::remove_all(m_tmp, ec);
  fs::create_directories(m_tmp, ec);
  if (ec) throw Error(files::display(m_tmp) + ": cannot create the staging directory: " + ec.message());
}

StagedOutput::~StagedOutput() {
  if (m_committed) return;
  std::error_code ec;
  fs::remove_all(m_tmp, ec);
}

// A manifest that is missing or unreadable means a full build, never an error: it is a cache.
void StagedOutput::load_manifest() {
  std::error_code ec;
  const fs::path file = m_out / k_manifest;
  if (!fs::is_regular_file(file, ec)) return;
  try {
    const std::string text = files::read(file, std::size_t(256) << 20);
    if (!model::nesting_problem(text).empty()) return;
    const nlohmann::json j = nlohmann::json::parse(text);
    if (j.value("schema", "") != k_manifest_schema || !j.contains("files") || !j["files"].is_object()) return;
    std::map<std::string, Entry> previous;
    for (const auto& [relative, e] : j["files"].items()) {
      // The next build removes what the manifest lists: never a name that leaves the site.
      const fs::path rel(relative);
      if (rel.is_absolute() || rel.empty() ||
          std::any_of(rel.begin(), rel.end(), [](const fs::path& seg) { return seg == ".."; })) {
        return;
      }
      Entry entry;
      entry.hash = parse_hex(e.at("hash"));
      entry.size = e.at("size").get<std::uint64_t>();
      if (e.contains("key")) entry.key = parse_hex(e["key"]);
      previous.emplace(relative, entry);
    }
    m_previous = std::move(previous);
    m_incremental = true;
  } catch (const std::exception&) {
    m_previous.clear();
  }
}

// Written by hand, not through a JSON tree: it has an entry for every file of the site (20,000 for
// 10,000 runs) and is written after everything else, on one thread. The layout is what
// nlohmann's dump(1) writes, and load_manifest reads it back with nlohmann.
std::string StagedOutput::manifest_text() const {
  std::string out;
  out.reserve(128 + m_entries.size() * 120);
  auto quoted = [&out](std::string_view s) {
    const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\' && c != 0x7f;
    });
    if (plain) {
      out += '"';
      out.append(s);
      out += '"';
    } else {
      out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  };
  out += "{\n \"schema\": ";
  quoted(k_manifest_schema);
  out += ",\n \"about\": ";
  quoted("Written by sitegen build so the next build can keep unchanged files; not part of the results.");
  out += ",\n \"files\": {";
  bool first = true;
  for (const auto& [relative, e] : m_entries) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    quoted(relative);
    out += ": {\n   \"hash\": \"";
    out += hash::hex(e.hash);
    out += "\",\n   \"size\": ";
    out += std::to_string(e.size);
    if (e.key) {
      out += ",\n   \"key\": \"";
      out += hash::hex(e.key);
      out += '"';
    }
    out += "\n  }";
  }
  out += first ? "}\n}\n" : "\n }\n}\n";
  return out;
}

bool StagedOutput::on_disk(const std::string& relative, const Entry& old) const {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(m_out / relative, ec);
  return !ec && size == old.size;
}

void StagedOutput::ensure_parent(const std::string& file) {
  // Plain string work: the staging paths are ours ("<staging>/<relative>" with '/' separators).
  const std::size_t slash = file.rfind('/');
  if (slash == std::string::npos || slash == 0) return;
  const std::string dir = file.substr(0, slash);
  {
    std::lock_guard lock(m_mutex);
    if (m_dirs.count(dir)) return;
  }
  // One mkdir for a directory whose parent exists (the usual case: a run's directory inside its
  // configuration's); the parents first otherwise.
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    const int err = errno;
    if (err != ENOENT || dir == m_tmp.native()) throw Error(files::display(dir) + ": cannot create: " + std::strerror(err));
    ensure_parent(dir);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      throw Error(files::display(dir) + ": cannot create: " + std::strerror(errno));
    }
  }
  std::lock_guard lock(m_mutex);
  m_dirs.insert(dir);
}

void StagedOutput::record(const std::string& relative, const Entry& entry, bool staged) {
  std::lock_guard lock(m_mutex);
  m_entries[relative] = entry;
  if (staged) m_staged.push_back(relative);
}

bool StagedOutput::keep(const std::string& relative, std::uint64_t key) {
  if (!m_incremental || key == 0) return false;
  const auto old = m_previous.find(relative);
  if (old == m_previous.end() || old->second.key != key || !on_disk(relative, old->second)) return false;
  record(relative, old->second, false);
  return true;
}

bool StagedOutput::unchanged(const std::string& relative, const Entry& entry) {
  if (!m_incremental) return false;
  const auto old = m_previous.find(relative);
  if (old == m_previous.end() || old->second.hash != entry.hash || old->second.size != entry.size ||
      !on_disk(relative, old->second)) {
    return false;
  }
  record(relative, entry, false);
  return true;
}

void StagedOutput::write(const std::string& relative, std::string_view content, std::uint64_t key) {
  const Entry entry{hash::of(content), content.size(), key};
  if (unchanged(relative, entry)) return;
  const std::string path = m_tmp.native() + "/" + relative;
  ensure_parent(path);
  write_file(path, content);
  record(relative, entry, true);
}

void StagedOutput::copy(const std::string& relative, const fs::path& source, std::uint64_t content_hash) {
  struct stat st {};
  if (::stat(source.c_str(), &st) != 0) throw Error(files::display(source) + ": cannot read: " + std::strerror(errno));
  const Entry entry{content_hash, std::uint64_t(st.st_size), 0};
  if (unchanged(relative, entry)) return;
  const fs::path path = m_tmp / relative;
  ensure_parent(path);
  // A hard link where the file system allows: no bytes copied and no new inode, which is most of
  // the cost of publishing 10,000 reports. Nothing writes into a built site's files in place, and
  // sitegen replaces results files atomically, so the two names never see each other's edits.
  // A source only its owner may read is copied instead (the copy is readable by all, as the site is).
  const bool readable = (st.st_mode & (S_IRGRP | S_IROTH)) == (S_IRGRP | S_IROTH);
  if (readable && ::link(source.c_str(), path.c_str()) == 0) {
    record(relative, entry, true);
    return;
  }
  const int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0 || ::fstat(in, &st) != 0) {
    const int err = errno;
    if (in >= 0) ::close(in);
    throw Error(files::display(source) + ": cannot read: " + std::strerror(err));
  }
  const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = out < 0 ? errno : 0;
  // The kernel copies (no pass through this process); a short count means the source shrank.
  for (off_t done = 0; !err && done < st.st_size;) {
    const ssize_t n = ::sendfile(out, in, &done, std::size_t(st.st_size - done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) err = n < 0 ? errno : EIO;
  }
  ::close(in);
  if (out >= 0 && ::close(out) != 0 && !err) err = errno;
  if (err) throw Error(files::display(source) + ": cannot copy to " + files::display(path) + ": " + std::strerror(err));
  record(relative, Entry{content_hash, std::uint64_t(st.st_size), 0}, true);
}

std::size_t StagedOutput::files() const {
  std::lock_guard lock(m_mutex);
  return m_entries.size();
}

std::size_t StagedOutput::changed() const {
  std::lock_guard lock(m_mutex);
  return m_staged.size();
}

void StagedOutput::commit() {
  if (m_incremental) commit_incremental();
  else commit_full();
  m_committed = true;
}

// The whole staged tree replaces the old one: rename the old aside, the new in, delete the old.
void StagedOutput::commit_full() {
  write_file(m_tmp / k_manifest, manifest_text());
  std::error_code ec;
  const fs::path old = m_out.string() + k_old_tag + std::to_string(::getpid());
  fs::remove_all(old, ec);
  const bool had_old = fs::exists(m_out, ec);
  if (had_old) {
    fs::rename(m_out, old, ec);
    if (ec) throw Error(files::display(m_out) + ": cannot move the previous site aside: " + ec.message());
  }
  fs::rename(m_tmp, m_out, ec);
  if (ec) {
    std::error_code ignored;
    if (had_old) fs::rename(old, m_out, ignored);
    throw Error(files::display(m_out) + ": cannot move the new site in: " + ec.message());
  }
  if (had_old) fs::remove_all(old, ec);
}

// Only what changed moves: each staged file is renamed over its old version, then the files
// this build did not produce are removed, then the manifest is written.
void StagedOutput::commit_incremental() {
  std::error_code ec;
  std::set<std::string> made;
  for (const std::string& relative : m_staged) {
    const fs::path target = m_out / relative;
    const std::string dir = target.parent_path().native();
    if (!made.count(dir)) {
      fs::create_directories(target.parent_path(), ec);
      made.insert(dir);
    }
    fs::rename(m_tmp / relative, target, ec);
    if (ec) {
      throw Error(files::display(target) + ": cannot move the new file in: " + ec.message() +
                  " (the site may be partly updated; `sitegen build --clean` rebuilds it whole)");
    }
  }
  std::set<fs::path, std::greater<>> emptied;  // deepest first
  for (const auto& [relative, old] : m_previous) {
    if (m_entries.count(relative)) continue;
    const fs::path stale = m_out / relative;
    fs::remove(stale, ec);
    for (fs::path dir = stale.parent_path(); dir != m_out && dir.native().size() > m_out.native().size();
         dir = dir.parent_path()) {
      emptied.insert(dir);
    }
  }
  for (const fs::path& dir : emptied) {
    if (fs::is_empty(dir, ec)) fs::remove(dir, ec);
  }
  files::write_atomic(m_out / k_manifest, manifest_text());
  fs::remove_all(m_tmp, ec);
}

}  // namespace sitegen::site
