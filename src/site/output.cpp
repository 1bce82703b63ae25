#include "site/output.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "util/error.hpp"
#include "util/files.hpp"

namespace sitegen::site {

namespace fs = std::filesystem;

StagedOutput::StagedOutput(fs::path out) : m_out(std::move(out)) {
  if (m_out.empty()) throw Error("--out: the output directory must not be empty");
  if (m_out.filename().empty()) m_out = m_out.parent_path();  // "_site/" -> "_site"
  std::error_code ec;
  if (fs::exists(m_out, ec)) {
    if (!fs::is_directory(m_out, ec)) throw Error(files::display(m_out) + ": exists and is not a directory");
    if (!fs::is_empty(m_out, ec) && !fs::exists(m_out / "index.html", ec)) {
      throw Error(files::display(m_out) + ": refusing to replace a non-empty directory that holds no index.html "
                  "(it does not look like a built site); choose another --out");
    }
  }
  m_tmp = m_out.string() + ".tmp-" + std::to_string(::getpid());
  fs::remove_all(m_tmp, ec);
  fs::create_directories(m_tmp, ec);
  if (ec) throw Error(files::display(m_tmp) + ": cannot create the staging directory: " + ec.message());
}

StagedOutput::~StagedOutput() {
  if (m_committed) return;
  std::error_code ec;
  fs::remove_all(m_tmp, ec);
}

void StagedOutput::write(const std::string& relative, std::string_view content) {
  const fs::path path = m_tmp / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  f.close();
  if (!f) throw Error(files::display(path) + ": cannot write");
  ++m_files;
}

void StagedOutput::copy(const std::string& relative, const fs::path& source) {
  const fs::path path = m_tmp / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  fs::copy_file(source, path, fs::copy_options::overwrite_existing, ec);
  if (ec) throw Error(files::display(source) + ": cannot copy to " + files::display(path) + ": " + ec.message());
  ++m_files;
}

void StagedOutput::commit() {
  std::error_code ec;
  const fs::path old = m_out.string() + ".old-" + std::to_string(::getpid());
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
  m_committed = true;
  if (had_old) fs::remove_all(old, ec);
}

}  // namespace sitegen::site
