#include <catch2/catch.hpp>

#include <functional>
#include <map>
#include <set>

#include "bench/metrics.hpp"
#include "bench/runner.hpp"
#include "model/validate.hpp"

namespace {

using namespace sitegen::bench;
constexpr std::int64_t k_ms = 1'000'000;

// What the fake server does for one request: bytes at offsets from its start, then an ending.
struct Script {
  std::vector<std::pair<std::int64_t, std::string>> chunks;
  std::int64_t end_after = 0;
  TransferResult end;
};

// An HttpClient on a virtual clock: no network, no sleeping, exact times.
class FakeClient : public HttpClient {
 public:
  explicit FakeClient(std::function<Script(std::size_t nth, const ClientRequest&)> script) : m_script(std::move(script)) {}

  std::int64_t now_ns() override { return m_now; }
  void start(const ClientRequest& request) override {
    Script s = m_script(m_started++, request);
    for (auto& [at, bytes] : s.chunks) m_events.insert({m_now + at, {request.id, bytes, false, {}}});
    m_events.insert({m_now + s.end_after, {request.id, "", true, s.end}});
    ++m_in_flight;
    m_peak = std::max(m_peak, m_in_flight);
  }
  void poll(std::chrono::nanoseconds max_wait, HttpSink& sink) override {
    if (m_events.empty() || m_events.begin()->first > m_now + max_wait.count()) {
      m_now += max_wait.count();
      return;
    }
    m_now = m_events.begin()->first;
    while (!m_events.empty() && m_events.begin()->first == m_now) {
      Event e = m_events.begin()->second;
      m_events.erase(m_events.begin());
      if (m_cancelled.count(e.id)) continue;
      if (!e.last) {
        sink.on_data(e.id, e.bytes, m_now);
        continue;
      }
      --m_in_flight;
      TransferResult r = e.result;
      r.end_ns = m_now;
      sink.on_complete(e.id, r);
    }
  }
  std::size_t in_flight() const override { return m_in_flight; }
  void cancel_all(HttpSink& sink) override {
    for (auto& [at, e] : m_events) {
      if (!e.last || m_cancelled.count(e.id)) continue;
      m_cancelled.insert(e.id);
      TransferResult r;
      r.status = TransferResult::Status::cancelled;
      r.end_ns = m_now;
      sink.on_complete(e.id, r);
    }
    m_in_flight = 0;
  }
  std::size_t peak() const { return m_peak; }
  std::size_t started() const { return m_started; }

 private:
  struct Event {
    std::uint64_t id;
    std::string bytes;
    bool last;
    TransferResult result;
  };
  std::function<Script(std::size_t, const ClientRequest&)> m_script;
  std::multimap<std::int64_t, Event> m_events;
  std::set<std::uint64_t> m_cancelled;
  std::int64_t m_now = 1'000'000'000;
  std::size_t m_in_flight = 0, m_peak = 0, m_started = 0;
};

std::string content(const std::string& text) { return "data: {\"choices\":[{\"index\":0,\"text\":\"" + text + "\"}]}\n\n"; }
const std::string k_usage3 = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}\n\n";
const std::string k_done = "data: [DONE]\n\n";

// TTFT 100 ms, then two more chunks 10 ms apart, usage 3 tokens, done at 121 ms.
Script good(std::int64_t ttft_ms = 100) {
  Script s;
  s.chunks = {{ttft_ms * k_ms, content("a")},
              {(ttft_ms + 10) * k_ms, content("b")},
              {(ttft_ms + 20) * k_ms, content("c") + k_usage3},
              {(ttft_ms + 21) * k_ms, k_done}};
  s.end_after = (ttft_ms + 21) * k_ms;
  return s;
}

std::vector<RequestSpec> specs(std::size_t n) { return std::vector<RequestSpec>(n, RequestSpec{"{}", 5}); }

RunnerConfig config() {
  RunnerConfig c;
  c.url = "http://fake/v1/completions";
  return c;
}

}  // namespace

