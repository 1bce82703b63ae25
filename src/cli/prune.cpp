#include "cli/context.hpp"
#include "util/error.hpp"

namespace sitegen::cli {

// Placeholder until this subcommand lands; it says so instead of pretending to work.
void add_prune(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand("prune", "Drop all but the newest runs per configuration (not yet available)");
  sub->allow_extras();
  sub->callback([&ctx] { ctx.exit_code = 2; throw Error("'prune' is not available in this build yet"); });
}

}  // namespace sitegen::cli
