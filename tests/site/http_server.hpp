#pragma once
// A tiny static HTTP/1.0 server for the browser test: serves the files under a root on
// 127.0.0.1 at an ephemeral port from a background thread, one connection at a time, and stops
// when destroyed. GET only; paths with ".." or outside the root get 404.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace sitegen::test {

class StaticHttpServer {
 public:
  explicit StaticHttpServer(std::filesystem::path root) : m_root(std::move(root)) {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_fd < 0) throw std::runtime_error("socket failed");
    int one = 1;
    ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_fd, 64) != 0) {
      ::close(m_fd);
      throw std::runtime_error("bind/listen on 127.0.0.1 failed");
    }
    socklen_t len = sizeof addr;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { loop(); });
  }
  ~StaticHttpServer() {
    m_stop = true;
    m_thread.join();
    ::close(m_fd);
  }
  StaticHttpServer(const StaticHttpServer&) = delete;
  StaticHttpServer& operator=(const StaticHttpServer&) = delete;

  int port() const { return m_port; }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(m_port) + "/" + path; }
  int requests() const { return m_requests; }

 private:
  void loop() {
    while (!m_stop) {
      pollfd p{m_fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const int client = ::accept(m_fd, nullptr, nullptr);
      if (client < 0) continue;
      serve(client);
      ::close(client);
    }
  }

  static std::string content_type(const std::filesystem::path& p) {
    const std::string ext = p.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".csv") return "text/csv; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    return "application/octet-stream";
  }

  void serve(int client) {
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      pollfd p{client, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) return;
      const ssize_t n = ::read(client, buf, sizeof buf);
      if (n <= 0) return;
      request.append(buf, std::size_t(n));
    }
    ++m_requests;
    std::istringstream line(request.substr(0, request.find("\r\n")));
    std::string method, target;
    line >> method >> target;
    target = target.substr(0, target.find_first_of("?#"));
    if (target.empty() || target.back() == '/') target += "index.html";
    std::string status = "200 OK", body, type = "text/plain";
    const std::filesystem::path file = m_root / target.substr(1);
    std::error_code ec;
    if (method != "GET" || target.find("..") != std::string::npos || !std::filesystem::is_regular_file(file, ec)) {
      status = "404 Not Found";
      body = "not found\n";
    } else {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      body = ss.str();
      type = content_type(file);
    }
    const std::string head = "HTTP/1.0 " + status + "\r\nContent-Type: " + type +
                             "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    const std::string out = head + body;
    std::size_t sent = 0;
    while (sent < out.size()) {
      const ssize_t n = ::send(client, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += std::size_t(n);
    }
  }

  std::filesystem::path m_root;
  int m_fd = -1;
  int m_port = 0;
  std::atomic<bool> m_stop{false};
  std::atomic<int> m_requests{0};
  std::thread m_thread;
};

}  // namespace sitegen::test