TEST_CASE("a closed loop keeps the concurrency and measures TTFT, TPOT, ITL and E2EL", "[bench]") {
  FakeClient client([](std::size_t, const ClientRequest&) { return good(); });
  const LevelRun run = run_level(client, config(), Level{2, std::nullopt}, specs(6), {});
  CHECK(client.peak() == 2);
  const sitegen::model::Point p = make_point(run, {});
  CHECK(p.concurrency == 2);
  CHECK(p.completed == 6);
  CHECK(p.failed == 0);
  CHECK(*p.ttft_ms.mean == Approx(100));
  CHECK(*p.tpot_ms.median == Approx(10));  // (120 - 100) / (3 - 1)
  CHECK(*p.itl_ms.percentile(99) == Approx(10));
  CHECK(*p.e2el_ms.max == Approx(120));
  CHECK(p.output_tokens == 18);
  CHECK(p.input_tokens == 42);  // the server's prompt_tokens, not the nominal 5
  CHECK(*p.duration_s == Approx(0.363));  // three rounds of 121 ms
  CHECK(*p.request_throughput_rps == Approx(6 / 0.363));
  CHECK(p.samples.ttft_ms.size() == 6);
  CHECK(p.samples.itl_ms.size() == 12);
  CHECK(p.extra["output_token_source"]["server_usage"] == 6);
}

TEST_CASE("warmups run first and stay out of the figures", "[bench]") {
  // The first two requests started (the warmups) are slow; none of that may show.
  FakeClient client([](std::size_t nth, const ClientRequest&) { return good(nth < 2 ? 5000 : 100); });
  const LevelRun run = run_level(client, config(), Level{1, std::nullopt}, specs(3), specs(2));
  CHECK(client.started() == 5);
  const sitegen::model::Point p = make_point(run, {});
  CHECK(p.completed == 3);
  CHECK(*p.ttft_ms.max == Approx(100));
  CHECK(p.extra["warmups"] == 2);
}

TEST_CASE("every kind of failure is counted and the level goes on", "[bench]") {
  FakeClient client([](std::size_t nth, const ClientRequest&) {
    Script s = good();
    switch (nth % 7) {
      case 1:
        s.chunks.clear();
        s.end.status = TransferResult::Status::http_error;
        s.end.http_code = 503;
        break;
      case 2:
        s.chunks.resize(1);
        s.end.status = TransferResult::Status::timeout;
        break;
      case 3:
        s.chunks.resize(2);
        s.end.status = TransferResult::Status::connection;
        break;
      case 4: s.chunks[1].second = "data: {\"choices\":[{\"text\":\n\n"; break;
      case 5: s.chunks[1].second = "data: {\"error\":{\"message\":\"engine died\",\"code\":500}}\n\n"; break;
      case 6: s.chunks.resize(2); break;  // closed cleanly without [DONE]
    }
    return s;
  });
  const LevelRun run = run_level(client, config(), Level{3, std::nullopt}, specs(14), {});
  const sitegen::model::Point p = make_point(run, {});
  CHECK(p.completed == 2);
  CHECK(p.failed == 12);
  CHECK(p.errors.at("http_503") == 2);
  CHECK(p.errors.at("timeout") == 2);
  CHECK(p.errors.at("connection") == 4);
  CHECK(p.errors.at("malformed_stream") == 2);
  CHECK(p.errors.at("server_error_event") == 2);
  CHECK(p.samples.ttft_ms.size() == 2);
}

TEST_CASE("open-loop latency starts at the intended send time and queueing is reported apart", "[bench]") {
  // rate inf with a cap of 1: every request is due at t=0 and waits for the one before.
  FakeClient client([](std::size_t, const ClientRequest&) { return good(); });
  const LevelRun run =
      run_level(client, config(), Level{1, std::numeric_limits<double>::infinity()}, specs(3), {});
  const sitegen::model::Point p = make_point(run, {});
  CHECK(p.request_rate_inf);
  CHECK(p.samples.ttft_ms == std::vector<double>{100, 221, 342});
  CHECK(p.extra["latency_origin"] == "intended_send_time");
  CHECK(p.extra["client_queue_ms"]["max"].get<double>() == Approx(242));
  CHECK(p.extra["schedule_slip_ms"]["max"].get<double>() == Approx(0));
}

