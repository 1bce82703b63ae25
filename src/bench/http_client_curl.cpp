#include "bench/http_client_curl.hpp"

#include <curl/curl.h>
#include <linux/sockios.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "util/error.hpp"

namespace sitegen::bench {

namespace {

constexpr std::size_t k_error_body_bytes = 2048;

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One in-flight request and the easy handle that carries it; pooled and reused.
struct Transfer {
  CURL* easy = nullptr;
  std::uint64_t id = 0;
  std::string body;
  curl_slist* headers = nullptr;
  long status = -1;  // -1 until the first body bytes
  std::string error_body;
  char errbuf[CURL_ERROR_SIZE] = {};
  CurlClient::Impl* owner = nullptr;
  curl_socket_t fd = CURL_SOCKET_BAD;  // the socket curl last registered for this transfer
};

}  // namespace

struct CurlClient::Impl {
  CURLM* multi = nullptr;
  int epfd = -1;
  std::int64_t timer_deadline = -1;  // curl's requested timeout, client clock; -1 = none
  std::vector<std::unique_ptr<Transfer>> transfers;  // every Transfer ever made
  std::vector<Transfer*> idle;
  std::unordered_set<Transfer*> active;
  HttpSink* sink = nullptr;  // valid during poll()
  bool pwait2 = true;        // epoll_pwait2 (ns timeouts) until the kernel says it lacks it
  ReceiptStamp stamp_mode = ReceiptStamp::kernel;
  std::int64_t batch_ns = -1;  // read after the ready batch's queues were measured
  std::int64_t fd_stamp = -1;  // the stamp batch_fd's bytes carry: batch_ns, or the kernel's arrival
  std::vector<char> peek;      // bytes copied by the kernel-stamp peek, then dropped
  curl_socket_t batch_fd = CURL_SOCKET_BAD;  // the socket whose bytes may carry batch_ns now
  std::int64_t check_ns = -1;  // when batch_fd's queue was checked

  void finish(Transfer* t, TransferResult result);
  void drain_completions();
};

namespace {

int on_socket(CURL* easy, curl_socket_t fd, int what, void* userp, void* socketp) {
  auto* impl = static_cast<CurlClient::Impl*>(userp);
  // Which socket a transfer reads from, for the batch stamp. When curl does not say (it may not
  // for a reused connection), the transfer's bytes are stamped in the write callback.
  Transfer* t = nullptr;
  if (easy) curl_easy_getinfo(easy, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
  if (t) t->fd = what == CURL_POLL_REMOVE ? (t->fd == fd ? CURL_SOCKET_BAD : t->fd) : fd;
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(impl->epfd, EPOLL_CTL_DEL, fd, nullptr);  // the fd may already be closed: no matter
    return 0;
  }
  epoll_event ev{};
  ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
  ev.data.fd = fd;
  // A new socket is added, a known one modified; a reused fd number may be either.
  if (epoll_ctl(impl->epfd, socketp ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0) {
    epoll_ctl(impl->epfd, socketp ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
  }
  if (!socketp) {
    curl_multi_assign(impl->multi, fd, impl);
    if (impl->stamp_mode == ReceiptStamp::kernel) {
      const int one = 1;
      setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);  // without it: the epoll-return stamp
    }
  }
  return 0;
}

int on_timer(CURLM*, long timeout_ms, void* userp) {
  auto* impl = static_cast<CurlClient::Impl*>(userp);
  impl->timer_deadline = timeout_ms < 0 ? -1 : steady_ns() + timeout_ms * 1'000'000;
  return 0;
}

// Bytes waiting in a socket's receive queue, or -1.
long queued_bytes(int fd) {
  int n = 0;
  return ioctl(fd, SIOCINQ, &n) == 0 ? n : -1;
}

// When the kernel received the last of the first `len` bytes queued on fd (SO_TIMESTAMPNS, read by
// peeking exactly those bytes), on the client's steady clock via `offset` (steady minus
// realtime); -1 when the kernel gives no timestamp. Every one of those bytes had arrived by then.
std::int64_t kernel_arrival_ns(int fd, long len, std::int64_t offset, std::vector<char>& buffer) {
  if (buffer.size() < static_cast<std::size_t>(len)) buffer.resize(static_cast<std::size_t>(len));
  iovec iov{buffer.data(), static_cast<std::size_t>(len)};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec)) * 2];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (recvmsg(fd, &msg, MSG_PEEK | MSG_DONTWAIT) <= 0) return -1;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      if (ts.tv_sec == 0 && ts.tv_nsec == 0) return -1;
      return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec + offset;
    }
  }
  return -1;
}

std::int64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// The ready batch's stamp when these bytes come from the socket it vouches for, else the clock
// now. Either way it is read before parsing; the sink's work comes after.
// A check older than this is stale: the thread was held up between the check and curl's read
// (descheduled, typically), and bytes may have arrived meanwhile.
constexpr std::int64_t k_check_valid_ns = 50'000;

