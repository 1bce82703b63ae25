// End to end on 127.0.0.1: `sitegen bench` against sim-server started in-process, with each
// injected fault, a server that never answers and one that closes before the first byte.

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "bench/bench.hpp"
#include "bench/sim_server.hpp"
#include "model/json_io.hpp"
#include "model/validate.hpp"
#include "support.hpp"
#include "util/files.hpp"

namespace {

using sitegen::bench::SimOptions;
using sitegen::bench::SimServer;
using sitegen::model::Json;
using sitegen::test::run_cli;
using sitegen::test::ScratchDir;

SimOptions fast_sim() {
  SimOptions o;
  o.engine.decode_step_ms = 1;
  o.engine.decode_step_ms_per_seq = 0.01;
  o.engine.prefill_us_per_token = 5;
  return o;
}

struct Run {
  sitegen::test::CliResult cli;
  Json report;
};

// A port nothing listens on now: the kernel picks it for a socket bound to port 0, which is then
// closed. (A fixed or pid-derived port can be taken by another test's connection.)
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Runs `sitegen bench` against the server with a small closed loop and reads the report back.
Run bench(int port, const ScratchDir& dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"bench", "--base-url", "http://127.0.0.1:" + std::to_string(port),
                                   "--random-input-len", "16", "--random-output-len", "8",
                                   "--out", (dir / "report.json").string()};
  if (std::find(extra.begin(), extra.end(), "--num-prompts") == extra.end()) {
    args.push_back("--num-prompts");
    args.push_back("24");
  }
  if (std::find(extra.begin(), extra.end(), "--max-concurrency") == extra.end() &&
      std::find(extra.begin(), extra.end(), "--request-rate") == extra.end()) {
    args.push_back("--max-concurrency");
    args.push_back("4");
  }
  args.insert(args.end(), extra.begin(), extra.end());
  Run r;
  r.cli = run_cli(args);
  INFO(r.cli.err);
  REQUIRE(r.cli.code == 0);
  r.report = sitegen::model::read_json_file(dir / "report.json");
  return r;
}

void require_valid(const Json& report) {
  for (const auto& problem : sitegen::model::validate_report(report, "report.json")) {
    INFO(problem.str());
    CHECK(problem.severity != sitegen::Problem::Severity::error);
  }
}

}  // namespace

TEST_CASE("bench against sim-server writes a valid report that says it was simulated", "[bench]") {
  SimServer server(fast_sim());
  const int port = server.start();
  ScratchDir dir("bench-e2e");
  const Run r = bench(port, dir, {"--max-concurrency", "1,4", "--num-warmups", "2", "--goodput", "ttft:1000", "tpot:100"});
  require_valid(r.report);
  CHECK(r.report["status"] == "complete");
  CHECK(r.report["provenance"]["target"] == "sitegen sim-server");
  // The report says how receipt times were taken.
  CHECK(r.report["provenance"]["extra"]["receipt_timestamps"].get<std::string>().find("SO_TIMESTAMPNS") !=
        std::string::npos);
  CHECK(r.report["system"]["engine"]["name"] == "sitegen-sim");
  CHECK(r.report["system"]["model"]["id"] == "sitegen-sim");
  REQUIRE(r.report["points"].size() == 2);
  for (const Json& p : r.report["points"]) {
    CHECK(p["completed"] == 24);
    CHECK(p["failed"] == 0);
    CHECK(p["output_tokens"] == 24 * 8);
    CHECK(p["ttft_ms"]["p50"].get<double>() > 0);
    CHECK(p["tpot_ms"]["p50"].get<double>() > 0);
    CHECK(p["extra"]["output_token_source"]["server_usage"] == 24);
    CHECK(p["slo_held"] == true);
  }
  CHECK(r.report["points"][1]["concurrency"] == 4);
  // 24 measured + 2 warmups per level, nothing else.
  CHECK(server.stats().generations == 2 * 26);
}

