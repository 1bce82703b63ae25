#include "bench/http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <optional>
#include <unordered_map>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::bench {

std::int64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}


// --- The server ------------------------------------------------------------------------------

namespace {

constexpr std::uint64_t k_listen_key = 1;
constexpr std::uint64_t k_stop_key = 2;
constexpr std::uint64_t k_timer_key = 3;
constexpr std::uint64_t k_first_conn = 16;
// Out of descriptors, accepting pauses this long at first, doubling up to the maximum, and
// resumes at once when a connection closes.
constexpr std::int64_t k_accept_backoff_ns = 10'000'000;
constexpr std::int64_t k_accept_backoff_max_ns = 1'000'000'000;

enum class Phase {
  reading,    // waiting for (more of) a request
  handling,   // the handler owns the request and has not answered yet
  streaming,  // a streamed response is in progress
  closing,    // the last response is written; waiting for the peer to close
};

struct Conn {
  int fd = -1;
  Phase phase = Phase::reading;
  std::string in;
  std::string out;
  std::size_t out_off = 0;
  bool keep_alive = true;
  bool chunked = true;
  bool continue_sent = false;
  bool want_out = false;
  bool close_when_flushed = false;
  bool http11 = false;            // the request being answered may get an interim 1xx
  bool peer_eof = false;          // the peer shut its sending side (or closed)
  std::uint32_t events = EPOLLIN | EPOLLRDHUP;  // what epoll watches now
  std::int64_t read_deadline_ns = 0;  // a request's header and body must arrive by then; 0: none
  std::size_t pending() const { return out.size() - out_off; }
};

std::string error_json(int status, std::string_view message) {
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  }
  return R"({"error":{"message":")" + escaped + R"(","type":"BadRequestError","param":null,"code":)" +
         std::to_string(status) + "}}";
}

