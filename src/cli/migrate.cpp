#include "cli/app.hpp"
#include "cli/context.hpp"
#include "store/migrate.hpp"

namespace sitegen::cli {

namespace {

struct MigrateOptions {
  std::string results = "results";
  bool dry_run = false;
};

void run_migrate(const MigrateOptions& o, Context& ctx) {
  const store::MigrateSummary summary = store::migrate(o.results, o.dry_run);
  const char* verb = o.dry_run ? "would move " : "moved ";
  for (const std::string& m : summary.moved) ctx.out << verb << m << "\n";
  for (const std::string& h : summary.history) ctx.out << (o.dry_run ? "would file history " : "filed history ") << h << "\n";
  for (const std::string& p : summary.problems) ctx.err << "sitegen: error: " << p << "\n";
  ctx.out << summary.moved.size() << " run(s) " << (o.dry_run ? "would be " : "") << "moved, " << summary.in_place
          << " already in place, " << summary.problems.size() << " problem(s)\n";
  if (!summary.ok()) ctx.exit_code = k_exit_failed;
}

}  // namespace

void add_migrate(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<MigrateOptions>();
  CLI::App* sub = app.add_subcommand(
      "migrate", "Move a results tree of an earlier layout to the current one (no file lost, history follows)");
  sub->add_option("results", o->results, "The results tree (default: results)");
  sub->add_flag("--dry-run,-n", o->dry_run, "Say what would move, move nothing");
  sub->callback([o, &ctx] { run_migrate(*o, ctx); });
}

}  // namespace sitegen::cli
