#pragma once
// Page views: the JSON each mustache template renders, built from the loaded inputs. Paths in a
// view are relative to the page (every page gets `root`, "../" per directory level).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "econ/economics.hpp"
#include "site/inputs.hpp"

namespace sitegen::site {

using Json = nlohmann::ordered_json;

// What the pages are computed from: inputs plus economics of every configuration's latest run.
struct SiteModel {
  const Inputs* inputs = nullptr;
  std::map<const store::Configuration*, econ::ConfigEconomics> economics;
  // Configurations with the same model, hardware, GPU count and benchmark but a different engine
  // or precision: one comparison page each, keyed by its file name under compare/.
  std::map<std::string, std::vector<const store::Configuration*>> engine_groups;
  // Baseline-vs-candidate groups (ISO-Bench): key -> runs labelled baseline/human/agent/...
  struct Variant {
    std::string label;
    const store::Run* run = nullptr;
    const store::Configuration* config = nullptr;
  };
  std::map<std::string, std::vector<Variant>> variant_groups;
};

// Computes economics and comparison groups.
SiteModel make_model(const Inputs& inputs);

// Site-relative paths of pages.
std::string config_path(const store::Configuration& config);    // configs/<id>/index.html
std::string run_path(const SiteModel& model, const store::Run& run);  // runs/<dir>/index.html
std::string run_dir(const SiteModel& model, const store::Run& run);   // runs/<dir>
// "../" repeated once per directory in path.
std::string root_of(const std::string& path);

// Index table orderings: "" (peak throughput, index.html), "cost-owned", "cost-rented",
// "slo-load", "dev-month", "name". The file of each is index.html or index-by-<key>.html.
const std::vector<std::pair<std::string, std::string>>& index_orders();
std::string index_file(const std::string& order);

// The layout's view: root ("../" per level of path, or root_override), title, site settings, nav.
Json common_view(const SiteModel& model, const std::string& path, const std::string& title,
                 const std::optional<std::string>& root_override = std::nullopt);
Json index_view(const SiteModel& model, const std::string& order);
Json config_view(const SiteModel& model, const store::Configuration& config);
Json run_view(const SiteModel& model, const store::Configuration& config, const store::Run& run);
Json engine_compare_view(const SiteModel& model, const std::string& key,
                         const std::vector<const store::Configuration*>& configs);
Json variant_compare_view(const SiteModel& model, const std::string& key,
                          const std::vector<SiteModel::Variant>& variants);
Json runs_view(const SiteModel& model);

// A hash of everything a run page is made of besides the templates and the common view: the
// run's report bytes, its notes, its configuration's title and the page paths. The builder keeps
// a run page from the previous build when this (and the rest) did not change.
std::uint64_t run_page_key(const SiteModel& model, const store::Configuration& config, const store::Run& run);

// The --base-url value checked ("" or a path starting with / or an http(s) URL, no characters
// that could leave an attribute) and ending with '/'. Throws Error otherwise.
std::string checked_base_url(const std::string& base_url);
// 404.html: GitHub Pages serves it for a missing path at any depth, so its links are absolute
// under the base URL; without one they are relative to the site root.
Json not_found_view(const std::string& base_url);

// The label of a run in a baseline-vs-candidate comparison ("baseline", "human", "agent", ...)
// and the key it is compared under; "" when the run is not part of one.
std::pair<std::string, std::string> variant_of(const model::Report& report);

}  // namespace sitegen::site
