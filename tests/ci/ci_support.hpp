#pragma once
// Running an external command from a test: its exit status and what it printed.

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "util/files.hpp"

namespace sitegen::test {

struct CommandResult {
  int code = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command line (quote arguments with shell_quote), capturing its output.
inline CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) r.output.append(buffer, n);
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return r;
}

// 'text' with single quotes, safe as one shell word.
inline std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// True when a program is on PATH.
inline bool on_path(const std::string& program) {
  return run_command("command -v " + shell_quote(program)).code == 0;
}

}  // namespace sitegen::test
