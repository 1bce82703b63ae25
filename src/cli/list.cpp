#include "cli/context.hpp"
#include "util/error.hpp"

namespace sitegen::cli {

// Placeholder until this subcommand lands; it says so instead of pretending to work.
void add_list(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand("list", "List configurations in a results/ tree (not yet available)");
  sub->allow_extras();
  sub->callback([&ctx] { ctx.exit_code = 2; throw Error("'list' is not available in this build yet"); });
}

}  // namespace sitegen::cli
