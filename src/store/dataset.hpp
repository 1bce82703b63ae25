#pragma once
// A results/ tree loaded into configurations, each with every run, its latest run and the
// history of its headline figures; and the merged dataset document the site publishes as
// benchmark-results.json. Plain structs: the site renders straight from them.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/report.hpp"
#include "store/layout.hpp"
#include "util/error.hpp"

namespace sitegen::store {

// The headline figures of one run: what a trend chart needs. Written to the configuration's
// history.json so trends survive `sitegen prune`.
struct RunSummary {
  std::string run_id;
  long long attempt = 1;
  std::string started_at;                   // UTC ISO 8601, "" when unknown
  std::string status;                       // the report's status
  std::string git_sha;                      // "" when unknown
  long long completed = 0, failed = 0;      // requests over all points
  std::size_t points = 0;
  std::optional<double> max_output_tps;     // best output_throughput_tps over points
  std::optional<double> max_total_tps;      // best total throughput (tokens/s) over points
  std::optional<double> min_ttft_p50_ms;    // median TTFT at the lightest load point
  std::optional<double> min_tpot_p50_ms;    // median TPOT at the lightest load point
  bool pruned = false;                      // its report.json was removed; only this remains
  bool counts_unknown = false;              // no point gives request counts, but one has throughput or latency

  // True when the run has at least one successful request (it can be "latest"). A run whose
  // producer gives no request counts counts when it measured throughput or a latency.
  bool has_success() const { return completed > 0 || counts_unknown; }
};

// The summary of a report (pure).
RunSummary summarize(const model::Report& report);

// One run on disk.
struct Run {
  model::Report report;
  std::filesystem::path path;   // the report.json file
  std::string relative;         // its directory relative to the results root, '/'-separated
  std::string notes_md;         // notes.md beside the report, "" when there is none
  RunSummary summary;
  std::uint64_t fingerprint = 0;  // hash::of of the report.json bytes
};

// Every run of one configuration.
struct Configuration {
  ConfigKey key;
  std::string id;                      // key.id(), URL- and path-safe
  std::filesystem::path dir;           // <root>/<key.id()>
  std::vector<Run> runs;               // sorted by (run_id, attempt), oldest first
  std::optional<std::size_t> latest;   // index in runs: greatest run id with a successful request
  std::vector<RunSummary> history;     // every run ever seen (pruned ones too), oldest first

  // The latest run, or nullptr when no run has a successful request.
  const Run* latest_run() const;
  // The newest started_at (else run id) over runs and history, "" when none.
  std::string last_date() const;
};

// A loaded results tree.
struct Dataset {
  std::filesystem::path root;
  std::vector<Configuration> configurations;  // sorted by id
  std::vector<Problem> problems;              // files that failed to load; the others still count
  std::size_t run_count() const;              // runs with a report on disk
};

// Loads every report.json under root (recursively), validating each, with `threads` workers
// (0: up to 2). A file that fails to load is a problem, never an exception; a missing root is
// an empty dataset with one problem. Reads history.json files written by prune.
Dataset load_dataset(const std::filesystem::path& root, unsigned threads = 0);

// The history.json beside a configuration's runs: a JSON array of history_entry() objects.
std::filesystem::path history_path(const std::filesystem::path& config_dir);
model::Json summary_to_json(const RunSummary& summary);
// Throws Error naming file and pointer on a malformed entry.
RunSummary summary_from_json(const model::Json& json, const std::string& where);

// A configuration key as JSON: {"model", "precision", "hardware", "gpus", "engine", "benchmark"}.
model::Json key_json(const ConfigKey& key);
// Reads key_json's form; a key written before the workload joined it reads as "workload not
// stated". Throws Error naming `where` when a field is missing or of the wrong type.
ConfigKey key_from_json_at(const model::Json& json, const std::string& where);
// One history.json entry: {"config": key_json(key), ...summary_to_json(summary)}.
model::Json history_entry(const ConfigKey& key, const RunSummary& summary);

// The merged dataset document (schema "sitegen.dataset/v1"): every configuration with its key,
// latest run (full canonical report), run list, history, and `economics` as returned by the
// callback for the latest run (omitted when the callback is empty or there is no latest run).
// store/ knows nothing of econ/: the caller (site/, cli/) passes econ's JSON in. Its `problems`
// name files from the results directory on ("results/x/report.json"), not by where the tree lay
// on the machine that made the document.
using EconomicsJson = std::function<model::Json(const Configuration&, const Run& latest)>;
model::Json dataset_json(const Dataset& dataset, const EconomicsJson& economics = {});

}  // namespace sitegen::store
