#include "bench/progress.hpp"

#include "util/format.hpp"

namespace sitegen::bench {

ProgressPrinter::ProgressPrinter(std::ostream& out, bool live, double interval_s)
    : m_out(out), m_live(live), m_interval_s(live ? 0.1 : interval_s) {}

std::string ProgressPrinter::line(const Progress& p) {
  std::string s = "[" + std::to_string(p.level_index + 1) + "/" + std::to_string(p.level_count) + " " + p.level + "] ";
  if (p.warmup) s += "warmup ";
  s += std::to_string(p.done) + "/" + std::to_string(p.total) + " done, " + std::to_string(p.errors) + " error" +
       (p.errors == 1 ? "" : "s") + ", " + format::fixed(p.elapsed_s, 1) + " s elapsed";
  if (p.done > 0 && p.done < p.total) {
    const double left = p.elapsed_s * static_cast<double>(p.total - p.done) / static_cast<double>(p.done);
    s += ", ~" + format::fixed(left, 0) + " s left";
  }
  return s;
}

void ProgressPrinter::operator()(const Progress& p) {
  const bool new_level = p.level_index != m_last_level;
  if (new_level) {
    m_last_level = p.level_index;
    m_last_s = -1e9;
  }
  const bool finished = p.done == p.total && !p.warmup;
  if (!finished && p.elapsed_s - m_last_s < m_interval_s) return;
  if (finished && !m_live && m_last_s == p.elapsed_s) return;
  m_last_s = p.elapsed_s;
  if (m_live) {
    m_out << "\r\033[K" << line(p);
    m_open_line = true;
    if (finished) {
      m_out << "\n";
      m_open_line = false;
    }
  } else {
    m_out << line(p) << "\n";
  }
  m_out.flush();
}

void ProgressPrinter::finish() {
  if (m_open_line) m_out << "\n";
  m_open_line = false;
}

}  // namespace sitegen::bench
