#include <catch2/catch.hpp>

#include <map>

#include "bench/sim_engine.hpp"
#include "util/error.hpp"

using namespace sitegen;
using namespace sitegen::bench;

namespace {

constexpr std::int64_t k_ms = 1'000'000;

struct Timed {
  std::int64_t at = 0;
  Emission e;
};

// Runs the engine from step end to step end until it is idle; every emission with its time.
std::vector<Timed> run_to_idle(SimEngine& engine) {
  std::vector<Timed> out;
  for (int guard = 0; guard < 100000 && engine.step_end(); ++guard) {
    const std::int64_t t = *engine.step_end();
    for (const Emission& e : engine.advance(t)) out.push_back({t, e});
  }
  return out;
}

std::int64_t first_token_at(const std::vector<Timed>& events, std::uint64_t id) {
  for (const Timed& t : events) {
    if (t.e.id == id && t.e.first) return t.at;
  }
  return -1;
}

std::int64_t last_token_at(const std::vector<Timed>& events, std::uint64_t id) {
  std::int64_t at = -1;
  for (const Timed& t : events) {
    if (t.e.id == id) at = t.at;
  }
  return at;
}

EngineConfig config(double prefill_us, double step_ms, double per_seq_ms, int max_batch, int tokens_per_chunk = 1) {
  EngineConfig c;
  c.prefill_us_per_token = prefill_us;
  c.decode_step_ms = step_ms;
  c.decode_step_ms_per_seq = per_seq_ms;
  c.max_batch = max_batch;
  c.tokens_per_chunk = tokens_per_chunk;
  return c;
}

}  // namespace

TEST_CASE("time to first token grows with the prompt length", "[sim]") {
  auto ttft = [](int prompt) {
    SimEngine engine(config(100, 10, 0, 8));
    engine.submit(1, prompt, 3, 0);
    return first_token_at(run_to_idle(engine), 1);
  };
  // One step: 10 ms plus 100 us per prompt token.
  CHECK(ttft(100) == 20 * k_ms);
  CHECK(ttft(1000) == 110 * k_ms);
}

TEST_CASE("requests beyond the maximum batch queue until a slot frees", "[sim]") {
  SimEngine engine(config(0, 10, 0, 2));
  engine.submit(1, 10, 3, 0);  // starts a step at once, alone
  engine.submit(2, 10, 3, 0);  // these wait for its end
  engine.submit(3, 10, 3, 0);
  CHECK(engine.running() == 1);
  CHECK(engine.waiting() == 2);
  const auto events = run_to_idle(engine);
  // Steps end every 10 ms. 2 joins at 10 ms; 3 finds the batch full until 1 leaves at 30 ms.
  CHECK(first_token_at(events, 1) == 10 * k_ms);
  CHECK(last_token_at(events, 1) == 30 * k_ms);
  CHECK(first_token_at(events, 2) == 20 * k_ms);
  CHECK(first_token_at(events, 3) == 40 * k_ms);
  CHECK(last_token_at(events, 3) == 60 * k_ms);
}

TEST_CASE("a request arriving mid-step waits for the step boundary", "[sim]") {
  SimEngine engine(config(0, 10, 0, 8));
  engine.submit(1, 1, 5, 0);
  engine.submit(2, 1, 5, 4 * k_ms);  // during the first step
  const auto events = run_to_idle(engine);
  CHECK(first_token_at(events, 1) == 10 * k_ms);
  CHECK(first_token_at(events, 2) == 20 * k_ms);
}

TEST_CASE("decode step time grows with the batch size", "[sim]") {
  SimEngine engine(config(0, 10, 0.5, 64));
  CHECK(engine.step_ns(1, 0) == std::int64_t(10.5 * k_ms));
  CHECK(engine.step_ns(40, 0) == 30 * k_ms);
  // Observed: the inter-token gap with 40 running sequences is 30 ms, with 1 it is 10.5 ms.
  for (std::uint64_t id = 0; id < 40; ++id) engine.submit(id, 0, 4, 0);
  const auto events = run_to_idle(engine);
  CHECK(last_token_at(events, 0) - first_token_at(events, 0) == 3 * 30 * k_ms);
  SimEngine alone(config(0, 10, 0.5, 64));
  alone.submit(7, 0, 4, 0);
  const auto solo = run_to_idle(alone);
  CHECK(last_token_at(solo, 7) - first_token_at(solo, 7) == 3 * std::int64_t(10.5 * k_ms));
}

TEST_CASE("a sequence emits exactly its output tokens, several per chunk after the first", "[sim]") {
  SimEngine engine(config(0, 1, 0, 4, 3));
  engine.submit(9, 5, 8, 0);
  const auto events = run_to_idle(engine);
  std::vector<int> chunks;
  for (const Timed& t : events) chunks.push_back(t.e.tokens);
  CHECK(chunks == std::vector<int>{1, 3, 3, 1});
  REQUIRE(!events.empty());
  CHECK(events.front().e.first);
  CHECK(events.back().e.finished);
  CHECK(events.back().e.generated == 8);
  CHECK(engine.running() == 0);
  CHECK(!engine.step_end());
}

TEST_CASE("cancelling a running sequence frees its slot for a waiting one", "[sim]") {
  SimEngine engine(config(0, 10, 0, 1));
  engine.submit(1, 0, 1000, 0);
  engine.submit(2, 0, 2, 0);
  CHECK(engine.advance(10 * k_ms).size() == 1);
  CHECK(engine.cancel(1));
  CHECK(!engine.cancel(1));
  CHECK(engine.advance(20 * k_ms).empty());  // 1 leaves at this boundary; 2 joins
  const auto events = run_to_idle(engine);
  CHECK(first_token_at(events, 2) == 30 * k_ms);
  CHECK(last_token_at(events, 1) == -1);
}

TEST_CASE("advance before the step's end does nothing", "[sim]") {
  SimEngine engine(config(0, 10, 0, 1));
  CHECK(engine.advance(5 * k_ms).empty());
  engine.submit(1, 0, 2, 0);
  CHECK(engine.advance(9 * k_ms).empty());
  CHECK(engine.advance(10 * k_ms).size() == 1);
}

TEST_CASE("engine settings out of range are refused with the flag named", "[sim]") {
  CHECK_THROWS_WITH(SimEngine(config(0, 10, 0, 0)), Catch::Contains("--max-batch"));
  CHECK_THROWS_WITH(SimEngine(config(0, 0, 0, 1)), Catch::Contains("--decode-step-ms"));
  CHECK_THROWS_WITH(SimEngine(config(-1, 10, 0, 1)), Catch::Contains("--prefill-us-per-token"));
  CHECK_THROWS_WITH(SimEngine(config(0, 10, 0, 1, 0)), Catch::Contains("--tokens-per-chunk"));
}
