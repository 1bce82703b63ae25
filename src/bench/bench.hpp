#pragma once
// `sitegen bench` as a library call: a sweep of load levels against an OpenAI-compatible
// server, each level one point of one report.json, with provenance gathered from the server, the
// machine and the CI environment.

#include <atomic>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "bench/dataset.hpp"
#include "bench/http_client.hpp"
#include "bench/runner.hpp"
#include "model/report.hpp"

namespace sitegen::bench {

struct BenchOptions {
  std::string base_url = "http://127.0.0.1:8000";
  std::string endpoint = "/v1/completions";  // or /v1/chat/completions
  std::string model;                          // "" = the first model /v1/models lists
  std::string max_concurrency;                // "1,4,16,64": a closed-loop sweep (or the open loop's cap)
  std::string request_rate;                   // "2,8,inf": an open-loop sweep
  double burstiness = 1.0;
  long long num_prompts = 1000;               // per level
  long long num_warmups = 0;                  // per level, excluded from the figures
  DatasetOptions dataset;
  bool ignore_eos = false;                    // forced for the random dataset, as vLLM does
  bool continuous_usage = false;              // ask for per-chunk usage (continuous_usage_stats)
  std::vector<std::string> goodput;           // "ttft:500", "tpot:50", "e2el:10000"
  double timeout_s = 600;                     // per request
  std::vector<std::string> headers;           // extra request headers "Name: value"
  std::vector<std::string> sets;              // --set PATH=VALUE report overrides
  std::string benchmark = "serving";          // workload.benchmark
  bool telemetry = false;                     // sample nvidia-smi during each level
  std::string command;                        // the exact command line, for provenance
};

// What a run needs from outside: the client, a stop flag (SIGINT/SIGTERM), where progress goes.
struct BenchIo {
  HttpClient& client;
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const Progress&)> on_progress;
  std::ostream* log = nullptr;  // one line per finished level; may be null
  // Server facts; by default query_server(base_url). Tests may replace it.
  bool query_server = true;
};

// Checks the options (sweep, SLOs, endpoint, counts) before anything is sent. Throws Error.
void check_options(const BenchOptions& options);

// The JSON body of one streamed request for a prompt.
std::string request_body(const BenchOptions& options, const std::string& model, const Prompt& prompt);

// Runs the sweep and returns the report: status "complete", or "incomplete" when *stop was set
// (the levels measured so far, the interrupted one included). Throws Error for bad options or a
// server that cannot be reached at the start; failures during the sweep are data.
model::Report run_bench(const BenchOptions& options, BenchIo& io);

}  // namespace sitegen::bench