TEST_CASE("bench over the chat endpoint with an open loop", "[bench]") {
  SimServer server(fast_sim());
  const int port = server.start();
  ScratchDir dir("bench-e2e-chat");
  const Run r = bench(port, dir, {"--endpoint", "/v1/chat/completions", "--request-rate", "200,inf", "--seed", "5"});
  require_valid(r.report);
  REQUIRE(r.report["points"].size() == 2);
  CHECK(r.report["points"][0]["request_rate_rps"] == 200.0);
  CHECK(r.report["points"][1]["request_rate_rps"] == "inf");
  CHECK(r.report["points"][0]["completed"] == 24);
  CHECK(r.report["points"][0]["extra"].contains("schedule_slip_ms"));
}

TEST_CASE("each injected fault is survived and counted by kind", "[bench]") {
  struct Case {
    std::string name, kind;
    void (*set)(SimOptions&);
  };
  const std::vector<Case> cases = {
      {"5xx", "http_5", [](SimOptions& o) { o.faults.http_5xx_rate = 0.5; }},
      {"drop", "connection", [](SimOptions& o) { o.faults.drop_rate = 0.5; }},
      {"malformed", "malformed_stream", [](SimOptions& o) { o.faults.malformed_rate = 0.5; }},
      {"error event", "server_error_event", [](SimOptions& o) { o.faults.error_event_rate = 0.5; }},
      {"stall", "timeout", [](SimOptions& o) { o.faults.stall_rate = 0.5; }},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      SimOptions o = fast_sim();
      c.set(o);
      SimServer server(o);
      const int port = server.start();
      ScratchDir dir("bench-e2e-fault");
      const Run r = bench(port, dir, {"--timeout", "1"});
      require_valid(r.report);
      const Json& p = r.report["points"][0];
      long long counted = 0;
      for (const auto& [kind, n] : p["errors"].items()) {
        INFO(kind);
        CHECK(kind.rfind(c.kind, 0) == 0);
        counted += n.get<long long>();
      }
      CHECK(counted > 0);
      CHECK(counted == p["failed"].get<long long>());
      CHECK(p["completed"].get<long long>() + counted == 24);
      CHECK(p["completed"].get<long long>() > 0);
    }
  }
}

TEST_CASE("a server that never answers gives timeouts, not a hang", "[bench]") {
  SimOptions o = fast_sim();
  o.faults.no_response = true;
  SimServer server(o);
  const int port = server.start();
  ScratchDir dir("bench-e2e-silent");
  const Run r = bench(port, dir, {"--timeout", "0.5", "--num-prompts", "4"});
  require_valid(r.report);
  CHECK(r.report["points"][0]["errors"]["timeout"] == 4);
  CHECK(r.report["points"][0]["completed"] == 0);
}

TEST_CASE("a server that closes before the first byte gives connection errors", "[bench]") {
  SimOptions o = fast_sim();
  o.faults.close_before_first_byte = true;
  SimServer server(o);
  const int port = server.start();
  ScratchDir dir("bench-e2e-close");
  const Run r = bench(port, dir, {"--num-prompts", "6"});
  require_valid(r.report);
  CHECK(r.report["points"][0]["errors"]["connection"] == 6);
}

TEST_CASE("bench refuses an unreachable server and bad flags with clear errors", "[bench]") {
  ScratchDir dir("bench-e2e-bad");
  const auto down = run_cli({"bench", "--base-url", "http://127.0.0.1:1", "--max-concurrency", "1", "--out",
                             (dir / "r.json").string()});
  CHECK(down.code == 1);
  CHECK(down.err.find("cannot reach the server") != std::string::npos);
  const auto no_out = run_cli({"bench", "--max-concurrency", "1"});
  CHECK(no_out.code == 2);
  CHECK(no_out.err.find("--out") != std::string::npos);
  const auto bad_sweep = run_cli({"bench", "--max-concurrency", "x", "--out", (dir / "r.json").string()});
  CHECK(bad_sweep.err.find("--max-concurrency") != std::string::npos);
  const auto bad_endpoint = run_cli({"bench", "--max-concurrency", "1", "--endpoint", "/v1/embeddings", "--out",
                                     (dir / "r.json").string()});
  CHECK(bad_endpoint.err.find("--endpoint") != std::string::npos);
}

