#pragma once
// `sitegen compare`: the regression gate. Compares a BASE and a CANDIDATE (two report files, two
// configuration directories, or two results trees) point by point and metric by metric, and
// decides regressions with a noise-aware rule: a metric regresses when it is worse than its
// threshold AND, when both sides kept per-request samples, a Mann-Whitney U test says the shift is
// real (p < alpha). Without samples the threshold alone decides, and the verdict says so.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/report.hpp"

namespace sitegen::store {

// Which way is good for a metric.
enum class Better { higher, lower };

// One metric the gate checks, with its default threshold in percent.
struct MetricRule {
  std::string name;   // flag name: "ttft_p99"
  std::string label;  // table label: "TTFT p99 (ms)"
  Better better = Better::lower;
  double threshold_pct = 10;
  bool in_points = false;  // a share: delta and threshold in percentage points, not percent
};

// The metrics compared, in table order: throughput -5%, latency p50 +10%, p99 +20%, and the
// share of failed requests +1 percentage point.
const std::vector<MetricRule>& default_rules();

struct CompareOptions {
  std::map<std::string, double> thresholds;  // metric name -> percent, overriding the default
  double alpha = 0.05;                       // rank-test significance level
  std::size_t min_samples = 8;               // fewer per side: threshold only (the test is too weak)
  bool same_config_only = false;             // never compare one configuration with another
  bool allow_mismatch = false;               // compare even when workloads or engines differ
};

// Parses "metric=pct" (e.g. "ttft_p99=15" or "ttft_p99=15%") into options.thresholds. Throws Error
// for an unknown metric (with the closest name), a missing '=' or a percentage that is not a
// non-negative number.
void set_threshold(CompareOptions& options, std::string_view spec);

// The threshold in force for a rule.
double threshold_for(const MetricRule& rule, const CompareOptions& options);

struct MetricDelta {
  std::string metric, label;
  std::optional<double> base, candidate;
  std::optional<double> delta_pct;  // (candidate - base) / |base| * 100; for a share, candidate - base
  std::string delta_unit = "%";     // "%", or " pp" (percentage points) for a share
  double threshold_pct = 0;
  std::optional<double> p_value;    // when the rank test ran
  std::size_t base_samples = 0, candidate_samples = 0;
  bool regressed = false;
  std::string verdict;  // "regressed: +23.0% > 20% and p=0.001", "ok: +1.2% within 10%", ...
};

// One load level ("concurrency 16", "rate 4 rps", "rate inf").
struct PointComparison {
  std::string load;
  bool in_base = false, in_candidate = false;
  std::vector<MetricDelta> metrics;  // empty when the point is on one side only
};

struct ConfigComparison {
  std::string config;                        // configuration id, or "base-id -> candidate-id"
  std::string base_file, candidate_file;     // the report files compared, as displayed
  std::string base_run, candidate_run;       // their run ids
  // Workload or engine fields that differ ("input length 64 vs 2048"). Unless
  // options.allow_mismatch, a pair with any is not comparable: no point is compared and nothing
  // regresses.
  std::vector<std::string> mismatches;
  bool compared = true;                      // false: not comparable, points left uncompared
  std::vector<PointComparison> points;
};

struct Comparison {
  std::string base_path, candidate_path;
  std::vector<ConfigComparison> configs;
  std::vector<std::string> only_in_base, only_in_candidate;  // configuration ids not compared
  std::vector<std::string> problems;                          // files skipped: "file: what"

  std::size_t regressions() const;
  std::size_t missing_points() const;  // points of BASE absent from CANDIDATE
  std::size_t not_comparable() const;  // configuration pairs left uncompared for a mismatch
};

// Compares two reports directly. A change of model, precision, GPU or GPU count is a valid
// comparison; a change of workload (benchmark, dataset, input/output length, arrival) or engine
// (name, parallelism) is a mismatch, and the pair is not compared unless options.allow_mismatch.
ConfigComparison compare_reports(const model::Report& base, const model::Report& candidate,
                                 const CompareOptions& options);

// Loads both sides (a report file, or every report.json under a directory), keeps the latest run
// of each configuration and compares. When each side holds one configuration they are compared
// whatever their ids (unless options.same_config_only); otherwise configurations are matched by
// id and the rest listed as not compared. Throws Error when a side has no loadable report; files that fail to load on a side
// that has others are listed in problems.
Comparison compare_paths(const std::filesystem::path& base, const std::filesystem::path& candidate,
                         const CompareOptions& options);

// A markdown summary fit for $GITHUB_STEP_SUMMARY and a pull-request comment.
std::string to_markdown(const Comparison& comparison, const CompareOptions& options);

// The same as JSON, for scripts.
model::Json to_json(const Comparison& comparison);

}  // namespace sitegen::store
