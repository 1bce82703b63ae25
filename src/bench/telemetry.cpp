#include "bench/telemetry.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "util/strings.hpp"

namespace sitegen::bench {

namespace {

bool number(std::string_view text, double& out) {
  const std::string s(strings::trim(text));
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

}  // namespace

model::Telemetry summarize_gpu_samples(std::string_view csv, double duration_s, long long tokens) {
  struct Round {
    double power = 0, memory_mib = 0, util = 0;
    int gpus = 0;
  };
  std::vector<Round> rounds;
  double last_index = -1;
  for (const std::string& line : strings::split(csv, '\n')) {
    const std::vector<std::string> cols = strings::split(line, ',');
    double index = 0, power = 0, memory = 0, util = 0;
    if (cols.size() != 4 || !number(cols[0], index) || !number(cols[1], power) || !number(cols[2], memory) ||
        !number(cols[3], util))
      continue;
    if (rounds.empty() || index <= last_index) rounds.emplace_back();
    last_index = index;
    Round& r = rounds.back();
    r.power += power;
    r.memory_mib += memory;
    r.util += util;
    ++r.gpus;
  }
  model::Telemetry t;
  if (rounds.empty()) return t;
  // A round missing a GPU (a line nvidia-smi could not read, or the round the loop was stopped
  // in) would understate the total power: only complete rounds are averaged.
  int gpus = 0;
  for (const Round& r : rounds) gpus = std::max(gpus, r.gpus);
  double power = 0, util = 0, peak = 0, n = 0;
  for (const Round& r : rounds) {
    peak = std::max(peak, r.memory_mib);
    if (r.gpus < gpus) continue;
    power += r.power;
    util += r.util / r.gpus;
    ++n;
  }
  t.source = "nvidia-smi";
  t.avg_power_w = power / n;
  t.avg_gpu_util_pct = std::clamp(util / n, 0.0, 100.0);
  t.peak_memory_gb = peak / 1024.0;
  if (duration_s > 0) {
    t.energy_j = *t.avg_power_w * duration_s;
    if (tokens > 0) t.joules_per_token = *t.energy_j / static_cast<double>(tokens);
  }
  return t;
}

GpuSampler::~GpuSampler() { stop(); }

void GpuSampler::start() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return;
  const std::string interval = std::to_string(m_interval_ms);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    const int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, STDERR_FILENO);
    execlp("nvidia-smi", "nvidia-smi", "--query-gpu=index,power.draw,memory.used,utilization.gpu",
           "--format=csv,noheader,nounits", "-lms", interval.c_str(), static_cast<char*>(nullptr));
    _exit(127);  // absent: the parent reads nothing
  }
  close(fds[1]);
  m_pid = pid;
  m_fd = fds[0];
  m_output.clear();
  m_reader = std::thread([this] {
    char buf[4096];
    ssize_t n;
    while ((n = read(m_fd, buf, sizeof buf)) > 0) m_output.append(buf, static_cast<std::size_t>(n));
  });
}

std::string GpuSampler::stop() {
  if (m_pid > 0) {
    // SIGKILL: a child stuck between fork and exec runs the parent's handlers for SIGTERM.
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
  }
  if (m_reader.joinable()) m_reader.join();
  if (m_fd >= 0) {
    close(m_fd);
    m_fd = -1;
  }
  return m_output;
}

}  // namespace sitegen::bench
