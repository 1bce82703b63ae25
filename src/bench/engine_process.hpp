#pragma once
// --serve-cmd: the inference engine as a child process for the length of a sweep. Started in its
// own process group with its output in a log file, waited on until it answers, and stopped
// (SIGTERM to the group, SIGKILL after a grace period) however the sweep ends.

#include <atomic>
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace sitegen::bench {

class EngineProcess {
 public:
  // Runs `/bin/sh -c command` in a new process group, stdout and stderr appended to log_path.
  // Throws Error when the log cannot be opened or the process cannot be started.
  EngineProcess(const std::string& command, const std::filesystem::path& log_path);
  ~EngineProcess();  // stop()
  EngineProcess(const EngineProcess&) = delete;
  EngineProcess& operator=(const EngineProcess&) = delete;

  // Polls base_url/health, then /v1/models, until one answers 200. Throws Error when the process
  // exits first (with the end of its log), when timeout_s passes, or when *stop is set.
  void wait_ready(const std::string& base_url, double timeout_s, const std::atomic<bool>* stop);

  // SIGTERM to the group, SIGKILL after grace_s; idempotent.
  void stop(double grace_s = 10);

  bool running();
  pid_t pid() const { return m_pid; }
  const std::filesystem::path& log_path() const { return m_log; }

 private:
  std::string log_tail() const;

  pid_t m_pid = -1;
  std::filesystem::path m_log;
};

}  // namespace sitegen::bench