void raise_fd_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  HttpHandler& handler;
  HttpServer* self = nullptr;
  int listen_fd = -1, epoll_fd = -1, stop_fd = -1, timer_fd = -1;
  std::unordered_map<ConnId, Conn> conns;
  std::vector<ConnId> ready;  // connections whose buffered input should be parsed again
  ConnId next_id = k_first_conn;
  bool stopping = false;
  bool accept_paused = false;         // out of descriptors: the listener is not watched
  std::int64_t accept_resume_ns = 0;  // when to try accepting again
  std::int64_t accept_backoff_ns = k_accept_backoff_ns;
  std::int64_t next_sweep_ns = 0;     // when to look for connections past their read deadline

  Impl(HttpServerOptions o, HttpHandler& h) : options(std::move(o)), handler(h) {}

  ~Impl() {
    for (auto& [id, c] : conns) ::close(c.fd);
    for (int fd : {listen_fd, epoll_fd, stop_fd, timer_fd}) {
      if (fd >= 0) ::close(fd);
    }
  }

  Conn* find(ConnId id) {
    auto it = conns.find(id);
    return it == conns.end() ? nullptr : &it->second;
  }

  void set_events(ConnId id, Conn& c, bool want_out) {
    c.want_out = want_out;
    // After the peer's end of file the socket stays readable: watching it would spin the loop.
    const std::uint32_t events = (c.peer_eof ? 0u : EPOLLIN | EPOLLRDHUP) | (want_out ? EPOLLOUT : 0u);
    if (events == c.events) return;
    c.events = events;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = id;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c.fd, &ev);
  }

  // Closes and forgets a connection; tells the handler when it still owed an answer.
  void close_conn(ConnId id, bool notify) {
    auto it = conns.find(id);
    if (it == conns.end()) return;
    const bool owed = it->second.phase == Phase::handling || it->second.phase == Phase::streaming;
    ::close(it->second.fd);
    conns.erase(it);
    if (accept_paused) accept_resume_ns = 0;  // a descriptor is free: accept again at once
    if (notify && owed) handler.on_closed(*self, id);
  }

  // After the last byte of a response: read the next request, or close gracefully.
  void finish_response(ConnId id, Conn& c) {
    if (c.keep_alive) {
      c.phase = Phase::reading;
      c.continue_sent = false;
      c.read_deadline_ns = c.in.empty() ? 0 : read_deadline();  // idle keep-alive is not timed
      if (!c.in.empty()) ready.push_back(id);
      return;
    }
    c.phase = Phase::closing;
    if (c.pending() == 0) {
      if (c.peer_eof) return close_conn(id, false);  // both sides are done
      ::shutdown(c.fd, SHUT_WR);
    } else {
      c.close_when_flushed = true;
    }
  }

  // Writes what it can now and buffers the rest. False when the connection failed (it is closed).
  bool write_iov(ConnId id, Conn& c, iovec* iov, int count) {
    std::size_t total = 0;
    for (int i = 0; i < count; ++i) total += iov[i].iov_len;
    std::size_t written = 0;
    if (c.pending() == 0) {
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = static_cast<std::size_t>(count);
      const ssize_t n = ::sendmsg(c.fd, &msg, MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        close_conn(id, false);
        return false;
      }
      written = n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    if (written == total) return true;
    if (c.out_off == c.out.size()) {
      c.out.clear();
      c.out_off = 0;
    }
    for (int i = 0; i < count; ++i) {
      const std::size_t len = iov[i].iov_len;
      const std::size_t skip = std::min(written, len);
      written -= skip;
      c.out.append(static_cast<const char*>(iov[i].iov_base) + skip, len - skip);
    }
    if (c.pending() > options.max_pending_output) {
      close_conn(id, false);
      return false;
    }
    set_events(id, c, true);
    return true;
  }

  bool write_str(ConnId id, Conn& c, std::string_view data) {
    iovec iov{const_cast<char*>(data.data()), data.size()};
    return write_iov(id, c, &iov, 1);
  }

  void flush(ConnId id, Conn& c) {
    while (c.pending() > 0) {
      const ssize_t n = ::send(c.fd, c.out.data() + c.out_off, c.pending(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        if (errno == EINTR) continue;
        close_conn(id, true);
        return;
      }
      c.out_off += static_cast<std::size_t>(n);
    }
    c.out.clear();
    c.out_off = 0;
    set_events(id, c, false);
    if (c.close_when_flushed) {
      c.close_when_flushed = false;
      if (c.peer_eof) return close_conn(id, false);
      ::shutdown(c.fd, SHUT_WR);
    }
  }

  std::string head(int status, const Conn& c, std::string_view content_type) const {
    std::string h = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
    h += "Server: " + options.server_header + "\r\n";
    if (!content_type.empty()) h += "Content-Type: " + std::string(content_type) + "\r\n";
    h += c.keep_alive ? "" : "Connection: close\r\n";
    return h;
  }

  bool respond(ConnId id, int status, std::string_view content_type, std::string_view body) {
    Conn* c = find(id);
    if (!c || c->phase == Phase::closing) return false;
    const std::string h = head(status, *c, content_type) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    iovec iov[2] = {{const_cast<char*>(h.data()), h.size()}, {const_cast<char*>(body.data()), body.size()}};
    if (!write_iov(id, *c, iov, 2)) return false;
    finish_response(id, *c);
    return true;
  }

  bool start_stream(ConnId id, int status, std::string_view content_type) {
    Conn* c = find(id);
    if (!c || c->phase != Phase::handling) return false;
    c->chunked = c->keep_alive;  // HTTP/1.0 and Connection: close get a close-delimited body
    std::string h = head(status, *c, content_type) + "Cache-Control: no-cache\r\n";
    h += c->chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "\r\n";
    c->phase = Phase::streaming;
    return write_str(id, *c, h);
  }

  bool send_chunk(ConnId id, std::string_view data) {
    Conn* c = find(id);
    if (!c || c->phase != Phase::streaming) return false;
    if (data.empty()) return true;  // an empty chunk would end the body
    if (!c->chunked) return write_str(id, *c, data);
    char size_line[24];
    auto [end, ec] = std::to_chars(size_line, size_line + 16, data.size(), 16);
    *end++ = '\r';
    *end++ = '\n';
    iovec iov[3] = {{size_line, static_cast<std::size_t>(end - size_line)},
                    {const_cast<char*>(data.data()), data.size()},
                    {const_cast<char*>("\r\n"), 2}};
    return write_iov(id, *c, iov, 3);
  }

  bool end_stream(ConnId id) {
    Conn* c = find(id);
    if (!c || c->phase != Phase::streaming) return false;
    if (c->chunked && !write_str(id, *c, "0\r\n\r\n")) return false;
    c->keep_alive = c->keep_alive && c->chunked;
    finish_response(id, *c);
    return true;
  }

  void accept_all() {
    for (;;) {
      const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE) pause_accepting();
        return;  // EAGAIN, or a transient error: wait for the next readiness
      }
      accept_backoff_ns = k_accept_backoff_ns;
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      const ConnId id = next_id++;
      Conn& c = conns[id];
      c.fd = fd;
      c.read_deadline_ns = read_deadline();
      epoll_event ev{};
      ev.events = c.events;
      ev.data.u64 = id;
      ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    }
  }

  // Out of descriptors: the pending clients wait in the listen queue (the kernel keeps them)
  // while the connections already open are served; accepting resumes when one of them closes or
  // the backoff ends (descriptors freed elsewhere), never in a busy loop.
  void pause_accepting() {
    if (!accept_paused) {
      epoll_event ev{};
      ev.data.u64 = k_listen_key;
      ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, listen_fd, &ev);  // watched for nothing
      accept_paused = true;
    }
    accept_resume_ns = monotonic_ns() + accept_backoff_ns;
    accept_backoff_ns = std::min(accept_backoff_ns * 2, k_accept_backoff_max_ns);
  }

  void resume_accepting() {
    accept_paused = false;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = k_listen_key;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, listen_fd, &ev);
    accept_all();
  }

  std::int64_t read_deadline() const {
    return options.header_timeout_ms > 0 ? monotonic_ns() + std::int64_t(options.header_timeout_ms) * 1'000'000 : 0;
  }

  // Closes the connections whose request did not arrive in time (slowloris: headers sent a byte
  // at a time, or nothing at all after connecting).
  void sweep_deadlines(std::int64_t now) {
    std::vector<ConnId> late;
    for (const auto& [id, c] : conns) {
      if (c.phase == Phase::reading && c.read_deadline_ns && now >= c.read_deadline_ns) late.push_back(id);
    }
    for (const ConnId id : late) close_conn(id, false);
  }

  // How long epoll_wait may sleep: until the next deadline sweep or accept retry, else forever.
  int wait_ms(std::int64_t now) {
    std::int64_t until = -1;
    if (options.header_timeout_ms > 0 && !conns.empty()) {
      if (next_sweep_ns <= now) {
        sweep_deadlines(now);
        next_sweep_ns = now + std::clamp<std::int64_t>(std::int64_t(options.header_timeout_ms) * 250'000, 1'000'000,
                                                       1'000'000'000);
      }
      until = next_sweep_ns;
    }
    if (accept_paused) {
      if (accept_resume_ns <= now) {
        resume_accepting();
        drain_ready();
        if (!accept_paused) return wait_ms(now);
      }
      until = until < 0 ? accept_resume_ns : std::min(until, accept_resume_ns);
    }
    if (until < 0) return -1;
    return static_cast<int>(std::clamp<std::int64_t>((until - now + 999'999) / 1'000'000, 0, 1000));
  }

  void read_input(ConnId id) {
    char buf[65536];
    for (;;) {
      Conn* c = find(id);
      if (!c) return;
      if (c->peer_eof) return;
      const ssize_t n = ::recv(c->fd, buf, sizeof buf, 0);
      if (n > 0) {
        if (c->phase == Phase::closing) continue;  // draining before the close
        if (c->in.empty() && c->phase == Phase::reading && !c->read_deadline_ns) c->read_deadline_ns = read_deadline();
        c->in.append(buf, static_cast<std::size_t>(n));
        if (c->in.size() > options.limits.max_header_bytes + options.limits.max_body_bytes + 4) {
          close_conn(id, true);
          return;
        }
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n < 0 || c->phase == Phase::closing) {
        close_conn(id, true);  // reset or another error, or the close we were waiting for
        return;
      }
      peer_closed(id, *c);
      return;
    }
    ready.push_back(id);
  }

  // The peer shut its sending side. A client may do that right after its request (a
  // half-close) and still read the answer, so what it sent is answered before closing; a client
  // that closed for good shows when a write to it fails. An HTTP/1.1 request still being handled
  // gets an interim "100 Continue" (which HTTP/1.1 clients accept and ignore) so that, from a
  // client that is gone, the reset comes now and the handler hears at once.
  void peer_closed(ConnId id, Conn& c) {
    c.peer_eof = true;
    c.keep_alive = false;
    set_events(id, c, c.want_out);
    if (c.phase == Phase::reading) {
      ready.push_back(id);  // answers a complete request, or closes (process_input)
    } else if (c.phase == Phase::handling && c.http11) {
      // A write that fails closes the connection without telling the handler: tell it here.
      if (!write_str(id, c, "HTTP/1.1 100 Continue\r\n\r\n")) handler.on_closed(*self, id);
    }
  }

  // Parses as many buffered requests as the connection's state allows and hands them over.
  void process_input(ConnId id) {
    for (;;) {
      Conn* c = find(id);
      if (!c || c->phase != Phase::reading) return;
      if (c->in.empty()) {
        if (c->peer_eof) close_conn(id, false);  // nothing more will come
        return;
      }
      HttpRequest request;
      const ParseResult r = parse_http_request(c->in, options.limits, request);
      if (r.state == ParseResult::State::incomplete && c->peer_eof) {
        close_conn(id, false);  // the rest of the request will never come
        return;
      }
      if (r.state == ParseResult::State::incomplete) {
        if (r.expects_continue && !c->continue_sent) {
          c->continue_sent = true;
          write_str(id, *c, "HTTP/1.1 100 Continue\r\n\r\n");
        }
        return;
      }
      if (r.state == ParseResult::State::error) {
        c->in.clear();
        c->keep_alive = false;
        c->phase = Phase::handling;
        respond(id, r.status, "application/json", error_json(r.status, r.message));
        return;
      }
      c->in.erase(0, r.consumed);
      c->keep_alive = request.keep_alive && !c->peer_eof;
      c->http11 = request.version == "HTTP/1.1";
      c->read_deadline_ns = 0;
      c->phase = Phase::handling;
      handler.on_request(*self, id, std::move(request));
    }
  }

  void on_conn_event(ConnId id, std::uint32_t events) {
    if (events & EPOLLOUT) {
      if (Conn* c = find(id)) flush(id, *c);
    }
    Conn* c = find(id);
    if (c && c->peer_eof && (events & (EPOLLHUP | EPOLLERR))) {
      close_conn(id, true);  // a half-closed peer that has now gone for good (reset)
      return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) read_input(id);
  }

  void drain_ready() {
    while (!ready.empty()) {
      std::vector<ConnId> now;
      now.swap(ready);
      for (ConnId id : now) process_input(id);
    }
  }

  void run() {
    if (epoll_fd < 0) throw Error("http server: run() called before listen()");
    epoll_event events[512];
    while (!stopping) {
      const int n = ::epoll_wait(epoll_fd, events, 512, wait_ms(monotonic_ns()));
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error(std::string("http server: epoll_wait failed: ") + std::strerror(errno));
      }
      for (int i = 0; i < n; ++i) {
        const std::uint64_t key = events[i].data.u64;
        if (key == k_stop_key) {
          stopping = true;
        } else if (key == k_listen_key) {
          accept_all();
        } else if (key == k_timer_key) {
          std::uint64_t expirations = 0;
          if (::read(timer_fd, &expirations, sizeof expirations) > 0) handler.on_timer(*self, monotonic_ns());
        } else {
          on_conn_event(key, events[i].events);
        }
        drain_ready();
      }
    }
    for (auto& [id, c] : conns) ::close(c.fd);
    conns.clear();
  }
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler& handler)
    : m_impl(std::make_unique<Impl>(std::move(options), handler)) {
  m_impl->self = this;
  m_impl->stop_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (m_impl->stop_fd < 0) throw Error(std::string("http server: eventfd failed: ") + std::strerror(errno));
}

HttpServer::~HttpServer() = default;

int HttpServer::listen() {
  Impl& s = *m_impl;
  raise_fd_limit();
  const std::string where = s.options.host + ":" + std::to_string(s.options.port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(s.options.port));
  if (s.options.port < 0 || s.options.port > 65535 || ::inet_pton(AF_INET, s.options.host.c_str(), &addr.sin_addr) != 1) {
    throw Error("sim-server: cannot listen on " + where + ": expected a numeric IPv4 address and a port 0-65535");
  }
  s.listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(s.listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(s.listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(s.listen_fd, 65535) != 0) {
    throw Error("sim-server: cannot listen on " + where + ": " + std::strerror(errno));
  }
  socklen_t len = sizeof addr;
  ::getsockname(s.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  s.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  s.timer_fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (s.epoll_fd < 0 || s.timer_fd < 0) throw Error(std::string("sim-server: ") + std::strerror(errno));
  const std::pair<int, std::uint64_t> watched[] = {
      {s.listen_fd, k_listen_key}, {s.stop_fd, k_stop_key}, {s.timer_fd, k_timer_key}};
  for (const auto& [fd, key] : watched) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = key;
    ::epoll_ctl(s.epoll_fd, EPOLL_CTL_ADD, fd, &ev);
  }
  return ntohs(addr.sin_port);
}

void HttpServer::run() { m_impl->run(); }

void HttpServer::request_stop() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(m_impl->stop_fd, &one, sizeof one);
}

bool HttpServer::respond(ConnId conn, int status, std::string_view content_type, std::string_view body) {
  Conn* c = m_impl->find(conn);
  if (!c || c->phase != Phase::handling) return false;
  return m_impl->respond(conn, status, content_type, body);
}

bool HttpServer::start_stream(ConnId conn, int status, std::string_view content_type) {
  return m_impl->start_stream(conn, status, content_type);
}

bool HttpServer::send_chunk(ConnId conn, std::string_view data) { return m_impl->send_chunk(conn, data); }

bool HttpServer::end_stream(ConnId conn) { return m_impl->end_stream(conn); }

void HttpServer::drop(ConnId conn) { m_impl->close_conn(conn, false); }

void HttpServer::wake_at(std::int64_t when_ns) {
  itimerspec spec{};
  if (when_ns >= 0) {
    when_ns = std::max<std::int64_t>(when_ns, 1);  // zero would disarm; a past time fires at once
    spec.it_value.tv_sec = when_ns / 1'000'000'000;
    spec.it_value.tv_nsec = when_ns % 1'000'000'000;
  }
  ::timerfd_settime(m_impl->timer_fd, TFD_TIMER_ABSTIME, &spec, nullptr);
}

std::size_t HttpServer::connections() const { return m_impl->conns.size(); }

}  // namespace sitegen::bench
