#pragma once
// Runs one load level against an HttpClient: warmups first (excluded), then the measured
// requests in a closed loop (fixed concurrency) or an open loop (arrivals on a schedule), and
// records every request's timestamps and outcome. Failures are recorded, never thrown.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bench/http_client.hpp"
#include "bench/schedule.hpp"
#include "bench/stream.hpp"

namespace sitegen::bench {

// One request to send: its JSON body and nominal prompt length.
struct RequestSpec {
  std::string body;
  long long input_len = 0;
};

// The outcome of one request. Times are client-clock nanoseconds.
struct RequestOutcome {
  std::int64_t intended_ns = 0;  // open loop: when the schedule wanted it sent; closed: = sent_ns
  std::int64_t sent_ns = 0;      // when it was handed to the client
  bool queued = false;           // open loop: held back by the concurrency cap (client queue)
  long long input_len = 0;
  StreamRecord stream;
  TransferResult transfer;
  std::string error_kind;        // "" for success, else http_<code>, timeout, connection,
                                 // malformed_stream, server_error_event, empty_stream, cancelled
  std::string error_message;
  bool ok() const { return error_kind.empty(); }
};

struct LevelRun {
  Level level;
  double burstiness = 1.0;
  std::vector<RequestOutcome> requests;  // the measured ones, in send order (warmups excluded)
  std::int64_t start_ns = 0, end_ns = 0;  // first measured send to last measured completion
  long long warmups = 0, warmup_failures = 0;
  bool interrupted = false;              // stopped before every request finished
};

struct Progress {
  std::string level;
  std::size_t level_index = 0, level_count = 1;
  std::size_t done = 0, total = 0, errors = 0;
  bool warmup = false;
  double elapsed_s = 0;
};

struct RunnerConfig {
  std::string url;                   // the endpoint, e.g. http://127.0.0.1:8000/v1/completions
  std::vector<std::string> headers;  // extra "Name: value" headers
  double timeout_s = 0;              // per request; 0 = none
  double burstiness = 1.0;
  std::uint64_t seed = 0;
  const std::atomic<bool>* stop = nullptr;            // set from a signal handler: stop cleanly
  std::function<void(const Progress&)> on_progress;   // called often; throttle inside
  std::size_t level_index = 0, level_count = 1;
};

// Sends the warmups then the requests at this level. Returns when all finished or, once *stop
// is set, after cancelling what is in flight (interrupted = true; cancelled requests get
// error_kind "cancelled"). Throws Error for a level without concurrency and rate.
LevelRun run_level(HttpClient& client, const RunnerConfig& config, const Level& level,
                   const std::vector<RequestSpec>& requests, const std::vector<RequestSpec>& warmups);

// Settles a finished request's error kind from its transfer and stream.
void classify(RequestOutcome& outcome);

}  // namespace sitegen::bench
