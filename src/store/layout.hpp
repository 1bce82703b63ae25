#pragma once
// The results/ tree: where a report lives, and what makes two runs the same configuration.
//   results/<model>-<precision>/<hardware>-<N>gpu/<benchmark>/<run_id>[.attempt-<k>]/report.json

#include <filesystem>
#include <string>

#include "model/report.hpp"

namespace sitegen::store {

// (model, precision, hardware, GPU count, engine, benchmark): runs of one configuration are
// comparable and form its history.
struct ConfigKey {
  std::string model, precision, hardware, engine, benchmark;
  long long gpus = 0;
  auto operator<=>(const ConfigKey&) const = default;

  // A stable, URL- and path-safe id: "<model>-<precision>/<hardware>-<N>gpu/<benchmark>[/<engine>]"
  // slugged, e.g. "llama-3.1-8b-instruct-bf16/rtx-a5000-1gpu/serving".
  std::string id() const;
};

// The configuration a report belongs to. Unknown parts become "unknown".
ConfigKey config_key(const model::Report& report);

// The report's directory relative to the results root:
// "<model>-<precision>/<hardware>-<N>gpu/<benchmark>/<run_id>" plus ".attempt-<k>" for k > 1.
// Every segment is slugged, so the path never leaves the tree. Throws Error when the run id is
// empty or holds characters outside [A-Za-z0-9._-] ("..", separators, control characters).
std::filesystem::path relative_dir(const model::Report& report);

}  // namespace sitegen::store
