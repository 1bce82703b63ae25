#include "cli/app.hpp"
#include "cli/context.hpp"
#include "store/merge.hpp"

namespace sitegen::cli {

namespace {

struct MergeOptions {
  std::vector<std::string> sources;
  std::string into = "results";
};

void run_merge(const MergeOptions& o, Context& ctx) {
  const std::vector<std::filesystem::path> sources(o.sources.begin(), o.sources.end());
  const store::MergeSummary summary = store::merge_paths(sources, o.into);
  store::print_summary(summary, ctx.out);
  ctx.exit_code = summary.ok() ? k_exit_ok : k_exit_failed;
}

}  // namespace

void add_merge(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<MergeOptions>();
  CLI::App* sub = app.add_subcommand("merge", "Gather report.json files into a results/ tree, each placed by its content");
  sub->add_option("sources", o->sources, "report.json files or directories (searched recursively), e.g. CI artifacts")
      ->required();
  sub->add_option("--into", o->into, "The results tree (default: results)");
  sub->callback([o, &ctx] { run_merge(*o, ctx); });
}

}  // namespace sitegen::cli
