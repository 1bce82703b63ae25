#pragma once
// What every fuzz target shares: a property that does not hold stops the run with the reason, and
// libFuzzer keeps the input that broke it (crash-<sha1>).

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace sitegen::fuzz {

[[noreturn]] inline void fail(const std::string& why) {
  std::fprintf(stderr, "property violated: %s\n", why.c_str());
  std::abort();
}

inline void check(bool ok, const std::string& why) {
  if (!ok) fail(why);
}

// A clear error names the file it is about at the start of its message.
inline void check_names_file(std::string_view message, std::string_view file) {
  check(message.starts_with(file), "an error that does not start with the file name: " + std::string(message));
}

}  // namespace sitegen::fuzz