TEST_CASE("open-loop requests are sent at their scheduled times", "[bench]") {
  std::vector<std::int64_t> sent;
  FakeClient* self = nullptr;
  FakeClient client([&](std::size_t, const ClientRequest&) {
    sent.push_back(self->now_ns());
    return good();
  });
  self = &client;
  RunnerConfig c = config();
  c.seed = 3;
  const LevelRun run = run_level(client, c, Level{std::nullopt, 20.0}, specs(40), {});
  const std::vector<double> due = arrival_offsets(40, 20.0, 1.0, 3);
  REQUIRE(sent.size() == 40);
  for (std::size_t i = 0; i < 40; ++i) CHECK(sent[i] - sent[0] == Approx((due[i] - due[0]) * 1e9).margin(1.0));
  CHECK(client.peak() > 1);
}

TEST_CASE("a stop cancels what is in flight and the cancelled requests are not failures", "[bench]") {
  std::atomic<bool> stop{false};
  FakeClient client([](std::size_t nth, const ClientRequest&) { return good(nth % 2 ? 150 : 100); });
  RunnerConfig c = config();
  c.stop = &stop;
  c.on_progress = [&stop](const Progress& p) {
    if (p.done >= 4) stop = true;
  };
  const LevelRun run = run_level(client, c, Level{2, std::nullopt}, specs(100), {});
  CHECK(run.interrupted);
  const sitegen::model::Point p = make_point(run, {});
  CHECK(p.completed >= 4);
  CHECK(p.completed < 10);
  CHECK(p.failed == 0);
  REQUIRE(p.extra.contains("cancelled"));
  CHECK(p.extra["cancelled"].get<long long>() >= 1);
  CHECK(*p.completed + p.extra["cancelled"].get<long long>() == static_cast<long long>(run.requests.size()));
}

TEST_CASE("goodput counts requests within every SLO and slo_held reads the p99", "[bench]") {
  FakeClient client([](std::size_t nth, const ClientRequest&) { return good(nth % 2 ? 300 : 100); });
  const LevelRun run = run_level(client, config(), Level{1, std::nullopt}, specs(4), {});
  const sitegen::model::Point p = make_point(run, parse_slo({"ttft:200", "tpot:20"}));
  REQUIRE(p.goodput_rps);
  CHECK(*p.goodput_rps == Approx(2 / *p.duration_s));
  CHECK(p.slo_held == false);
  const sitegen::model::Point loose = make_point(run, parse_slo({"ttft:1000"}));
  CHECK(loose.slo_held == true);
  CHECK_THROWS_WITH(parse_slo({"ttft=5"}), Catch::Contains("--goodput"));
  CHECK_THROWS_WITH(parse_slo({"itl:5"}), Catch::Contains("unknown metric"));
}

TEST_CASE("a point made from a run passes report validation", "[bench]") {
  FakeClient client([](std::size_t nth, const ClientRequest&) {
    Script s = good();
    if (nth == 1) {
      s.chunks.clear();
      s.end.status = TransferResult::Status::http_error;
      s.end.http_code = 500;
    }
    return s;
  });
  sitegen::model::Report report;
  report.provenance.tool = "sitegen";
  report.provenance.run_id = "20260101-000000";
  report.points.push_back(make_point(run_level(client, config(), Level{2, std::nullopt}, specs(5), {}), parse_slo({"ttft:150"})));
  for (const auto& problem : sitegen::model::validate_report(sitegen::model::to_json(report), "r.json")) {
    INFO(problem.str());
    CHECK(problem.severity != sitegen::Problem::Severity::error);
  }
}
