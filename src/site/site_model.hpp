#pragma once
// The site model: what the pages are computed from (the loaded inputs, the economics of every
// configuration's latest run, the comparison groups), where each page lives, and the layout's
// view that every page shares.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "econ/economics.hpp"
#include "site/inputs.hpp"
#include "site/templates.hpp"

namespace sitegen::site {

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
  // The index's sections: configurations serving one model (any precision) under one workload,
  // keyed "<base model>--<workload id>" (see model_group_key), in key order.
  struct ModelGroup {
    std::string title;  // "meta-llama/Llama-3.1-8B-Instruct · serving (sharegpt, concurrency)"
    std::vector<const store::Configuration*> configs;
  };
  std::map<std::string, ModelGroup> model_groups;
};

// The model a configuration serves, whatever its precision: the key's model with quantisation
// words dropped ("meta-llama-3.1-8b-instruct-awq-int4" -> "llama-3.1-8b-instruct").
std::string base_model(const std::string& model_slug);

// "<base model>--<workload id>": configurations with the same key answer the same question.
std::string model_group_key(const store::ConfigKey& key);

// Computes economics and comparison groups.
SiteModel make_model(const Inputs& inputs);

// Site-relative paths of pages.
std::string config_path(const store::Configuration& config);    // configs/<id>/index.html
std::string run_path(const SiteModel& model, const store::Run& run);  // runs/<dir>/index.html
std::string run_dir(const SiteModel& model, const store::Run& run);   // runs/<dir>
// "../" repeated once per directory in path.
std::string root_of(const std::string& path);

// What the layout shows on every page whose links start with root ("../" per directory level):
// the site settings and the navigation. The page adds its own root and title.
View common_view(const SiteModel& model, const std::string& root);
// A hash of what a page's common view holds, with its root and title.
std::uint64_t common_key(const SiteModel& model, const std::string& root, const std::string& title);
// The --base-url value checked ("" or a path starting with / or an http(s) URL, no characters
// that could leave an attribute) and ending with '/'. Throws Error otherwise.
std::string checked_base_url(const std::string& base_url);
// The label of a run in a baseline-vs-candidate comparison ("baseline", "human", "agent", ...)
// and the key it is compared under; "" when the run is not part of one.
std::pair<std::string, std::string> variant_of(const model::Report& report);

}  // namespace sitegen::site
