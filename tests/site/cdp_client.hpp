#pragma once
// Drives headless Chromium through the DevTools protocol over --remote-debugging-pipe: the
// browser reads NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4.
// Used by the browser test only; no npm, no network beyond 127.0.0.1.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sitegen::test {

class Chromium {
 public:
  using Json = nlohmann::json;

  // Starts the browser with a fresh profile in user_data_dir. Throws when it cannot start.
  Chromium(const std::string& binary, const std::filesystem::path& user_data_dir) {
    int to_browser[2], from_browser[2];
    if (::pipe(to_browser) != 0 || ::pipe(from_browser) != 0) throw std::runtime_error("pipe failed");
    m_pid = ::fork();
    if (m_pid < 0) throw std::runtime_error("fork failed");
    if (m_pid == 0) {
      // The child: fd 3 is what we write, fd 4 is what we read.
      const int in = ::dup(to_browser[0]), out = ::dup(from_browser[1]);
      ::dup2(in, 3);
      ::dup2(out, 4);
      const int devnull = ::open("/dev/null", O_RDWR);
      ::dup2(devnull, 0);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      for (int fd = 5; fd < 1024; ++fd) ::close(fd);
      const std::string profile = "--user-data-dir=" + user_data_dir.string();
      const char* argv[] = {binary.c_str(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                            "--remote-debugging-pipe", profile.c_str(), "about:blank", nullptr};
      ::execv(binary.c_str(), const_cast<char* const*>(argv));
      ::_exit(127);
    }
    ::close(to_browser[0]);
    ::close(from_browser[1]);
    m_write = to_browser[1];
    m_read = from_browser[0];
  }

  ~Chromium() {
    try {
      send("Browser.close", Json::object(), "");
    } catch (...) {
    }
    ::close(m_write);
    ::close(m_read);
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) return;
      ::usleep(100000);
    }
    ::kill(m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
  }
  Chromium(const Chromium&) = delete;
  Chromium& operator=(const Chromium&) = delete;

  // Sends a command and waits for its reply (events that arrive meanwhile are kept). Throws on
  // a protocol error or when no reply comes within timeout_s.
  Json call(const std::string& method, const Json& params, const std::string& session, double timeout_s = 30) {
    const int id = send(method, params, session);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
    for (;;) {
      Json msg = next(deadline, method);
      if (msg.contains("id") && msg["id"] == id) {
        if (msg.contains("error")) throw std::runtime_error(method + ": " + msg["error"].dump());
        return msg.value("result", Json::object());
      }
      if (msg.contains("method")) m_events.push_back(std::move(msg));
    }
  }

  // Waits for an event of this method in this session (earlier kept events count).
  Json wait_event(const std::string& method, const std::string& session, double timeout_s = 30) {
    for (auto it = m_events.begin(); it != m_events.end(); ++it) {
      if ((*it)["method"] == method && it->value("sessionId", "") == session) {
        Json e = *it;
        m_events.erase(it);
        return e;
      }
    }
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
    for (;;) {
      Json msg = next(deadline, method);
      if (msg.value("method", "") == method && msg.value("sessionId", "") == session) return msg;
      if (msg.contains("method")) m_events.push_back(std::move(msg));
    }
  }

  // Every event received so far, oldest first; the caller may clear it.
  std::vector<Json>& events() { return m_events; }

 private:
  int send(const std::string& method, const Json& params, const std::string& session) {
    Json msg = {{"id", ++m_id}, {"method", method}, {"params", params}};
    if (!session.empty()) msg["sessionId"] = session;
    std::string text = msg.dump();
    text.push_back('\0');
    std::size_t sent = 0;
    while (sent < text.size()) {
      const ssize_t n = ::write(m_write, text.data() + sent, text.size() - sent);
      if (n <= 0) throw std::runtime_error("chromium closed its pipe");
      sent += std::size_t(n);
    }
    return m_id;
  }

  Json next(std::chrono::steady_clock::time_point deadline, const std::string& waiting_for) {
    for (;;) {
      const auto nul = m_buffer.find('\0');
      if (nul != std::string::npos) {
        Json msg = Json::parse(m_buffer.substr(0, nul));
        m_buffer.erase(0, nul + 1);
        return msg;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("chromium: no answer in time while waiting for " + waiting_for);
      pollfd p{m_read, POLLIN, 0};
      if (::poll(&p, 1, int(left.count())) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::read(m_read, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("chromium exited while waiting for " + waiting_for);
      m_buffer.append(buf, std::size_t(n));
    }
  }

  pid_t m_pid = -1;
  int m_write = -1, m_read = -1;
  int m_id = 0;
  std::string m_buffer;
  std::vector<Json> m_events;
};

// Standard base64 (the screenshots come back in it).
inline std::string base64_decode(const std::string& in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int bits = 0, acc = 0;
  for (char c : in) {
    const int v = value(c);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace sitegen::test
