#pragma once
// The one error type for problems a user must act on. Thrown in the library, caught once in cli/.

#include <stdexcept>
#include <string>
#include <vector>

namespace sitegen {

// A problem the user must fix: the message names the file, the place inside it and what to do,
// e.g. "results/x/report.json: /points/3/ttft_ms/p99: expected a number, got \"n/a\"".
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// One problem found while checking an input; checks collect them all before reporting.
struct Problem {
  enum class Severity { warning, error };
  Severity severity = Severity::error;
  std::string file;     // path as the user gave it
  std::string where;    // JSON pointer or "line N"; empty for the whole file
  std::string message;  // what is wrong and, where it helps, what to do

  // "file: where: message" (parts that are empty are left out).
  std::string str() const;
};

// True when any problem in the list is an error (warnings alone do not fail a check).
bool has_errors(const std::vector<Problem>& problems);

}  // namespace sitegen
