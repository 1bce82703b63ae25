#include "bench/runner.hpp"

#include <algorithm>
#include <limits>
#include <memory>

#include "util/error.hpp"

namespace sitegen::bench {

void classify(RequestOutcome& o) {
  const TransferResult& t = o.transfer;
  auto set = [&o](std::string kind, std::string message) {
    o.error_kind = std::move(kind);
    o.error_message = std::move(message);
  };
  switch (t.status) {
    case TransferResult::Status::cancelled: return set("cancelled", "stopped before it finished");
    case TransferResult::Status::http_error: return set("http_" + std::to_string(t.http_code), t.message);
    case TransferResult::Status::timeout: return set("timeout", t.message);
    case TransferResult::Status::connection:
      // A broken stream that already said why is counted by what it said.
      if (!o.stream.failure_kind.empty()) return set(o.stream.failure_kind, o.stream.failure_message);
      return set("connection", t.message);
    case TransferResult::Status::ok: break;
  }
  if (!o.stream.failure_kind.empty()) return set(o.stream.failure_kind, o.stream.failure_message);
  if (!o.stream.done) return set("connection", "the stream ended before data: [DONE]");
  if (o.stream.content_ns.empty()) return set("empty_stream", "no chunk carried content");
}

namespace {

using Clock = std::int64_t;
constexpr Clock k_ms = 1'000'000;

// The state of one level in flight: which request each id is, and its stream so far.
class LevelState : public HttpSink {
 public:
  LevelState(std::size_t total) : m_outcomes(total), m_readers(total) {}

  void on_data(std::uint64_t id, std::string_view bytes, std::int64_t received_ns) override {
    if (m_readers[id]) m_readers[id]->feed(bytes, received_ns);
  }
  void on_complete(std::uint64_t id, const TransferResult& result) override {
    RequestOutcome& o = m_outcomes[id];
    o.transfer = result;
    if (m_readers[id]) o.stream = m_readers[id]->finish();
    m_readers[id].reset();
    classify(o);
    ++m_completed;
    if (!o.ok() && o.error_kind != "cancelled") ++m_errors;
    m_last_end = std::max(m_last_end, result.end_ns);
  }

  RequestOutcome& outcome(std::size_t id) { return m_outcomes[id]; }
  void open(std::size_t id) { m_readers[id] = std::make_unique<StreamReader>(); }
  std::size_t completed() const { return m_completed; }
  std::size_t errors() const { return m_errors; }
  Clock last_end() const { return m_last_end; }
  std::vector<RequestOutcome> take() { return std::move(m_outcomes); }

 private:
  std::vector<RequestOutcome> m_outcomes;
  std::vector<std::unique_ptr<StreamReader>> m_readers;
  std::size_t m_completed = 0, m_errors = 0;
  Clock m_last_end = 0;
};

bool stopping(const RunnerConfig& config) { return config.stop && config.stop->load(); }

// Hands one request to the client; `intended` < 0 means "now" (closed loop).
void send(HttpClient& client, const RunnerConfig& config, LevelState& state, std::size_t id,
          const RequestSpec& spec, Clock intended = -1) {
  state.open(id);
  RequestOutcome& o = state.outcome(id);
  o.input_len = spec.input_len;
  o.sent_ns = client.now_ns();
  o.intended_ns = intended < 0 ? o.sent_ns : intended;
  client.start({id, config.url, spec.body, config.headers, config.timeout_s});
}

void report(const RunnerConfig& config, const Level& level, const LevelState& state, std::size_t total,
            bool warmup, Clock start, Clock now) {
  if (!config.on_progress) return;
  Progress p{level.label(), config.level_index, config.level_count, state.completed(), total, state.errors(),
             warmup, static_cast<double>(now - start) / 1e9};
  config.on_progress(p);
}

// Runs the warmups closed-loop at the level's concurrency (or all at once) and forgets them.
void run_warmups(HttpClient& client, const RunnerConfig& config, const Level& level,
                 const std::vector<RequestSpec>& warmups, LevelRun& run) {
  if (warmups.empty()) return;
  LevelState state(warmups.size());
  const std::size_t cap = static_cast<std::size_t>(level.concurrency.value_or(static_cast<long long>(warmups.size())));
  const Clock start = client.now_ns();
  std::size_t next = 0;
  while (state.completed() < warmups.size()) {
    if (stopping(config)) {
      client.cancel_all(state);
      run.interrupted = true;
      return;
    }
    while (next < warmups.size() && client.in_flight() < cap) {
      send(client, config, state, next, warmups[next]);
      ++next;
    }
    client.poll(std::chrono::milliseconds(50), state);
    report(config, level, state, warmups.size(), true, start, client.now_ns());
  }
  run.warmups = static_cast<long long>(warmups.size());
  run.warmup_failures = static_cast<long long>(state.errors());
}

}  // namespace

LevelRun run_level(HttpClient& client, const RunnerConfig& config, const Level& level,
                   const std::vector<RequestSpec>& requests, const std::vector<RequestSpec>& warmups) {
  if (!level.concurrency && !level.rate) throw Error("a load level needs a concurrency or a request rate");
  LevelRun run;
  run.level = level;
  run.burstiness = config.burstiness;
  run_warmups(client, config, level, warmups, run);

  const std::size_t n = requests.size();
  LevelState state(n);
  const std::size_t cap = level.concurrency ? static_cast<std::size_t>(*level.concurrency)
                                            : std::numeric_limits<std::size_t>::max();
  const Clock start = client.now_ns();
  std::vector<Clock> due;
  if (level.open_loop()) {
    for (double offset : arrival_offsets(n, *level.rate, config.burstiness, config.seed))
      due.push_back(start + static_cast<Clock>(offset * 1e9));
  }
  run.start_ns = start;
  std::size_t next = 0;
  bool head_queued = false;  // the next due request found every slot taken
  while (!run.interrupted && state.completed() < n) {
    if (stopping(config)) {
      client.cancel_all(state);
      run.interrupted = true;
      break;
    }
    Clock now = client.now_ns();
    while (next < n && (due.empty() || due[next] <= now)) {
      if (client.in_flight() >= cap) {
        head_queued = !due.empty();
        break;
      }
      state.outcome(next).queued = head_queued;
      head_queued = false;
      send(client, config, state, next, requests[next], due.empty() ? -1 : due[next]);
      ++next;
      now = client.now_ns();
    }
    Clock wait = 50 * k_ms;
    if (next < n && !due.empty() && client.in_flight() < cap) wait = std::clamp<Clock>(due[next] - now, 0, wait);
    client.poll(std::chrono::nanoseconds(wait), state);
    report(config, level, state, n, false, start, client.now_ns());
  }
  run.end_ns = std::max(state.last_end(), start);
  run.requests = state.take();
  if (next < n) run.requests.resize(next);  // never sent: not part of the level
  return run;
}

}  // namespace sitegen::bench