TEST_CASE("a serve command starts the engine, waits for it, stops it and keeps its log", "[bench]") {
  ScratchDir dir("bench-e2e-serve");
  const std::string port = std::to_string(free_port());
  const std::string serve = std::string(SITEGEN_BINARY) + " sim-server --port " + port + " --decode-step-ms 1";
  const auto r = run_cli({"bench", "--serve-cmd", serve, "--ready-timeout", "20", "--base-url",
                          "http://127.0.0.1:" + port, "--max-concurrency", "2", "--num-prompts", "4",
                          "--random-output-len", "4", "--out", (dir / "report.json").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(std::filesystem::exists(dir / "engine.log"));
  CHECK(sitegen::files::read(dir / "engine.log").find("listening on") != std::string::npos);
  // The engine is gone: its port no longer answers.
  const auto again = run_cli({"bench", "--base-url", "http://127.0.0.1:" + port, "--max-concurrency", "1",
                              "--out", (dir / "again.json").string()});
  CHECK(again.code == 1);
}

TEST_CASE("a --serve-cmd that exits at once is reported with its log", "[bench]") {
  ScratchDir dir("bench-e2e-serve-fail");
  const auto r = run_cli({"bench", "--serve-cmd", "echo engine failed to load; exit 3", "--ready-timeout", "10",
                          "--base-url", "http://127.0.0.1:1", "--max-concurrency", "1", "--out",
                          (dir / "report.json").string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("exited before it was ready") != std::string::npos);
  CHECK(r.err.find("engine failed to load") != std::string::npos);
}

TEST_CASE("bench --into places the report in the results tree", "[bench]") {
  SimServer server(fast_sim());
  const int port = server.start();
  ScratchDir dir("bench-e2e-into");
  const auto r = run_cli({"bench", "--base-url", "http://127.0.0.1:" + std::to_string(port), "--max-concurrency", "2",
                          "--num-prompts", "4", "--random-output-len", "4", "--set", "system.gpu.model=H100",
                          "--set", "system.gpu.count=1", "--into", (dir / "results").string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto listing = sitegen::files::list_recursive({dir / "results"}, "report.json");
  REQUIRE(listing.files.size() == 1);
  CHECK(listing.files[0].string().find("h100-1gpu") != std::string::npos);
  const Json report = sitegen::model::read_json_file(listing.files[0]);
  CHECK(report["system"]["gpu"]["model"] == "H100");
  CHECK(report["system"]["gpu"]["count"] == 1);
}

TEST_CASE("SIGINT stops a run cleanly and writes the partial report marked incomplete", "[bench]") {
  SimOptions o = fast_sim();
  o.engine.decode_step_ms = 50;  // 40 tokens: 2 s per request, far longer than the test waits
  SimServer server(o);
  const int port = server.start();
  ScratchDir dir("bench-e2e-sigint");
  const std::string out = (dir / "report.json").string();
  const std::string port_s = std::to_string(port);
  const pid_t pid = fork();
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDERR_FILENO);
    dup2(devnull, STDOUT_FILENO);
    execl(SITEGEN_BINARY, "sitegen", "bench", "--base-url", ("http://127.0.0.1:" + port_s).c_str(),
          "--max-concurrency", "2,4", "--num-prompts", "6", "--random-output-len", "40", "--out", out.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the first level has finished a request (2 s) and is in the middle of more.
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  const Json report = sitegen::model::read_json_file(out);
  require_valid(report);
  CHECK(report["status"] == "incomplete");
  REQUIRE(report["points"].size() == 1);
  CHECK(report["points"][0]["completed"].get<long long>() >= 1);
  CHECK(report["points"][0]["completed"].get<long long>() < 6);
  CHECK(report["points"][0]["extra"]["cancelled"].get<long long>() >= 1);
}
