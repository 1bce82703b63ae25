#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>

#include "bench/http_server.hpp"
#include "bench/sim_raw_client.hpp"
#include "util/error.hpp"

using namespace sitegen;
using namespace sitegen::bench;
using sitegen::test::RawClient;
using sitegen::test::read_response;

namespace {

// Answers "<method> <target> <body bytes>", streams three chunks on /stream, never answers /hold.
class TestHandler : public HttpHandler {
 public:
  std::atomic<int> closed{0};

  void on_request(HttpServer& server, ConnId conn, HttpRequest request) override {
    if (request.path() == "/stream") {
      server.start_stream(conn, 200, "text/plain");
      m_streams.push_back({conn, 0});
      server.wake_at(monotonic_ns() + 2'000'000);
      return;
    }
    if (request.path() == "/hold") return;
    server.respond(conn, 200, "text/plain",
                   request.method + " " + request.target + " " + std::to_string(request.body.size()));
  }
  void on_closed(HttpServer&, ConnId) override { ++closed; }
  void on_timer(HttpServer& server, std::int64_t now_ns) override {
    std::vector<std::pair<ConnId, int>> still;
    for (auto [conn, sent] : m_streams) {
      server.send_chunk(conn, "part " + std::to_string(sent) + "\n");
      if (++sent == 3) {
        server.end_stream(conn);
      } else {
        still.push_back({conn, sent});
      }
    }
    m_streams = still;
    if (!m_streams.empty()) server.wake_at(now_ns + 2'000'000);
  }

 private:
  std::vector<std::pair<ConnId, int>> m_streams;
};

// The server on its own thread, stopped and joined at scope exit.
struct Running {
  TestHandler handler;
  HttpServer server;
  int port = 0;
  std::thread thread;
  explicit Running(HttpServerOptions options = {}) : server(std::move(options), handler) {
    port = server.listen();
    thread = std::thread([this] { server.run(); });
  }
  ~Running() {
    server.request_stop();
    thread.join();
  }
};

ParseResult parse(std::string_view text, HttpRequest& out, HttpLimits limits = {}) {
  return parse_http_request(text, limits, out);
}

}  // namespace

TEST_CASE("a complete request parses with its headers and body", "[sim]") {
  HttpRequest r;
  const std::string text = "POST /v1/completions?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-Thing:  v  \r\n\r\nhelloNEXT";
  const ParseResult p = parse(text, r);
  REQUIRE(p.state == ParseResult::State::complete);
  CHECK(p.consumed == text.size() - 4);
  CHECK(r.method == "POST");
  CHECK(r.path() == "/v1/completions");
  CHECK(r.header("x-thing") == "v");
  CHECK(r.body == "hello");
  CHECK(r.keep_alive);
}

TEST_CASE("a partial request asks for more bytes", "[sim]") {
  HttpRequest r;
  CHECK(parse("GET / HTTP/1.1\r\nHost:", r).state == ParseResult::State::incomplete);
  const ParseResult body_missing = parse("POST / HTTP/1.1\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\nabc", r);
  CHECK(body_missing.state == ParseResult::State::incomplete);
  CHECK(body_missing.expects_continue);
}

TEST_CASE("bad requests get the status that says why", "[sim]") {
  HttpRequest r;
  auto status = [&](const std::string& text, HttpLimits limits = {}) {
    const ParseResult p = parse(text, r, limits);
    return p.state == ParseResult::State::error ? p.status : 0;
  };
  CHECK(status("GARBAGE\r\n\r\n") == 400);
  CHECK(status("GET noslash HTTP/1.1\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/2.0\r\n\r\n") == 505);
  CHECK(status("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n") == 400);
  CHECK(status("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n") == 400);
  CHECK(status("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd") == 400);
  CHECK(status("POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\n") == 400);
  CHECK(status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == 501);
  HttpLimits small;
  small.max_body_bytes = 10;
  small.max_header_bytes = 64;
  CHECK(status("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", small) == 413);
  CHECK(status("GET / HTTP/1.1\r\nX: " + std::string(100, 'a'), small) == 431);
}

TEST_CASE("keep-alive follows the HTTP version and the Connection header", "[sim]") {
  HttpRequest r;
  parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", r);
  CHECK(!r.keep_alive);
  parse("GET / HTTP/1.0\r\n\r\n", r);
  CHECK(!r.keep_alive);
  parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", r);
  CHECK(r.keep_alive);
}

