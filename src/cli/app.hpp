#pragma once
// The command-line shell. Tests call run() in-process with an argument vector, as main() does.

#include <iosfwd>
#include <string>
#include <vector>

namespace sitegen::cli {

// Exit codes shared by every subcommand.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failed = 1;  // the command ran and found problems (invalid input, conflict)
inline constexpr int k_exit_usage = 2;   // bad flags or arguments

// Runs sitegen with args (args[0] is the program name), writing to out and err.
// Never throws: errors are printed as "sitegen: error: <what>" and mapped to an exit code.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// main(): forwards to run() with std::cout and std::cerr.
int main(int argc, char** argv);

}  // namespace sitegen::cli
