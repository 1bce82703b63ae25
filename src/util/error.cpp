#include "util/error.hpp"

namespace sitegen {

std::string Problem::str() const {
  std::string out;
  if (!file.empty()) out += file + ": ";
  if (!where.empty()) out += where + ": ";
  if (severity == Severity::warning) out += "warning: ";
  out += message;
  return out;
}

bool has_errors(const std::vector<Problem>& problems) {
  for (const Problem& p : problems) {
    if (p.severity == Problem::Severity::error) return true;
  }
  return false;
}

}  // namespace sitegen
