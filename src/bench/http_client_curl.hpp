#pragma once
// The real HttpClient: libcurl's multi interface driven by socket events (epoll +
// curl_multi_socket_action), keep-alive connection reuse over HTTP/1.1, one easy handle per
// in-flight stream (pooled), CURLOPT_NOSIGNAL. Single-threaded: one poll() at a time.
//
// Receipt timestamps are steady_clock, read before any parsing. By default
// (ReceiptStamp::epoll_return) the clock is read once after epoll_wait returns and the ready
// sockets' receive queues have been measured (SIOCINQ), and the bytes curl then reads from a
// socket whose queue has not grown since carry that stamp: "when the kernel said the bytes were
// there", not when this one thread got round to that socket after handling the ones before it.
// A socket that received more bytes in between is stamped in the write callback instead (late,
// never early), and so is one whose write callback comes more than 50 µs after that check (the
// thread was held up in between). What remains: bytes landing in those few microseconds between
// the second check and curl's read are stamped early; the client benchmark counts any receipt
// stamped before its send. ReceiptStamp::write_callback always reads the clock in curl's write
// callback.

#include <memory>
#include <string>

#include "bench/http_client.hpp"

namespace sitegen::bench {

// Where the receipt timestamp of body bytes is read (see above).
enum class ReceiptStamp { epoll_return, write_callback };

class CurlClient : public HttpClient {
 public:
  // max_connections: how many keep-alive connections to hold open (at least the concurrency).
  // Raises RLIMIT_NOFILE to the hard limit. Throws Error when libcurl or epoll cannot start.
  explicit CurlClient(std::size_t max_connections = 1024, ReceiptStamp stamp = ReceiptStamp::epoll_return);
  ~CurlClient() override;
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  std::int64_t now_ns() override;
  void start(const ClientRequest& request) override;
  void poll(std::chrono::nanoseconds max_wait, HttpSink& sink) override;
  std::size_t in_flight() const override;
  void cancel_all(HttpSink& sink) override;

  struct Impl;

 private:
  std::unique_ptr<Impl> m_impl;
};

// A blocking request for small things (provenance, readiness): GET when body is empty, else POST.
struct FetchResult {
  long status = 0;     // 0 when there was no response
  std::string body;    // at most max_bytes
  std::string error;   // the transport's error when status is 0
};
FetchResult http_fetch(const std::string& url, double timeout_s, const std::string& body = "",
                        std::size_t max_bytes = std::size_t(1) << 20);

// The soft RLIMIT_NOFILE after raising it as far as the hard limit allows.
std::size_t raise_fd_limit();

}  // namespace sitegen::bench
