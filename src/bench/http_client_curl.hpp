#pragma once
// The real HttpClient: libcurl's multi interface driven by socket events (epoll +
// curl_multi_socket_action), keep-alive connection reuse over HTTP/1.1, one easy handle per
// in-flight stream (pooled), CURLOPT_NOSIGNAL. Single-threaded: one poll() at a time.
//
// Receipt timestamps are steady_clock, read before any parsing. After epoll_wait returns, the
// ready sockets' receive queues are measured (SIOCINQ) and the clock is read: the batch stamp.
// The bytes curl then reads from a socket whose queue has not grown since carry a stamp vouched
// for by that check; a socket that received more bytes in between is stamped in the write
// callback instead, and so is one whose write callback comes more than 50 µs after its check (the
// thread was held up in between).
//
// ReceiptStamp::kernel (the default) stamps a vouched socket's bytes with the kernel's receive
// time of the last of the counted bytes (SO_TIMESTAMPNS, read by peeking exactly those bytes),
// moved onto the steady clock by the realtime-to-steady offset read with the batch stamp: when
// the bytes reached this host, however long this one thread took to get to them. A socket with
// no kernel timestamp gets the batch stamp. ReceiptStamp::epoll_return always uses the batch
// stamp ("when the kernel said the bytes were there"). ReceiptStamp::write_callback reads the
// clock in curl's write callback.
//
// What remains: bytes landing in the few microseconds between a socket's second check and curl's
// read are read with the counted ones and get their (earlier) stamp. The client benchmark counts
// every receipt stamped before its send, and the README publishes the count.

#include <memory>
#include <string>

#include "bench/http_client.hpp"

namespace sitegen::bench {

// Where the receipt timestamp of body bytes is read (see above).
enum class ReceiptStamp { epoll_return, kernel, write_callback };

class CurlClient : public HttpClient {
 public:
  // max_connections: how many keep-alive connections to hold open (at least the concurrency).
  // Raises RLIMIT_NOFILE to the hard limit. Throws Error when libcurl or epoll cannot start.
  explicit CurlClient(std::size_t max_connections = 1024, ReceiptStamp stamp = ReceiptStamp::kernel);
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
