#include "bench/engine_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "bench/http_client_curl.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace sitegen::bench {

EngineProcess::EngineProcess(const std::string& command, const std::filesystem::path& log_path) : m_log(log_path) {
  if (log_path.has_parent_path()) std::filesystem::create_directories(log_path.parent_path());
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) throw Error(log_path.string() + ": cannot open the engine log: " + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) {
    close(log);
    throw Error(std::string("cannot start the engine: ") + std::strerror(errno));
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so the group exists before either side goes on
  close(log);
  m_pid = pid;
}

EngineProcess::~EngineProcess() { stop(); }

bool EngineProcess::running() {
  if (m_pid <= 0) return false;
  int status = 0;
  if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
    kill(-m_pid, SIGKILL);  // whatever the shell left behind in the group
    m_pid = -1;
    return false;
  }
  return true;
}

std::string EngineProcess::log_tail() const {
  try {
    const std::string text = files::read(m_log);
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
  } catch (const Error&) {
    return "";
  }
}

void EngineProcess::wait_ready(const std::string& base_url, double timeout_s, const std::atomic<bool>* stop) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (true) {
    if (!running())
      throw Error("the engine (--serve-cmd) exited before it was ready; the end of " + m_log.string() + ":\n" +
                  log_tail());
    for (const char* path : {"/health", "/v1/models"}) {
      if (http_fetch(base_url + path, 2.0).status == 200) return;
    }
    if (stop && stop->load()) throw Error("stopped while waiting for the engine to be ready");
    if (std::chrono::steady_clock::now() >= deadline)
      throw Error("the engine (--serve-cmd) was not ready at " + base_url + " within " +
                  std::to_string(static_cast<long long>(timeout_s)) + " s (--ready-timeout); its log: " +
                  m_log.string());
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

void EngineProcess::stop(double grace_s) {
  if (m_pid <= 0) return;
  const pid_t group = m_pid;
  kill(-group, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
      kill(-group, SIGKILL);  // anything the engine left behind in its group
      m_pid = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(-group, SIGKILL);
  waitpid(m_pid, nullptr, 0);
  m_pid = -1;
}

}  // namespace sitegen::bench
