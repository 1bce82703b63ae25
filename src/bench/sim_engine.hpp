#pragma once
// The timing model of sim-server: a continuous-batching engine reduced to arithmetic, with no
// sockets and no clock of its own, so tests drive it with chosen times.
//
// The engine runs in steps. At the start of a step, waiting requests join the running batch while
// there is room (at most max_batch sequences); the step then lasts
//   decode_step_ms + decode_step_ms_per_seq * batch + prefill_us_per_token * (prompt tokens joining)
// and at its end every running sequence emits: a joining sequence its first token (prefill makes
// one), the others tokens_per_chunk tokens each (several per step, like speculative decoding).
// Finished and cancelled sequences leave at the step's end, and the next step starts at once
// while any sequence runs or waits. A request arriving while a step runs waits for its end.

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_set>
#include <vector>

namespace sitegen::bench {

struct EngineConfig {
  double prefill_us_per_token = 50.0;  // microseconds of step time per prompt token joining
  double decode_step_ms = 8.0;         // step time with an empty batch
  double decode_step_ms_per_seq = 0.07;  // added step time per running sequence
  int max_batch = 256;                 // running sequences at most; more requests queue
  int tokens_per_chunk = 1;            // tokens each decode step emits per sequence
  int max_model_len = 8192;            // prompt + output tokens at most (checked by the server)
};

// Throws Error naming the flag when a value is out of range.
void check_engine_config(const EngineConfig& config);

// One sequence's output at the end of a step.
struct Emission {
  std::uint64_t id = 0;
  int tokens = 0;          // tokens in this chunk (1 for the first)
  int generated = 0;       // tokens so far, this chunk included
  bool first = false;      // the first output of the sequence (its prefill finished)
  bool finished = false;   // the sequence reached its output length
};

class SimEngine {
 public:
  explicit SimEngine(EngineConfig config);  // throws Error on an invalid config

  // A request arriving at now_ns: it joins the batch at the next step start (at once when idle).
  // output_tokens < 1 counts as 1. Ids must be unique among live sequences.
  void submit(std::uint64_t id, int prompt_tokens, int output_tokens, std::int64_t now_ns);
  // Forgets a waiting or running sequence (a running one frees its slot at the step's end).
  // False when the id is not live.
  bool cancel(std::uint64_t id);
  // When the current step ends; nothing when idle.
  std::optional<std::int64_t> step_end() const;
  // When the current step has ended by now_ns: its emissions, in batch order; then the next step
  // starts at now_ns. Before the step's end (or when idle) returns nothing.
  std::vector<Emission> advance(std::int64_t now_ns);

  // The length of a step with `batch` running sequences and `prefill_tokens` joining.
  std::int64_t step_ns(std::size_t batch, std::int64_t prefill_tokens) const;
  std::size_t running() const { return m_running.size(); }
  std::size_t waiting() const { return m_waiting.size(); }
  const EngineConfig& config() const { return m_config; }

 private:
  struct Seq {
    std::uint64_t id = 0;
    int prompt_tokens = 0;
    int target = 1;
    int generated = 0;
  };
  void start_step(std::int64_t now_ns);

  EngineConfig m_config;
  std::deque<Seq> m_waiting;
  std::vector<Seq> m_running;
  std::unordered_set<std::uint64_t> m_live;
  std::unordered_set<std::uint64_t> m_cancelled;
  std::optional<std::int64_t> m_step_end;
};

}  // namespace sitegen::bench
