#pragma once
// sim-server: a simulated OpenAI-compatible streaming engine. Routes POST /v1/completions and
// /v1/chat/completions (streamed in vLLM's exact chunk format, or complete), GET /v1/models,
// /health and /version over the epoll HTTP server; times tokens with SimEngine; injects faults
// at chosen rates. Tests start it in-process on a thread (start/stop); the CLI runs it on the main
// thread (listen/run/request_stop).
//
// With `stamp`, every JSON chunk carries "sim_sent_ns": CLOCK_MONOTONIC nanoseconds read just
// before the chunk is formatted and written (one write per engine emission), so a client on the
// same machine can measure its own timestamp error.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "bench/sim_engine.hpp"

namespace sitegen::bench {

// Faults for the generation routes (/v1/completions, /v1/chat/completions). Each request draws
// from one generator seeded with `seed`, in arrival order, so a run is repeatable.
struct FaultConfig {
  double drop_rate = 0;         // close the connection mid-stream (after at least one chunk when possible)
  double stall_rate = 0;        // stop sending mid-stream, keep the connection open
  double http_5xx_rate = 0;     // answer 500 or 503 with a JSON error before streaming
  double malformed_rate = 0;    // insert one chunk that is not valid JSON; the stream goes on
  double error_event_rate = 0;  // vLLM's in-stream error event, then [DONE]
  bool no_response = false;     // read every generation request and never answer
  bool close_before_first_byte = false;  // read every generation request and close without a byte
  std::uint64_t seed = 1;
};

struct SimOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string model = "sitegen-sim";  // the served model name
  EngineConfig engine;
  FaultConfig faults;
  bool stamp = false;       // add "sim_sent_ns" to every chunk
  bool stagger = false;     // write a step's chunks spread evenly over the next step, not all at its end
  std::uint64_t seed = 0;   // pseudo-text and request ids
  int eos_after = 0;        // without ignore_eos, stop ("stop") after this many tokens; 0: never early
};

// Throws Error naming the flag when an option is out of range.
void check_sim_options(const SimOptions& options);

// Counters since start (read from any thread).
struct SimStats {
  std::uint64_t requests = 0;       // HTTP requests of every route
  std::uint64_t generations = 0;    // generation requests accepted into the engine
  std::uint64_t completed = 0;      // generations answered in full
  std::uint64_t rejected = 0;       // 4xx answers
  std::uint64_t disconnected = 0;   // the client went away before the end
  std::uint64_t fault_5xx = 0, fault_drop = 0, fault_stall = 0, fault_malformed = 0, fault_error_event = 0,
                fault_no_response = 0, fault_close = 0;
  std::uint64_t faults() const {
    return fault_5xx + fault_drop + fault_stall + fault_malformed + fault_error_event + fault_no_response + fault_close;
  }
};

class SimServer {
 public:
  explicit SimServer(SimOptions options);  // throws Error on invalid options
  ~SimServer();                            // stops and joins a started server
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  // Binds and listens; returns the port. Throws Error when the address cannot be bound.
  int listen();
  // Serves on this thread until request_stop().
  void run();
  // Makes run() return. Safe from any thread and from a signal handler.
  void request_stop();

  // listen(), then run() on a new thread; returns the port.
  int start();
  // request_stop() and join the thread started by start(). Idempotent.
  void stop();

  SimStats stats() const;
  const SimOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::thread m_thread;
};

}  // namespace sitegen::bench
