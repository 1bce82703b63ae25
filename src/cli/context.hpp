#pragma once
// What every subcommand gets: where to print, and where to leave its exit status.

#include <functional>
#include <ostream>

#include <CLI/CLI.hpp>

namespace sitegen::cli {

struct Context {
  std::ostream& out;
  std::ostream& err;
  int exit_code = 0;
  std::vector<std::string> argv;  // the full command line, for provenance
};

// Each subcommand file defines one of these: it adds the subcommand, binds flags to an options
// struct and sets a callback that calls the library.
void add_validate(CLI::App& app, Context& ctx);
void add_build(CLI::App& app, Context& ctx);
void add_import(CLI::App& app, Context& ctx);
void add_merge(CLI::App& app, Context& ctx);
void add_list(CLI::App& app, Context& ctx);
void add_prune(CLI::App& app, Context& ctx);
void add_migrate(CLI::App& app, Context& ctx);
void add_cost(CLI::App& app, Context& ctx);
void add_bench(CLI::App& app, Context& ctx);
void add_sim_server(CLI::App& app, Context& ctx);
void add_compare(CLI::App& app, Context& ctx);

}  // namespace sitegen::cli
