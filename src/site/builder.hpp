#pragma once
// `sitegen build`: the static site from a results/ tree.

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sitegen::site {

struct BuildOptions {
  std::filesystem::path results = "results";
  std::filesystem::path site = "site";        // site.json, pricing.json, pages/*.md
  std::filesystem::path templates;            // empty: the templates embedded in the binary
  std::filesystem::path out = "_site";
  std::string base_url;                       // where the site is served ("/project/", "https://x.org/p/"): 404.html,
                                              // feed.xml links; og:url and feed ids when absolute
  bool clean = false;                         // a full build even when the output has a manifest
  unsigned threads = 0;                       // render workers; 0: one per core, at most 8
};

struct BuildSummary {
  std::size_t runs = 0;
  std::size_t configurations = 0;
  std::size_t pages = 0;                      // HTML pages written
  std::size_t files = 0;                      // every file in the site
  std::size_t written = 0;                    // files this build wrote (the rest were unchanged)
  bool incremental = false;                   // the previous build's manifest was used
  std::vector<std::string> problems;          // inputs skipped, each "file: where: what"
  // Wall time of each phase in seconds, in order ("load", "model", "render", "commit"): where a
  // build's time goes, for `sitegen build --timings` and the build benchmark.
  std::vector<std::pair<std::string, double>> phases;
};

// Builds the site beside out and moves it in, so a failed build leaves the previous site; see
// StagedOutput for the incremental rebuild. Pages are rendered on several threads. Inputs that fail to load are skipped and listed in problems; a template that
// does not parse, an unwritable output or an out that is not a site throws Error.
BuildSummary build_site(const BuildOptions& options);

}  // namespace sitegen::site
