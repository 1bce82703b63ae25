#pragma once
// GPU power, memory and utilisation sampled during a load level with nvidia-smi's query loop
// (nvidia-smi --query-gpu=index,power.draw,memory.used,utilization.gpu --format=csv,noheader,
// nounits -lms N), summarised into the point's telemetry.

#include <string>
#include <string_view>
#include <sys/types.h>
#include <thread>

#include "model/report.hpp"

namespace sitegen::bench {

// Summarises the query loop's output over a level lasting duration_s that processed `tokens`
// (input + output, sitegen's one definition of J/token, the same as the economics' P_busy / T):
// power and memory are summed over GPUs per sampling round (a round starts again at the lowest
// index), then averaged (power, utilisation) or maxed (memory). energy = average power x
// duration; J/token = energy / tokens. Lines that do not parse ("[N/A]") are skipped. An empty
// Telemetry when no line parses.
model::Telemetry summarize_gpu_samples(std::string_view csv, double duration_s, long long tokens);

// Runs the query loop in the background from start() to stop(). When nvidia-smi is absent the
// output is empty and the summary empty: unknown, not an error.
class GpuSampler {
 public:
  explicit GpuSampler(int interval_ms = 200) : m_interval_ms(interval_ms) {}
  ~GpuSampler();
  GpuSampler(const GpuSampler&) = delete;
  GpuSampler& operator=(const GpuSampler&) = delete;

  void start();
  // Stops the loop and returns everything it printed.
  std::string stop();

 private:
  int m_interval_ms;
  pid_t m_pid = -1;
  int m_fd = -1;
  std::thread m_reader;
  std::string m_output;
};

}  // namespace sitegen::bench
