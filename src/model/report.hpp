#pragma once
// report.json v1: the canonical result format every part of sitegen reads and writes.
// The field reference is site/pages/report-format.md; the JSON Schema is
// site/schema/report-v1.schema.json. Latency fields follow vLLM's definitions unless a Stat's
// `definition` says otherwise.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace sitegen::model {

using Json = nlohmann::ordered_json;

inline constexpr const char* k_schema_v1 = "sitegen.report/v1";

// Summary statistics of one metric at one load level. Units are in the field name that holds it
// (ttft_ms, e2el_ms, ...). Percentiles are (percent, value) pairs sorted by percent: p50, p90,
// p99, p99.9 are {50, v}, {90, v}, {99, v}, {99.9, v}.
struct Stat {
  std::optional<double> mean, median, std, min, max;
  std::vector<std::pair<double, double>> percentiles;
  std::optional<long long> count;  // number of samples the producer summarised, when known
  // Empty: the vLLM definition. Otherwise the producer's own definition, named, e.g.
  // "guidellm: (last_token - request_start) / output_tokens, includes TTFT".
  std::string definition;

  bool empty() const;
  // The value at `percent` if the producer gave it (50 falls back to median).
  std::optional<double> percentile(double percent) const;
  void set_percentile(double percent, double value);
};

// Per-request samples of one load level, aligned by index over successful requests.
struct Samples {
  std::vector<double> ttft_ms, tpot_ms, e2el_ms;
  std::vector<double> itl_ms;  // every chunk gap of every request, pooled (vLLM's ITL list)
  std::vector<long long> input_tokens, output_tokens;
  bool empty() const;
};

// Measured power and memory during one load level.
struct Telemetry {
  std::optional<double> avg_power_w, energy_j, peak_memory_gb, avg_gpu_util_pct;
  std::optional<double> joules_per_token;  // as reported or derived from energy and tokens
  std::string source;                      // "nvidia-smi", "dcgm", "producer", ...
  bool empty() const;
};

// One load level: a fixed concurrency or a request rate.
struct Point {
  std::optional<long long> concurrency;      // closed loop: in-flight requests
  std::optional<double> request_rate_rps;    // open loop: arrivals per second
  bool request_rate_inf = false;             // open loop with every request sent at t=0
  std::optional<double> burstiness;          // gamma shape; 1 = Poisson
  std::optional<double> duration_s;
  std::optional<long long> completed, failed;
  std::optional<long long> input_tokens, output_tokens;  // totals over successful requests
  std::optional<double> request_throughput_rps, output_throughput_tps, total_throughput_tps;
  std::optional<double> input_throughput_tps;
  Stat ttft_ms, tpot_ms, itl_ms, e2el_ms;
  Stat interactivity_tps;  // output tokens/s per user (1000 / TPOT ms per request)
  std::map<std::string, long long> errors;  // failure kind -> count ("http_500", "timeout")
  std::optional<bool> slo_held;
  std::optional<double> goodput_rps;
  Telemetry telemetry;
  Samples samples;
  Json extra = Json::object();  // producer fields with no canonical home, kept verbatim
};

// Where the numbers came from.
struct Provenance {
  std::string tool;          // "sitegen", "vllm bench serve", "sglang bench_serving", ...
  std::string tool_version;  // "" when unknown
  std::string source_file;   // the imported file, as given; "" for native runs
  std::string source_format; // importer name, e.g. "vllm"; "" for native runs
  std::string source_url;    // where the file was published, when known
  std::string run_id;        // sortable: "YYYYMMDD-HHMMSS" or with a suffix
  long long attempt = 1;
  std::string started_at, ended_at;  // UTC ISO 8601, "" when unknown
  std::string git_sha, git_ref;
  std::string ci_provider, ci_run_id, ci_runner;
  std::optional<long long> ci_attempt;
  std::string command;       // the exact command line that produced the numbers
  std::string target;        // what was measured: a base URL, "sim-server", a provider API
  std::string notes;
  Json extra = Json::object();
};

struct Gpu {
  std::string model;  // "RTX A5000", "H100 SXM", "" when unknown
  std::optional<long long> count;
  std::optional<double> memory_gb;
  std::string driver, cuda;
};

struct Engine {
  std::string name;     // "vllm", "sglang", "trtllm", ...
  std::string version, image;
  std::vector<std::string> args;
};

struct ModelInfo {
  std::string id;         // "meta-llama/Llama-3.1-8B-Instruct"
  std::string revision;
  std::string precision;  // "bf16", "fp8", "int4", ...
  std::string quantization;  // "awq", "gptq", "nvfp4", "" for none
};

struct Parallelism {
  std::optional<long long> tp, pp, dp, ep;
  bool disaggregated = false;
  Json prefill = Json::object(), decode = Json::object();  // per-role details when disaggregated
};

struct System {
  Gpu gpu;
  std::string host;
  Engine engine;
  ModelInfo model;
  Parallelism parallelism;
  Json extra = Json::object();
};

struct Workload {
  std::string benchmark;  // "serving", "smoke", "dev-load", ...
  std::string dataset;    // "random", "sharegpt", ...
  std::string endpoint;   // "/v1/chat/completions"
  std::optional<long long> input_len, output_len;  // nominal tokens per request
  std::string arrival;    // "concurrency", "rate", "" when unknown
  std::optional<long long> num_prompts, num_warmups;
  std::optional<double> slo_ttft_ms, slo_tpot_ms;
  Json extra = Json::object();
};

struct QualityResult {
  std::string task, metric;
  std::optional<double> score, baseline_score;
  std::string baseline_label;
};

// One team size of a capacity benchmark (N concurrent developers).
struct CapacityResult {
  long long team_size = 0;
  std::optional<bool> slo_held;
  std::optional<double> tokens_per_dev;
  std::optional<double> median_ttft_ms, median_tps_per_user;
  Json extra = Json::object();
};

struct Report {
  std::string schema = k_schema_v1;
  std::string status = "complete";  // "complete", "incomplete" (stopped early), "failed"
  std::string status_detail;
  Provenance provenance;
  System system;
  Workload workload;
  std::vector<Point> points;
  std::vector<QualityResult> quality;
  std::vector<CapacityResult> capacity;
  Json extra = Json::object();

  // Sum of completed requests over all points.
  long long completed_requests() const;
};

// The canonical JSON form. Absent optionals and empty strings are left out; key order is fixed,
// so the same report always serialises to the same bytes.
Json to_json(const Report& report);

// Reads a report from its JSON form. Expects a document that passed validation; fields of the
// wrong type throw Error naming the JSON pointer. `file` prefixes messages.
Report from_json(const Json& json, const std::string& file = "");

// to_json dumped with two-space indent and a trailing newline.
std::string dump(const Report& report);

// Stat <-> JSON (used by importers that build stats from producer objects).
Json stat_to_json(const Stat& stat);
Stat stat_from_json(const Json& json, const std::string& where);

// "p99", "p99.9", "p50": the key vLLM would write for a percentile.
std::string percentile_key(double percent);

}  // namespace sitegen::model
