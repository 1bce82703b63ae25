#pragma once
// The results/ tree: where a report lives, and what makes two runs the same configuration.
//   results/<model>[-<precision>]/<hardware>[-<N>gpu]/<engine>[-tp<N>…]/<benchmark>-<workload>/
//           <run_id>[.attempt-<k>]/report.json
// A configuration is what was measured: model, precision, hardware and GPU count, engine and its
// parallelism, and the workload that changes the numbers (benchmark name, dataset, nominal input
// and output length, closed-loop concurrency or open-loop rate). Runs of one configuration are
// comparable and form its history; anything else is a different configuration.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/report.hpp"

namespace sitegen::store {

struct ConfigKey {
  std::string model, precision, hardware, engine, benchmark;  // slugs; "unknown" when not stated
  long long gpus = 0;                                         // 0: not stated
  std::optional<long long> tp, pp, dp, ep;                    // only degrees above 1
  std::string dataset;                                        // slug; "" when not stated
  std::optional<long long> input_len, output_len;             // nominal tokens per request
  std::string arrival;                                        // "concurrency", "rate", "" when not stated
  auto operator<=>(const ConfigKey&) const = default;

  // The configuration's directory under the results root, '/'-separated, every segment slugged:
  // "llama-3.1-8b-instruct-bf16/rtx-a5000-1gpu/vllm/serving-sharegpt-conc". Stable, URL- and
  // path-safe; also the configuration's page path.
  std::string id() const;

  // True when no workload field (dataset, lengths, arrival) is stated.
  bool workload_unstated() const;

  // The workload in words: "dataset random, input 1024 / output 128 tokens, closed loop
  // (concurrency)"; "workload not stated" when nothing is known.
  std::string workload_text() const;

  // The workload in a few words for titles: "random, 1024 in / 128 out, concurrency";
  // "workload not stated".
  std::string workload_short() const;

  // The engine in words: "vllm tp 8", "engine not stated".
  std::string engine_text() const;

  // The last segment of id(): benchmark and workload ("serving-random-in1024-out128-conc").
  std::string workload_id() const;
};

// The configuration a report belongs to. Unknown parts become "unknown" (strings) or stay unset.
// The arrival mode comes from /workload/arrival, else from the points (all concurrency: closed
// loop; all request rate: open loop).
ConfigKey config_key(const model::Report& report);

// What keeps two configurations from being compared like with like: each workload or engine
// field both state and that differs, in words ("input length 64 vs 2048", "engine vllm vs
// sglang"); empty when their workloads and engines agree. A field one side leaves unstated is not
// a conflict (nothing shows they differ); a parallelism degree left out is 1. Model, precision, hardware and GPU count may differ:
// comparing them (a quantised model, a new GPU) is what a comparison is for.
std::vector<std::string> mismatches(const ConfigKey& base, const ConfigKey& candidate);

// The report's directory relative to the results root: config_key(report).id() plus
// "/<run_id>" and ".attempt-<k>" for k > 1. Throws Error when the run id is empty or holds
// characters outside [A-Za-z0-9._-] ("..", separators, control characters).
std::filesystem::path relative_dir(const model::Report& report);

}  // namespace sitegen::store
