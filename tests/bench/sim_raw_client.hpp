#pragma once
// A raw TCP client for the sim-server and HTTP server tests: plain sockets, a deadline on every
// read, and just enough HTTP/1.1 to split a response into status, headers and (de-chunked) body.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sitegen::test {

class RawClient {
 public:
  explicit RawClient(int port) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(m_fd);
      throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawClient() { close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
  }

  // Shuts the sending side (a half-close): the server sees end of file and can still answer.
  void shutdown_write() { ::shutdown(m_fd, SHUT_WR); }

  // Reads what arrives within timeout_ms into buffer(); false when nothing did. Sets eof().
  bool read_some(int timeout_ms) {
    pollfd p{m_fd, POLLIN, 0};
    if (m_eof || ::poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[65536];
    const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
    if (n <= 0) {
      m_eof = true;
      return false;
    }
    m_buffer.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  // Reads until `marker` is in the buffer, the peer closes, or timeout_ms passes.
  bool read_until(std::string_view marker, int timeout_ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (m_buffer.find(marker) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || m_eof) return false;
      read_some(static_cast<int>(left.count()));
    }
    return true;
  }

  // Reads until the peer closes (true) or timeout_ms passes (false).
  bool read_to_eof(int timeout_ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!m_eof) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      read_some(static_cast<int>(left.count()));
    }
    return true;
  }

  std::string& buffer() { return m_buffer; }
  bool eof() const { return m_eof; }

 private:
  int m_fd = -1;
  bool m_eof = false;
  std::string m_buffer;
};

struct RawResponse {
  bool complete = false;  // the whole body arrived (by length, last chunk, or close)
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // de-chunked
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

inline std::string lower_ascii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Parses one response at the start of `data`; `used` is how many bytes it took (0 when incomplete).
inline RawResponse parse_response(const std::string& data, std::size_t& used, bool eof) {
  RawResponse r;
  used = 0;
  const std::size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  std::size_t pos = data.find("\r\n");
  r.status = std::stoi(data.substr(9, 3));
  while (pos < head_end) {
    const std::size_t next = data.find("\r\n", pos + 2);
    const std::string line = data.substr(pos + 2, next - pos - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[lower_ascii(line.substr(0, colon))] = value;
    }
    pos = next;
  }
  std::size_t at = head_end + 4;
  if (r.status == 100) {
    r.complete = true;
    used = at;
    return r;
  }
  if (r.headers.count("content-length")) {
    const std::size_t length = std::stoul(r.header("content-length"));
    r.body = data.substr(at, length);
    r.complete = data.size() >= at + length;
    used = r.complete ? at + length : 0;
  } else if (lower_ascii(r.header("transfer-encoding")) == "chunked") {
    for (;;) {
      const std::size_t line_end = data.find("\r\n", at);
      if (line_end == std::string::npos) break;
      const std::size_t size = std::stoul(data.substr(at, line_end - at), nullptr, 16);
      if (data.size() < line_end + 2 + size + 2) break;
      if (size == 0) {
        r.complete = true;
        used = line_end + 4;
        break;
      }
      r.body += data.substr(line_end + 2, size);
      at = line_end + 2 + size + 2;
    }
  } else {
    r.body = data.substr(at);
    r.complete = eof;
    used = eof ? data.size() : 0;
  }
  return r;
}

// Reads one whole response (or what arrived before the deadline or the close) and removes it
// from the client's buffer.
inline RawResponse read_response(RawClient& client, int timeout_ms = 5000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    std::size_t used = 0;
    RawResponse r = parse_response(client.buffer(), used, client.eof());
    if (r.complete) {
      client.buffer().erase(0, used);
      return r;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || client.eof()) return r;
    client.read_some(static_cast<int>(left.count()));
  }
}

// "data: ..." payloads of the SSE events in a body, in order.
inline std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> events;
  std::size_t at = 0;
  for (;;) {
    const std::size_t end = body.find("\n\n", at);
    if (end == std::string::npos) break;
    const std::string event = body.substr(at, end - at);
    if (event.rfind("data: ", 0) == 0) events.push_back(event.substr(6));
    at = end + 2;
  }
  return events;
}

inline std::string http_post(const std::string& path, const std::string& body, const std::string& extra = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

inline std::string http_get(const std::string& path) { return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"; }

}  // namespace sitegen::test
