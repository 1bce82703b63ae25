// sitegen_client_bench: the benchmark client measured, not assumed (issue 6, item 11).
//
// Starts `sitegen sim-server --stamp` as a separate process (so server and client do not share
// a thread or a file-descriptor limit), then drives it with the real client (CurlClient + the
// runner + the SSE parser, exactly as `sitegen bench` does) in three phases:
//   timestamps  N streams (default 1,000) under several loads (a 20 ms decode step written as one
//               burst per step or spread over it with --stagger, and the same with a 100 ms step),
//               each with the three receipt stamps (kernel receive time, the default; the clock
//               when epoll_wait returns; the clock in curl's write callback): receipt time minus
//               the server's own send time ("sim_sent_ns",
//               CLOCK_MONOTONIC, read just before the chunk is formatted and written), p50/p99.
//               A negative difference would mean a stamp earlier than the send: it is counted.
//   streams     M streams (default 10,000) open at once: the peak in flight, and failures
//   throughput  K streams with a fast decode step: SSE events/s received and client CPU per event
//               (with the kernel stamp and with the epoll-return stamp, which needs one syscall less)
// Prints one line per figure, with the machine's load average (other work on the two cores
// shows up in the timestamp error). Usage:
//   sitegen_client_bench [--sitegen PATH] [--streams-ts 1000] [--streams-max 10000] [--streams-tp 2000]
//                        [--only timestamps|streams|throughput] [--pin 1]
// --pin 1 puts sim-server on CPU 0 and the client on CPU 1.

#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
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
// Restricts the calling process (pid 0) or `pid` to one CPU.
void pin_to(pid_t pid, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(pid, sizeof set, &set);
}

bool g_pin = false;  // --pin 1: server on CPU 0, client on CPU 1

void start_server(Server& server, const std::string& sitegen, const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) throw sitegen::Error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    if (g_pin) pin_to(0, 0);
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

// CPU seconds (user + system) of another process so far, from /proc (10 ms resolution).
double cpu_seconds_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five;
  in >> one >> five;
  return one + " " + five;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct PhaseResult {
  std::size_t streams = 0, peak = 0, completed = 0, failed = 0;
  long long events = 0;
  double wall_s = 0, cpu_s = 0, server_cpu_s = 0;
  std::vector<double> lag_us;
  std::string first_error;
  std::string load_before, load_after;
};

// `streams` requests of `tokens` tokens each, all at once (closed loop at that concurrency).
PhaseResult run_phase(const Server& server, std::size_t streams, int tokens,
                      ReceiptStamp stamp = ReceiptStamp::kernel) {
  const int port = server.port;
  CurlClient curl(streams, stamp);
  PeakClient client(curl);
  RunnerConfig config;
  config.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/completions";
  config.timeout_s = 300;
  const std::string body = R"({"model":"sitegen-sim","prompt":"hello world","max_tokens":)" + std::to_string(tokens) +
                           R"(,"ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}})";
  const std::vector<RequestSpec> requests(streams, RequestSpec{body, 2});
  PhaseResult r;
  r.load_before = load_average();
  const double cpu0 = cpu_seconds(), server0 = cpu_seconds_of(server.pid);
  const auto t0 = std::chrono::steady_clock::now();
  const LevelRun run = run_level(client, config, Level{static_cast<long long>(streams), std::nullopt}, requests, {});
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_s = cpu_seconds() - cpu0;
  r.server_cpu_s = cpu_seconds_of(server.pid) - server0;
  r.load_after = load_average();
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

