#pragma once
// A small HTTP/1.1 server on epoll, one thread, for sim-server: keep-alive, requests with a
// Content-Length body, complete responses, and streamed responses (chunked transfer encoding, or
// close-delimited for HTTP/1.0 clients). It holds many thousands of connections and wakes its
// handler on a timer, so a simulated engine can emit tokens at chosen times. Out of file
// descriptors it stops accepting for a while (backing off) and serves the connections it has; a
// request that does not arrive in time is dropped; a request followed by a half-close is answered.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/http_request.hpp"

namespace sitegen::bench {

// Requests and their parsing: bench/http_request.hpp.

using ConnId = std::uint64_t;
class HttpServer;

// What the server calls on its loop thread. A handler answers each request exactly once, now or
// later, through the server's respond/start_stream/send_chunk/end_stream/drop; until it does, the
// connection reads no further requests (pipelined ones wait in its buffer).
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual void on_request(HttpServer& server, ConnId conn, HttpRequest request) = 0;
  // The peer closed, or the connection failed, while a request was unanswered or streaming.
  virtual void on_closed(HttpServer& server, ConnId conn) = 0;
  // The time set with HttpServer::wake_at has come; `now_ns` is CLOCK_MONOTONIC.
  virtual void on_timer(HttpServer& server, std::int64_t now_ns) = 0;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // a numeric IPv4 address
  int port = 0;                    // 0: the kernel picks a free one
  HttpLimits limits;
  std::size_t max_pending_output = 16 * 1024 * 1024;  // a reader this far behind is dropped
  std::string server_header = "sitegen-sim";
  // A request's headers and body must arrive within this long after the connection opens or the
  // request's first byte arrives, else the connection is closed (slowloris); 0: no limit.
  // Idle keep-alive connections between requests are not timed.
  int header_timeout_ms = 30000;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Raises RLIMIT_NOFILE to its hard limit, binds and listens; returns the port.
  // Throws Error naming the address when it cannot bind.
  int listen();
  // Runs the event loop on this thread until request_stop(); then closes every connection.
  void run();
  // Makes run() return soon. Safe from any thread and from a signal handler.
  void request_stop();

  // --- For the handler, on the loop thread. Calls on a connection that is gone do nothing and
  // return false; none of them calls back into the handler. ---

  // A complete response with a Content-Length body; then the next request is read (keep-alive)
  // or the connection is closed.
  bool respond(ConnId conn, int status, std::string_view content_type, std::string_view body);
  // Sends the status line and headers of a streamed response.
  bool start_stream(ConnId conn, int status, std::string_view content_type);
  // Sends one piece of a streamed response (one HTTP chunk when chunked). Returns false when the
  // connection is gone (then it has been closed).
  bool send_chunk(ConnId conn, std::string_view data);
  // Ends a streamed response (the zero-length chunk, or closing when close-delimited).
  bool end_stream(ConnId conn);
  // Closes the connection now, without finishing the response.
  void drop(ConnId conn);
  // Calls on_timer at or after `when_ns` (CLOCK_MONOTONIC); replaces any earlier wake-up.
  // A negative value cancels it.
  void wake_at(std::int64_t when_ns);

  // Connections open now.
  std::size_t connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// CLOCK_MONOTONIC in nanoseconds (what std::chrono::steady_clock reads on Linux).
std::int64_t monotonic_ns();


}  // namespace sitegen::bench
