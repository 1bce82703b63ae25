#include "cli/context.hpp"
#include "util/error.hpp"

namespace sitegen::cli {

// Placeholder until this subcommand lands; it says so instead of pretending to work.
void add_cost(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand("cost", "Show the cost economics of a report or a what-if throughput (not yet available)");
  sub->allow_extras();
  sub->callback([&ctx] { ctx.exit_code = 2; throw Error("'cost' is not available in this build yet"); });
}

}  // namespace sitegen::cli