std::int64_t receipt_ns(const Transfer& t) {
  const CurlClient::Impl& impl = *t.owner;
  const std::int64_t now = steady_ns();
  if (impl.batch_fd != CURL_SOCKET_BAD && t.fd == impl.batch_fd && now - impl.check_ns <= k_check_valid_ns)
    return impl.fd_stamp;
  return now;
}

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  const std::int64_t received = receipt_ns(*t);
  const std::size_t n = size * count;
  if (t->status < 0) curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
  if (t->status >= 200 && t->status < 300) {
    if (t->owner->sink) t->owner->sink->on_data(t->id, std::string_view(data, n), received);
  } else if (t->error_body.size() < k_error_body_bytes) {
    t->error_body.append(data, std::min(n, k_error_body_bytes - t->error_body.size()));
  }
  return n;
}

}  // namespace

void CurlClient::Impl::finish(Transfer* t, TransferResult result) {
  curl_multi_remove_handle(multi, t->easy);
  curl_slist_free_all(t->headers);
  t->headers = nullptr;
  active.erase(t);
  idle.push_back(t);
  result.end_ns = steady_ns();
  if (sink) sink->on_complete(t->id, result);
}

void CurlClient::Impl::drain_completions() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
    TransferResult r;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &r.http_code);
    const CURLcode code = msg->data.result;
    if (r.http_code >= 300) {
      r.status = TransferResult::Status::http_error;
      r.message = t->error_body;
    } else if (code == CURLE_OK) {
      r.status = TransferResult::Status::ok;
    } else {
      r.status = code == CURLE_OPERATION_TIMEDOUT ? TransferResult::Status::timeout
                                                 : TransferResult::Status::connection;
      r.message = t->errbuf[0] ? t->errbuf : curl_easy_strerror(code);
    }
    finish(t, std::move(r));
  }
}

std::size_t raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return static_cast<std::size_t>(lim.rlim_cur);
}

CurlClient::CurlClient(std::size_t max_connections, ReceiptStamp stamp) : m_impl(std::make_unique<Impl>()) {
  global_init();
  m_impl->stamp_mode = stamp;
  raise_fd_limit();
  m_impl->epfd = epoll_create1(EPOLL_CLOEXEC);
  if (m_impl->epfd < 0) throw Error(std::string("cannot create an epoll instance: ") + std::strerror(errno));
  m_impl->multi = curl_multi_init();
  if (!m_impl->multi) throw Error("cannot initialise libcurl's multi interface");
  CURLM* m = m_impl->multi;
  curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, on_socket);
  curl_multi_setopt(m, CURLMOPT_SOCKETDATA, m_impl.get());
  curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, on_timer);
  curl_multi_setopt(m, CURLMOPT_TIMERDATA, m_impl.get());
  curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, static_cast<long>(std::max<std::size_t>(max_connections, 16)));
  curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
  curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
}

CurlClient::~CurlClient() {
  m_impl->sink = nullptr;
  for (Transfer* t : m_impl->active) curl_multi_remove_handle(m_impl->multi, t->easy);
  for (auto& t : m_impl->transfers) {
    curl_slist_free_all(t->headers);
    curl_easy_cleanup(t->easy);
  }
  curl_multi_cleanup(m_impl->multi);
  close(m_impl->epfd);
}

std::int64_t CurlClient::now_ns() { return steady_ns(); }

void CurlClient::start(const ClientRequest& request) {
  Transfer* t = nullptr;
  if (!m_impl->idle.empty()) {
    t = m_impl->idle.back();
    m_impl->idle.pop_back();
  } else {
    auto made = std::make_unique<Transfer>();
    made->easy = curl_easy_init();
    if (!made->easy) throw Error("cannot create a libcurl handle");
    made->owner = m_impl.get();
    t = made.get();
    m_impl->transfers.push_back(std::move(made));
  }
  t->id = request.id;
  t->body = request.body;
  t->status = -1;
  t->error_body.clear();
  t->errbuf[0] = 0;
  t->fd = CURL_SOCKET_BAD;
  if (!request.body.empty()) t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
  t->headers = curl_slist_append(t->headers, "Expect:");  // no 100-continue round trip
  for (const std::string& h : request.headers) t->headers = curl_slist_append(t->headers, h.c_str());

  CURL* e = t->easy;
  curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(e, CURLOPT_PRIVATE, t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  const long timeout_ms = static_cast<long>(request.timeout_s * 1000);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  if (request.body.empty()) {
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->body.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->body.size()));
  }
  m_impl->active.insert(t);
  const CURLMcode rc = curl_multi_add_handle(m_impl->multi, e);
  if (rc != CURLM_OK) {
    m_impl->active.erase(t);
    m_impl->idle.push_back(t);
    throw Error(std::string("libcurl cannot start a request: ") + curl_multi_strerror(rc));
  }
}

