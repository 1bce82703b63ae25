#include "cli/context.hpp"
#include "store/prune.hpp"
#include "util/files.hpp"

namespace sitegen::cli {

namespace {

struct PruneOptions {
  std::size_t keep = 0;
  std::string results = "results";
  bool dry_run = false;
};

void run_prune(const PruneOptions& o, Context& ctx) {
  const store::PruneSummary summary = store::prune(o.results, o.keep, o.dry_run);
  for (const std::filesystem::path& dir : summary.removed) {
    ctx.out << (o.dry_run ? "would remove " : "removed ") << files::display(dir) << "\n";
  }
  for (const std::string& p : summary.problems) ctx.err << "sitegen: warning: " << p << "\n";
  ctx.out << summary.removed.size() << " run(s) " << (o.dry_run ? "would be " : "") << "removed, " << summary.kept
          << " kept; their headline figures stay in each configuration's history.json\n";
}

}  // namespace

void add_prune(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<PruneOptions>();
  CLI::App* sub = app.add_subcommand("prune", "Drop all but the newest N runs per configuration (history stays)");
  sub->add_option("--keep", o->keep, "Runs to keep per configuration (the latest good run is always kept)")->required();
  sub->add_option("--results", o->results, "The results tree (default: results)");
  sub->add_flag("--dry-run,-n", o->dry_run, "List what would be removed, remove nothing");
  sub->callback([o, &ctx] { run_prune(*o, ctx); });
}

}  // namespace sitegen::cli
