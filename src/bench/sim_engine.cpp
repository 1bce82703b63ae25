#include "bench/sim_engine.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "util/error.hpp"
#include "util/format.hpp"

namespace sitegen::bench {

void check_engine_config(const EngineConfig& c) {
  auto need = [](bool ok, const std::string& flag, double value, const char* what) {
    if (!ok) throw Error(flag + ": " + format::shortest(value) + " is out of range: " + what);
  };
  need(std::isfinite(c.prefill_us_per_token) && c.prefill_us_per_token >= 0, "--prefill-us-per-token",
       c.prefill_us_per_token, "expected 0 or more");
  need(std::isfinite(c.decode_step_ms) && c.decode_step_ms > 0 && c.decode_step_ms <= 60'000, "--decode-step-ms",
       c.decode_step_ms, "expected more than 0 and at most 60000");
  need(std::isfinite(c.decode_step_ms_per_seq) && c.decode_step_ms_per_seq >= 0, "--decode-step-ms-per-seq",
       c.decode_step_ms_per_seq, "expected 0 or more");
  need(c.max_batch >= 1, "--max-batch", c.max_batch, "expected 1 or more");
  need(c.tokens_per_chunk >= 1, "--tokens-per-chunk", c.tokens_per_chunk, "expected 1 or more");
  need(c.max_model_len >= 2, "--max-model-len", c.max_model_len, "expected 2 or more");
}

SimEngine::SimEngine(EngineConfig config) : m_config(config) { check_engine_config(m_config); }

std::int64_t SimEngine::step_ns(std::size_t batch, std::int64_t prefill_tokens) const {
  const double ns = m_config.decode_step_ms * 1e6 + m_config.decode_step_ms_per_seq * 1e6 * double(batch) +
                    m_config.prefill_us_per_token * 1e3 * double(prefill_tokens);
  return std::max<std::int64_t>(1, std::llround(ns));
}

void SimEngine::submit(std::uint64_t id, int prompt_tokens, int output_tokens, std::int64_t now_ns) {
  m_waiting.push_back(Seq{id, std::max(prompt_tokens, 0), std::max(output_tokens, 1), 0});
  m_live.insert(id);
  if (!m_step_end) start_step(now_ns);
}

bool SimEngine::cancel(std::uint64_t id) {
  if (m_live.erase(id) == 0) return false;
  m_cancelled.insert(id);
  return true;
}

std::optional<std::int64_t> SimEngine::step_end() const { return m_step_end; }

// Admits waiting sequences while there is room and times the step.
void SimEngine::start_step(std::int64_t now_ns) {
  std::int64_t prefill = 0;
  while (!m_waiting.empty() && m_running.size() < std::size_t(m_config.max_batch)) {
    Seq seq = m_waiting.front();
    m_waiting.pop_front();
    if (m_cancelled.erase(seq.id)) continue;
    prefill += seq.prompt_tokens;
    m_running.push_back(seq);
  }
  if (m_running.empty()) {
    m_step_end.reset();
    return;
  }
  m_step_end = now_ns + step_ns(m_running.size(), prefill);
}

std::vector<Emission> SimEngine::advance(std::int64_t now_ns) {
  std::vector<Emission> out;
  if (!m_step_end || now_ns < *m_step_end) return out;
  out.reserve(m_running.size());
  std::size_t kept = 0;
  for (Seq& seq : m_running) {
    if (m_cancelled.erase(seq.id)) continue;
    const bool first = seq.generated == 0;
    const int tokens = first ? 1 : std::min(m_config.tokens_per_chunk, seq.target - seq.generated);
    seq.generated += tokens;
    const bool finished = seq.generated >= seq.target;
    out.push_back(Emission{seq.id, tokens, seq.generated, first, finished});
    if (finished) {
      m_live.erase(seq.id);
    } else {
      m_running[kept++] = seq;
    }
  }
  m_running.resize(kept);
  start_step(now_ns);
  return out;
}

}  // namespace sitegen::bench
