#pragma once
// Facts a benchmark gathers about what it measured, by itself: the server's /v1/models and
// version endpoint, the GPUs from nvidia-smi, the CI environment, and --set overrides.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/report.hpp"

namespace sitegen::bench {

// What the server says about itself. Each field is empty when the server did not say.
struct ServerInfo {
  std::vector<std::string> models;  // /v1/models data[].id
  model::Json models_raw;           // the /v1/models document (null when absent)
  std::string version;              // /version "version"
  bool simulator = false;           // the version names sitegen's sim-server
};

// GETs base_url + "/v1/models" and "/version". Throws Error when /v1/models cannot be reached or
// is not an OpenAI model list (the benchmark could not run anyway); a missing /version is fine.
ServerInfo query_server(const std::string& base_url, double timeout_s);

// Reads a /v1/models body. Throws Error naming `where` when it is not {"data": [{"id": ...}]}.
std::vector<std::string> parse_models(std::string_view body, const std::string& where);

// The GPUs of this machine, from nvidia-smi --query-gpu=name,memory.total,driver_version.
struct GpuInventory {
  std::string model;  // the first GPU's name ("NVIDIA H100 80GB HBM3")
  long long count = 0;
  double memory_gb = 0;  // per GPU
  std::string driver;
};

// Parses that query's CSV (noheader, nounits: "name, MiB, driver" per line). nullopt for no line.
std::optional<GpuInventory> parse_gpu_inventory(std::string_view csv);

// Runs nvidia-smi; nullopt when it is absent or fails (unknown, not an error).
std::optional<GpuInventory> query_gpus();

// Fills provenance.ci_* and git_* from GitHub Actions variables (GITHUB_SHA, GITHUB_REF,
// GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, RUNNER_NAME); `getenv` is injectable for tests.
void apply_ci_environment(model::Provenance& provenance, const char* (*getenv)(const char*));

// Applies "--set system.gpu.model=H100" style overrides: a dotted path into the report's JSON
// form and a value (a JSON number, true/false, or else a string). Throws Error naming the item
// when it has no '=' or the path leads through something that is not an object, or the result
// is not a valid report field.
model::Report apply_overrides(const model::Report& report, const std::vector<std::string>& items);

// "20260522-143001" for a UTC time point (seconds since the epoch), and its ISO 8601 form.
std::string run_id_for(long long unix_seconds);
std::string iso_utc(long long unix_seconds);

}  // namespace sitegen::bench