void CurlClient::poll(std::chrono::nanoseconds max_wait, HttpSink& sink) {
  Impl& impl = *m_impl;
  impl.sink = &sink;
  std::int64_t wait = std::max<std::int64_t>(0, max_wait.count());
  if (impl.timer_deadline >= 0) wait = std::clamp<std::int64_t>(impl.timer_deadline - steady_ns(), 0, wait);

  // One epoll_wait reports up to this many ready sockets, all stamped with its return time.
  constexpr int k_batch = 1024;
  epoll_event events[k_batch];
  int n = -1;
  if (impl.pwait2) {
    timespec ts{static_cast<time_t>(wait / 1'000'000'000), static_cast<long>(wait % 1'000'000'000)};
    n = epoll_pwait2(impl.epfd, events, k_batch, &ts, nullptr);
    if (n < 0 && errno == ENOSYS) impl.pwait2 = false;
  }
  if (!impl.pwait2) n = epoll_wait(impl.epfd, events, k_batch, static_cast<int>((wait + 999'999) / 1'000'000));
  // The batch stamp: each ready socket's queue length, then the clock, so every byte counted had
  // arrived by the stamp. A socket whose queue has grown by the time curl reads it got bytes
  // after the stamp; its bytes are stamped in the write callback instead (late, never early).
  // With kernel stamps, each counted queue is also peeked for the kernel's receive time of its
  // last byte: the bytes' arrival, before the batch stamp and independent of this thread's delays.
  const bool batch = n > 0 && impl.stamp_mode != ReceiptStamp::write_callback;
  const bool kernel = batch && impl.stamp_mode == ReceiptStamp::kernel;
  long queued[k_batch];
  std::int64_t arrived[k_batch];
  if (batch) {
    for (int i = 0; i < n; ++i) queued[i] = events[i].events & EPOLLIN ? queued_bytes(events[i].data.fd) : -1;
    impl.batch_ns = steady_ns();
  }
  if (kernel) {
    const std::int64_t offset = impl.batch_ns - realtime_ns();
    for (int i = 0; i < n; ++i) {
      arrived[i] = queued[i] > 0 ? kernel_arrival_ns(events[i].data.fd, queued[i], offset, impl.peek) : -1;
    }
  }
  int running = 0;
  for (int i = 0; i < n; ++i) {
    int flags = 0;
    if (events[i].events & (EPOLLIN | EPOLLHUP)) flags |= CURL_CSELECT_IN;
    if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
    if (events[i].events & EPOLLERR) flags |= CURL_CSELECT_ERR;
    const int fd = events[i].data.fd;
    impl.batch_fd = batch && queued[i] > 0 && queued_bytes(fd) == queued[i] ? fd : CURL_SOCKET_BAD;
    if (impl.batch_fd != CURL_SOCKET_BAD) {
      impl.check_ns = steady_ns();
      // A kernel time after the batch stamp would be a clock-conversion artefact: never later.
      impl.fd_stamp = kernel && arrived[i] > 0 ? std::min(arrived[i], impl.batch_ns) : impl.batch_ns;
    }
    curl_multi_socket_action(impl.multi, fd, flags, &running);
  }
  impl.batch_fd = CURL_SOCKET_BAD;
  if (impl.timer_deadline >= 0 && steady_ns() >= impl.timer_deadline) {
    impl.timer_deadline = -1;
    curl_multi_socket_action(impl.multi, CURL_SOCKET_TIMEOUT, 0, &running);
  }
  impl.drain_completions();
  impl.sink = nullptr;
}

std::size_t CurlClient::in_flight() const { return m_impl->active.size(); }

void CurlClient::cancel_all(HttpSink& sink) {
  m_impl->sink = &sink;
  const std::vector<Transfer*> active(m_impl->active.begin(), m_impl->active.end());
  for (Transfer* t : active) {
    TransferResult r;
    r.status = TransferResult::Status::cancelled;
    r.message = "cancelled";
    m_impl->finish(t, std::move(r));
  }
  m_impl->sink = nullptr;
}

namespace {

struct FetchBuffer {
  std::string* body;
  std::size_t max;
};

std::size_t on_fetch_write(char* data, std::size_t size, std::size_t count, void* userp) {
  auto* b = static_cast<FetchBuffer*>(userp);
  const std::size_t n = size * count;
  if (b->body->size() < b->max) b->body->append(data, std::min(n, b->max - b->body->size()));
  return n;
}

}  // namespace

FetchResult http_fetch(const std::string& url, double timeout_s, const std::string& body, std::size_t max_bytes) {
  global_init();
  FetchResult response;
  CURL* e = curl_easy_init();
  if (!e) {
    response.error = "cannot create a libcurl handle";
    return response;
  }
  FetchBuffer buffer{&response.body, max_bytes};
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_slist* headers = nullptr;
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_s * 1000));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_fetch_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &buffer);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
  if (!body.empty()) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.c_str());
  }
  const CURLcode code = curl_easy_perform(e);
  if (code == CURLE_OK) curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &response.status);
  else response.error = errbuf[0] ? errbuf : curl_easy_strerror(code);
  curl_slist_free_all(headers);
  curl_easy_cleanup(e);
  return response;
}

}  // namespace sitegen::bench
