#pragma once
// Page views: the data each page's mustache template renders (index, all runs, configuration,
// run, comparisons, 404). Paths in a view are relative to the page (every page gets `root`, "../"
// per directory level). The model and paths are in site_model.hpp, the sections every page
// about one report shares in report_view.hpp.

#include <cstdint>
#include <string>
#include <vector>

#include "site/site_model.hpp"
#include "site/templates.hpp"

namespace sitegen::site {

// Index table orderings: "" (peak throughput, index.html), "cost-owned", "cost-rented",
// "slo-load", "dev-month", "name". The file of each is index.html or index-by-<key>.html.
const std::vector<std::pair<std::string, std::string>>& index_orders();
std::string index_file(const std::string& order);

View index_view(const SiteModel& model, const std::string& order);
View config_view(const SiteModel& model, const store::Configuration& config);
View run_view(const SiteModel& model, const store::Configuration& config, const store::Run& run);
View engine_compare_view(const SiteModel& model, const std::string& key,
                         const std::vector<const store::Configuration*>& configs);
View variant_compare_view(const SiteModel& model, const std::string& key,
                          const std::vector<SiteModel::Variant>& variants);
View runs_view(const SiteModel& model);

// A hash of everything a run page is made of besides the templates and the common view: the
// run's report bytes, its notes, its configuration's title and the page paths. The builder keeps
// a run page from the previous build when this (and the rest) did not change.
std::uint64_t run_page_key(const SiteModel& model, const store::Configuration& config, const store::Run& run);

// 404.html: GitHub Pages serves it for a missing path at any depth, so its links are absolute
// under the base URL; without one they are relative to the site root.
View not_found_view(const std::string& base_url);

}  // namespace sitegen::site
