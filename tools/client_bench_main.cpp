// sitegen_client_bench: the benchmark client measured, not assumed (issue 6, item 11).
//
// Starts `sitegen sim-server --stamp` as a separate process (so server and client do not share
// a thread or a file-descriptor limit), then drives it with the real client (CurlClient + the
// runner + the SSE parser, exactly as `sitegen bench` does) in three phases:
//   timestamps  N streams (default 1,000): receipt time minus the server's own send time
//               ("sim_sent_ns", CLOCK_MONOTONIC, read just before write()) per SSE event, p50/p99
//   streams     M streams (default 10,000) open at once: the peak in flight, and failures
//   throughput  K streams with a fast decode step: SSE events/s received and client CPU per event
// Prints one line per figure. Usage:
//   sitegen_client_bench [--sitegen PATH] [--streams-ts 1000] [--streams-max 10000] [--streams-tp 2000]

#include <sys/resource.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "bench/http_client_curl.hpp"
#include "bench/runner.hpp"
#include "stats/summary.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace {

using namespace sitegen::bench;

// A running sim-server child, its port, and the read end of its stdout. The pipe stays open
// until the child has exited: closing it early kills the server with SIGPIPE at its next line.
struct Server {
  pid_t pid = -1;
  int port = 0;
  int out_fd = -1;
  ~Server() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
    if (out_fd >= 0) close(out_fd);
  }
};

// Starts `sitegen sim-server --port 0 --stamp <args>` and reads "listening on 127.0.0.1:<port>".
void start_server(Server& server, const std::string& sitegen, const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) throw sitegen::Error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    std::vector<std::string> all = {sitegen, "sim-server", "--port", "0", "--stamp"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(sitegen.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  server.pid = pid;
  server.out_fd = fds[0];
  std::string line;
  char c;
  while (read(fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  const std::size_t colon = line.rfind(':');
  if (line.rfind("listening on", 0) != 0 || colon == std::string::npos)
    throw sitegen::Error("sim-server did not start: '" + line + "'");
  server.port = std::stoi(line.substr(colon + 1));
}

// Forwards to the curl client and remembers the most transfers in flight at once.
class PeakClient : public HttpClient {
 public:
  explicit PeakClient(HttpClient& inner) : m_inner(inner) {}
  std::int64_t now_ns() override { return m_inner.now_ns(); }
  void start(const ClientRequest& r) override {
    m_inner.start(r);
    m_peak = std::max(m_peak, m_inner.in_flight());
  }
  void poll(std::chrono::nanoseconds w, HttpSink& s) override { m_inner.poll(w, s); }
  std::size_t in_flight() const override { return m_inner.in_flight(); }
  void cancel_all(HttpSink& s) override { m_inner.cancel_all(s); }
  std::size_t peak() const { return m_peak; }

 private:
  HttpClient& m_inner;
  std::size_t m_peak = 0;
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct PhaseResult {
  std::size_t streams = 0, peak = 0, completed = 0, failed = 0;
  long long events = 0;
  double wall_s = 0, cpu_s = 0;
  std::vector<double> lag_us;
  std::string first_error;
};

// `streams` requests of `tokens` tokens each, all at once (closed loop at that concurrency).
PhaseResult run_phase(int port, std::size_t streams, int tokens) {
  CurlClient curl(streams);
  PeakClient client(curl);
  RunnerConfig config;
  config.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/completions";
  config.timeout_s = 300;
  const std::string body = R"({"model":"sitegen-sim","prompt":"hello world","max_tokens":)" + std::to_string(tokens) +
                           R"(,"ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}})";
  const std::vector<RequestSpec> requests(streams, RequestSpec{body, 2});
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  const LevelRun run = run_level(client, config, Level{static_cast<long long>(streams), std::nullopt}, requests, {});
  PhaseResult r;
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_s = cpu_seconds() - cpu0;
  r.streams = streams;
  r.peak = client.peak();
  for (const RequestOutcome& o : run.requests) {
    if (o.ok()) ++r.completed;
    else {
      ++r.failed;
      if (r.first_error.empty()) r.first_error = o.error_kind + ": " + o.error_message;
    }
    r.events += o.stream.events;
    for (std::int64_t lag : o.stream.stamp_lag_ns) r.lag_us.push_back(static_cast<double>(lag) / 1e3);
  }
  return r;
}

void print(const char* phase, const PhaseResult& r) {
  using sitegen::format::fixed;
  std::cout << phase << ": " << r.streams << " streams, peak in flight " << r.peak << ", " << r.completed
            << " completed, " << r.failed << " failed";
  if (!r.first_error.empty()) std::cout << " (first: " << r.first_error << ")";
  std::cout << "\n  " << r.events << " SSE events in " << fixed(r.wall_s, 2) << " s = "
            << fixed(static_cast<double>(r.events) / r.wall_s, 0) << " events/s; client CPU "
            << fixed(r.cpu_s, 2) << " s = " << fixed(r.cpu_s / static_cast<double>(std::max(1LL, r.events)) * 1e6, 2)
            << " us/event\n";
  if (!r.lag_us.empty()) {
    std::cout << "  timestamp error (receipt - server send) over " << r.lag_us.size() << " events: p50 "
              << fixed(*sitegen::stats::percentile(r.lag_us, 50), 1) << " us, p99 "
              << fixed(*sitegen::stats::percentile(r.lag_us, 99), 1) << " us, max "
              << fixed(*std::max_element(r.lag_us.begin(), r.lag_us.end()), 1) << " us\n";
  }
  std::cout.flush();
}

}  // namespace

int main(int argc, char** argv) {
  std::string sitegen = (std::filesystem::path(argv[0]).parent_path() / "sitegen").string();
  std::size_t ts = 1000, max = 10000, tp = 2000;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--sitegen") sitegen = value;
    else if (flag == "--streams-ts") ts = std::stoul(value);
    else if (flag == "--streams-max") max = std::stoul(value);
    else if (flag == "--streams-tp") tp = std::stoul(value);
    else if (flag == "--only") only = value;
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  try {
    std::cout << "fd limit " << raise_fd_limit() << "\n";
    if (only.empty() || only == "timestamps") {
      // 1,000 streams, one token every 20 ms each: 50,000 events/s.
      Server s;
      start_server(s, sitegen, {"--max-batch", std::to_string(ts), "--decode-step-ms", "20",
                                "--decode-step-ms-per-seq", "0", "--prefill-us-per-token", "0"});
      print("timestamps", run_phase(s.port, ts, 200));
    }
    if (only.empty() || only == "streams") {
      // 10,000 streams open at once, one token every 500 ms each: 20,000 events/s.
      Server s;
      start_server(s, sitegen, {"--max-batch", std::to_string(max), "--decode-step-ms", "500",
                                "--decode-step-ms-per-seq", "0", "--prefill-us-per-token", "0"});
      print("streams", run_phase(s.port, max, 20));
    }
    if (only.empty() || only == "throughput") {
      // As fast as the simulator emits: a 1 ms step for every stream.
      Server s;
      start_server(s, sitegen, {"--max-batch", std::to_string(tp), "--decode-step-ms", "1",
                                "--decode-step-ms-per-seq", "0", "--prefill-us-per-token", "0"});
      print("throughput", run_phase(s.port, tp, 200));
    }
  } catch (const std::exception& e) {
    std::cerr << "sitegen_client_bench: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
