#pragma once
// The benchmark's one I/O seam: an asynchronous HTTP client that streams response bodies. The
// runner drives it and reads its clock; tests give the runner a scripted fake (no network), the
// real one is CurlClient (http_client_curl.hpp).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sitegen::bench {

struct ClientRequest {
  std::uint64_t id = 0;           // the caller's handle, echoed in every callback
  std::string url;
  std::string body;               // POSTed as application/json; empty = GET
  std::vector<std::string> headers;  // "Name: value"
  double timeout_s = 0;           // whole transfer; 0 = none
};

// How a transfer ended. Failures are data, never exceptions.
struct TransferResult {
  enum class Status { ok, http_error, timeout, connection, cancelled };
  Status status = Status::ok;
  long http_code = 0;       // 0 when no response line arrived
  std::string message;      // the transport's error, or the start of a non-2xx body
  std::int64_t end_ns = 0;  // client clock when the transfer ended
};

// Receives what the client observes. on_data gets the bytes of a 2xx body as they arrive, with
// the client clock read on receipt, before anything parses them.
class HttpSink {
 public:
  virtual ~HttpSink() = default;
  virtual void on_data(std::uint64_t id, std::string_view bytes, std::int64_t received_ns) = 0;
  virtual void on_complete(std::uint64_t id, const TransferResult& result) = 0;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Monotonic nanoseconds; every timestamp the runner records comes from here.
  virtual std::int64_t now_ns() = 0;
  // Starts a transfer; results arrive through the sink given to poll(). Throws Error only when
  // the client itself cannot work (out of memory, bad URL syntax).
  virtual void start(const ClientRequest& request) = 0;
  // Runs I/O until something completes or max_wait passes, reporting to sink.
  virtual void poll(std::chrono::nanoseconds max_wait, HttpSink& sink) = 0;
  // Transfers started and not yet completed.
  virtual std::size_t in_flight() const = 0;
  // Ends every transfer now; each is reported to sink as cancelled.
  virtual void cancel_all(HttpSink& sink) = 0;
};

}  // namespace sitegen::bench
