#include "cli/context.hpp"
#include "util/error.hpp"

namespace sitegen::cli {

// Placeholder until this subcommand lands; it says so instead of pretending to work.
void add_sim_server(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand("sim-server", "Run a simulated OpenAI-compatible streaming engine (not yet available)");
  sub->allow_extras();
  sub->callback([&ctx] { ctx.exit_code = 2; throw Error("'sim-server' is not available in this build yet"); });
}

}  // namespace sitegen::cli
