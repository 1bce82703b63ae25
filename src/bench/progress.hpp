#pragma once
// The progress of a sweep on stderr: one live line rewritten in place on a terminal, plain lines
// every few seconds otherwise (CI logs).

#include <cstdint>
#include <ostream>

#include "bench/runner.hpp"

namespace sitegen::bench {

class ProgressPrinter {
 public:
  // live: rewrite one line with '\r' (a terminal); otherwise print a line every interval_s.
  ProgressPrinter(std::ostream& out, bool live, double interval_s = 10);
  // Called by the runner, often; prints when due, and always when a level finishes.
  void operator()(const Progress& progress);
  // Ends the live line.
  void finish();

  // "[2/4 c=16] 120/1000 done, 3 errors, 12.5 s elapsed, ~92 s left"
  static std::string line(const Progress& progress);

 private:
  std::ostream& m_out;
  bool m_live;
  double m_interval_s;
  double m_last_s = -1e9;
  std::size_t m_last_level = static_cast<std::size_t>(-1);
  bool m_open_line = false;
};

}  // namespace sitegen::bench
