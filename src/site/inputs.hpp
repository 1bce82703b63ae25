#pragma once
// What the site is built from: the results tree loaded by store::load_dataset, the pricing
// catalog, the site settings (site.json) and the markdown pages.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "econ/catalog.hpp"
#include "store/dataset.hpp"

namespace sitegen::site {

// Site settings from site.json; every field optional.
struct Settings {
  std::string title = "LLM serving benchmarks";
  std::string description = "Throughput, latency and cost of self-hosted LLM serving, measured.";
  std::string repo_url;
  std::string footer;
};

// A markdown page of site/pages/.
struct Page {
  std::string slug;   // "methodology" -> methodology.html
  std::string title;  // the first "# " heading, else the slug
  std::string markdown;
};

struct Inputs {
  store::Dataset dataset;
  std::optional<econ::Catalog> catalog;  // absent when it failed to load (a problem says why)
  Settings settings;
  std::vector<Page> pages;               // sorted by slug
  std::vector<std::string> problems;     // inputs skipped, "file: where: what"
  // Each run's directory in the site (under runs/), slugged per segment and unique.
  std::map<const store::Run*, std::string> run_dirs;
};

// Reads a site.json document (every field optional). Throws Error "file: /field: what" for a
// document that is not an object of strings or a repo_url that is not http(s).
Settings parse_settings(const model::Json& json, const std::string& file);

// Loads the results tree (a missing directory is an empty site with a problem), the catalog
// (site_dir/pricing.json, else the embedded one), settings and pages. Files that fail to load are
// problems naming them; the build goes on without them. A site.json that is not an object of
// strings throws Error naming it.
Inputs load_inputs(const std::filesystem::path& results, const std::filesystem::path& site_dir);

// The site directory of a run: its results-relative directory with every segment slugged.
std::string site_run_dir(const store::Run& run);

}  // namespace sitegen::site
