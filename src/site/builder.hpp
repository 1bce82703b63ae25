#pragma once
// `sitegen build`: the static site from a results/ tree.

#include <filesystem>
#include <string>

namespace sitegen::site {

struct BuildOptions {
  std::filesystem::path results = "results";
  std::filesystem::path site = "site";
  std::filesystem::path templates;  // empty: the templates embedded in the binary
  std::filesystem::path out = "_site";
  std::string base_url;             // informational; every link is relative
};

struct BuildSummary {
  std::size_t runs = 0;
  std::size_t pages = 0;
  std::vector<std::string> problems;  // inputs skipped, each "file: where: what"
};

// Builds the site beside `out` and swaps it in, so a failed build leaves the previous site.
BuildSummary build_site(const BuildOptions& options);

}  // namespace sitegen::site