TEST_CASE("two requests on one keep-alive connection get two answers", "[sim]") {
  Running s;
  RawClient c(s.port);
  c.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto first = read_response(c);
  c.send("POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  const auto second = read_response(c);
  CHECK(first.status == 200);
  CHECK(first.body == "GET /one 0");
  CHECK(second.body == "POST /two 3");
  CHECK(!c.eof());
}

TEST_CASE("pipelined requests in one write are answered in order", "[sim]") {
  Running s;
  RawClient c(s.port);
  c.send("GET /a HTTP/1.1\r\n\r\nGET /stream HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n");
  CHECK(read_response(c).body == "GET /a 0");
  CHECK(read_response(c).body == "part 0\npart 1\npart 2\n");
  CHECK(read_response(c).body == "GET /c 0");
}

TEST_CASE("a request split across many writes is answered once whole", "[sim]") {
  Running s;
  RawClient c(s.port);
  const std::string request = "POST /split HTTP/1.1\r\nHost: x\r\nContent-Length: 26\r\n\r\nabcdefghijklmnopqrstuvwxyz";
  for (std::size_t i = 0; i < request.size(); ++i) {
    c.send(request.substr(i, 1));
    if (i % 8 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto r = read_response(c);
  CHECK(r.status == 200);
  CHECK(r.body == "POST /split 26");
}

TEST_CASE("a body larger than one read arrives whole", "[sim]") {
  Running s;
  RawClient c(s.port);
  const std::string body(300000, 'x');
  c.send("POST /big HTTP/1.1\r\nContent-Length: 300000\r\n\r\n" + body);
  CHECK(read_response(c).body == "POST /big 300000");
}

TEST_CASE("Expect 100-continue gets an interim answer before the body is sent", "[sim]") {
  Running s;
  RawClient c(s.port);
  c.send("POST /e HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  CHECK(read_response(c, 2000).status == 100);
  c.send("abcd");
  CHECK(read_response(c).body == "POST /e 4");
}

TEST_CASE("a bad request gets a 400 JSON error and the connection closes", "[sim]") {
  Running s;
  RawClient c(s.port);
  c.send("NOT HTTP AT ALL\r\n\r\n");
  const auto r = read_response(c);
  CHECK(r.status == 400);
  CHECK(r.header("content-type") == "application/json");
  CHECK(r.body.find(R"("code":400)") != std::string::npos);
  CHECK(c.read_to_eof(2000));
}

TEST_CASE("a streamed response is chunked on HTTP/1.1 and close-delimited on HTTP/1.0", "[sim]") {
  Running s;
  RawClient c11(s.port);
  c11.send("GET /stream HTTP/1.1\r\n\r\n");
  const auto chunked = read_response(c11);
  CHECK(chunked.complete);
  CHECK(chunked.header("transfer-encoding") == "chunked");
  CHECK(chunked.body == "part 0\npart 1\npart 2\n");
  CHECK(!c11.eof());

  RawClient c10(s.port);
  c10.send("GET /stream HTTP/1.0\r\n\r\n");
  CHECK(c10.read_to_eof(3000));
  std::size_t used = 0;
  const auto closed = sitegen::test::parse_response(c10.buffer(), used, true);
  CHECK(closed.headers.count("transfer-encoding") == 0);
  CHECK(closed.body == "part 0\npart 1\npart 2\n");
}

TEST_CASE("the handler hears when a client leaves before its answer", "[sim]") {
  Running s;
  {
    RawClient c(s.port);
    c.send("GET /hold HTTP/1.1\r\n\r\n");
    c.read_some(50);
  }
  for (int i = 0; i < 200 && s.handler.closed == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(s.handler.closed == 1);
}

TEST_CASE("stop returns while connections are open and requests unanswered", "[sim]") {
  auto s = std::make_unique<Running>();
  RawClient idle(s->port);
  RawClient held(s->port);
  held.send("GET /hold HTTP/1.1\r\n\r\n");
  held.read_some(50);
  s.reset();  // request_stop + join; the test would hang here if stop did not work
  CHECK(held.read_to_eof(2000));
  CHECK(idle.read_to_eof(2000));
}

TEST_CASE("listening on an address that is not numeric IPv4 names it", "[sim]") {
  TestHandler h;
  HttpServerOptions o;
  o.host = "localhost";
  HttpServer server(o, h);
  CHECK_THROWS_WITH(server.listen(), Catch::Contains("localhost:0"));
}

namespace {

// A server in a child process whose descriptors are limited to `fd_limit` (soft and hard, so the
// server cannot raise it); killed and reaped at scope exit.
struct LimitedServer {
  pid_t pid = -1;
  int port = 0;
  explicit LimitedServer(rlim_t fd_limit) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      const rlimit lim{fd_limit, fd_limit};
      ::setrlimit(RLIMIT_NOFILE, &lim);
      try {  // the child never returns into the test runner
        TestHandler handler;
        HttpServer server({}, handler);
        const int p = server.listen();
        [[maybe_unused]] const ssize_t n = ::write(fds[1], &p, sizeof p);
        server.run();
      } catch (...) {
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    pollfd pfd{fds[0], POLLIN, 0};
    if (::poll(&pfd, 1, 10000) == 1) {
      [[maybe_unused]] const ssize_t n = ::read(fds[0], &port, sizeof port);
    }
    ::close(fds[0]);
  }
  ~LimitedServer() {
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  std::size_t open_descriptors() const {
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      ++n;
    }
    return n;
  }
};

}  // namespace

TEST_CASE("out of descriptors the server keeps serving, and recovers when clients close", "[sim]") {
  LimitedServer s(64);
  REQUIRE(s.port > 0);
  // 100 clients with a request each: more than 64 descriptors can hold.
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 100; ++i) {
    clients.push_back(std::make_unique<RawClient>(s.port));
    clients.back()->send("GET /a HTTP/1.1\r\n\r\n");
  }
  // The connections it holds are answered while it cannot accept more.
  CHECK(clients.front()->read_until("GET /a 0", 5000));
  CHECK(clients[10]->read_until("GET /a 0", 5000));
  clients.clear();  // all 100 close
  // Descriptors free up: the server accepts again and answers a new client.
  RawClient late(s.port);
  late.send("GET /after HTTP/1.1\r\n\r\n");
  CHECK(late.read_until("GET /after 0", 10000));
  // and it has let go of the closed connections' descriptors.
  std::size_t open = s.open_descriptors();
  for (int i = 0; i < 200 && open > 20; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    open = s.open_descriptors();
  }
  CHECK(open <= 20);
}

TEST_CASE("a request that does not arrive in time is dropped, an idle keep-alive connection is not", "[sim]") {
  HttpServerOptions o;
  o.header_timeout_ms = 200;
  Running s(o);
  RawClient idle(s.port);
  idle.send("GET /a HTTP/1.1\r\n\r\n");
  CHECK(idle.read_until("GET /a 0", 5000));
  RawClient slow(s.port);
  slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n");  // headers never finished (slowloris)
  RawClient silent(s.port);                          // connects and sends nothing
  CHECK(slow.read_to_eof(10000));
  CHECK(silent.read_to_eof(10000));
  CHECK(slow.buffer().empty());
  // The keep-alive connection waited longer than the timeout between requests and still works.
  idle.send("GET /b HTTP/1.1\r\n\r\n");
  CHECK(idle.read_until("GET /b 0", 5000));
}

TEST_CASE("a request followed by a half-close is answered, then the connection closes", "[sim]") {
  Running s;
  RawClient c(s.port);
  c.send("POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
  c.shutdown_write();
  CHECK(c.read_to_eof(5000));
  std::size_t used = 0;
  const auto answer = sitegen::test::parse_response(c.buffer(), used, true);
  CHECK(answer.status == 200);
  CHECK(answer.body == "POST /x 3");

  RawClient streamed(s.port);
  streamed.send("GET /stream HTTP/1.1\r\n\r\n");
  streamed.shutdown_write();
  CHECK(streamed.read_to_eof(5000));
  const auto stream = sitegen::test::parse_response(streamed.buffer(), used, true);
  CHECK(stream.body == "part 0\npart 1\npart 2\n");

  // A request cut short by the half-close can never complete: closed without an answer.
  RawClient cut(s.port);
  cut.send("GET /x HTTP/1.1\r\nHost:");
  cut.shutdown_write();
  CHECK(cut.read_to_eof(5000));
  CHECK(cut.buffer().empty());
}