void print(const std::string& phase, const PhaseResult& r) {
  using sitegen::format::fixed;
  std::cout << phase << ": " << r.streams << " streams, peak in flight " << r.peak << ", " << r.completed
            << " completed, " << r.failed << " failed";
  if (!r.first_error.empty()) std::cout << " (first: " << r.first_error << ")";
  std::cout << "\n  " << r.events << " SSE events in " << fixed(r.wall_s, 2) << " s = "
            << fixed(static_cast<double>(r.events) / r.wall_s, 0) << " events/s; client CPU "
            << fixed(r.cpu_s, 2) << " s = " << fixed(r.cpu_s / static_cast<double>(std::max(1LL, r.events)) * 1e6, 2)
            << " us/event; sim-server CPU " << fixed(r.server_cpu_s, 2) << " s; load average " << r.load_before
            << " -> " << r.load_after << "\n";
  if (!r.lag_us.empty()) {
    const auto [lo, hi] = std::minmax_element(r.lag_us.begin(), r.lag_us.end());
    const auto negative = std::count_if(r.lag_us.begin(), r.lag_us.end(), [](double v) { return v < 0; });
    std::cout << "  timestamp error (receipt - server send) over " << r.lag_us.size() << " events: p50 "
              << fixed(*sitegen::stats::percentile(r.lag_us, 50), 1) << " us, p99 "
              << fixed(*sitegen::stats::percentile(r.lag_us, 99), 1) << " us, min " << fixed(*lo, 1) << " us, max "
              << fixed(*hi, 1) << " us, below zero " << negative << "\n";
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
    else if (flag == "--pin") g_pin = value == "1";
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  try {
    std::cout << "fd limit " << raise_fd_limit() << (g_pin ? "; sim-server on CPU 0, client on CPU 1" : "") << "\n";
    if (g_pin) pin_to(0, 1);
    if (only.empty() || only == "timestamps") {
      // 1,000 streams: one token every 20 ms each (50,000 events/s) or every 100 ms (10,000
      // events/s), each written as one burst per step or spread evenly over the step.
      struct Load {
        const char* name;
        const char* step_ms;
        int tokens;
        bool stagger;
      };
      const Load loads[] = {{"20 ms step, burst", "20", 200, false},
                            {"20 ms step, staggered", "20", 200, true},
                            {"100 ms step, burst", "100", 60, false},
                            {"100 ms step, staggered", "100", 60, true}};
      for (const Load& load : loads) {
        for (const ReceiptStamp stamp : {ReceiptStamp::kernel, ReceiptStamp::epoll_return, ReceiptStamp::write_callback}) {
          Server s;
          std::vector<std::string> args = {"--max-batch", std::to_string(ts), "--decode-step-ms", load.step_ms,
                                           "--decode-step-ms-per-seq", "0", "--prefill-us-per-token", "0"};
          if (load.stagger) args.push_back("--stagger");
          start_server(s, sitegen, args);
          const char* where = stamp == ReceiptStamp::kernel         ? "kernel receive stamp"
                              : stamp == ReceiptStamp::epoll_return ? "stamp at epoll return"
                                                                    : "stamp in write callback";
          print(std::string("timestamps (") + load.name + ", " + std::to_string(load.tokens) + " tokens, " + where + ")",
                run_phase(s, ts, load.tokens, stamp));
        }
      }
    }
    if (only.empty() || only == "streams") {
      // 10,000 streams open at once, one token every 500 ms each: 20,000 events/s.
      Server s;
      start_server(s, sitegen, {"--max-batch", std::to_string(max), "--decode-step-ms", "500",
                                "--decode-step-ms-per-seq", "0", "--prefill-us-per-token", "0"});
      print("streams", run_phase(s, max, 20));
    }
    if (only.empty() || only == "throughput") {
      // As fast as the simulator emits: a 1 ms step for every stream; the kernel stamp costs one
      // peek per ready socket more than the epoll-return stamp.
      for (const auto& [stamp, label] : {std::pair{ReceiptStamp::kernel, "throughput (kernel receive stamp)"},
                                         std::pair{ReceiptStamp::epoll_return, "throughput (stamp at epoll return)"}}) {
        Server s;
        start_server(s, sitegen, {"--max-batch", std::to_string(tp), "--decode-step-ms", "1",
                                  "--decode-step-ms-per-seq", "0", "--prefill-us-per-token", "0"});
        print(label, run_phase(s, tp, 200, stamp));
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "sitegen_client_bench: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
