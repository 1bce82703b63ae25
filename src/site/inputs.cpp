#include "site/inputs.hpp"

#include <algorithm>
#include <set>

#include "model/json_io.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace sitegen::site {

namespace fs = std::filesystem;

Settings parse_settings(const model::Json& j, const std::string& file) {
  Settings s;
  if (!j.is_object()) throw Error(file + ": expected a JSON object of site settings");
  auto get = [&](const char* key, std::string& into) {
    if (!j.contains(key)) return;
    if (!j[key].is_string()) throw Error(file + ": /" + key + ": expected a string");
    into = j[key].get<std::string>();
  };
  get("title", s.title);
  get("description", s.description);
  get("repo_url", s.repo_url);
  get("footer", s.footer);
  if (!s.repo_url.empty() && !s.repo_url.starts_with("https://") && !s.repo_url.starts_with("http://")) {
    throw Error(file + ": /repo_url: expected an http(s) URL, got '" + s.repo_url + "'");
  }
  return s;
}

namespace {

std::string first_heading(const std::string& md, const std::string& fallback) {
  for (const std::string& line : strings::split(md, '\n')) {
    if (line.starts_with("# ")) return std::string(strings::trim(line.substr(2)));
  }
  return fallback;
}

Settings load_settings(const fs::path& site_dir) {
  const fs::path file = site_dir / "site.json";
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return {};
  return parse_settings(model::read_json_file(file), files::display(file));
}

std::vector<Page> load_pages(const fs::path& site_dir) {
  std::vector<Page> pages;
  std::error_code ec;
  if (!fs::is_directory(site_dir / "pages", ec)) return pages;
  for (const fs::path& file : files::list_recursive({site_dir / "pages"}, ".md").files) {
    Page p;
    p.slug = strings::slug(file.stem().string());
    p.markdown = files::read(file, std::size_t(4) << 20);
    p.title = first_heading(p.markdown, p.slug);
    pages.push_back(std::move(p));
  }
  std::sort(pages.begin(), pages.end(), [](const Page& a, const Page& b) { return a.slug < b.slug; });
  return pages;
}

}  // namespace

std::string site_run_dir(const store::Run& run) {
  std::vector<std::string> parts;
  for (const std::string& seg : strings::split(run.relative, '/')) {
    if (seg.empty() || seg == "." || seg == "..") continue;
    parts.push_back(strings::slug(seg));
  }
  if (parts.empty()) parts.push_back(strings::slug(run.report.provenance.run_id));
  return strings::join(parts, "/");
}

Inputs load_inputs(const fs::path& results, const fs::path& site_dir) {
  Inputs in;
  in.dataset = store::load_dataset(results);
  // Errors are files that did not load, so they are not in the site; warnings say themselves
  // what became of the file (a misfiled report is published, a conflict file is not).
  for (const Problem& p : in.dataset.problems) {
    in.problems.push_back(p.str() + (p.severity == Problem::Severity::error ? " (skipped)" : ""));
  }
  std::set<std::string> taken;
  for (const store::Configuration& c : in.dataset.configurations) {
    for (const store::Run& run : c.runs) {
      const std::string base = site_run_dir(run);
      std::string dir = base;
      for (int n = 2; taken.count(dir); ++n) dir = base + "-" + std::to_string(n);
      taken.insert(dir);
      in.run_dirs[&run] = dir;
    }
  }
  try {
    in.catalog = econ::default_catalog(site_dir);
    // Pages name the catalog from the site directory on ("site/pricing.json"), never by where
    // the checkout lay on the machine that built them.
    const fs::path file = site_dir / "pricing.json";
    const fs::path dir = site_dir.filename().empty() ? site_dir.parent_path() : site_dir;  // "site/"
    if (in.catalog->file == file.string()) in.catalog->file = files::display(dir / "pricing.json", dir.parent_path());
  } catch (const Error& e) {
    in.problems.push_back(std::string(e.what()) + " (economics left out)");
  }
  in.settings = load_settings(site_dir);
  in.pages = load_pages(site_dir);
  return in;
}

}  // namespace sitegen::site
