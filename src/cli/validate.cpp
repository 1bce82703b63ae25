#include "cli/context.hpp"
#include "model/check_files.hpp"

namespace sitegen::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> paths;
  bool quiet = false;
};

void run_validate(const ValidateOptions& options, Context& ctx) {
  std::vector<std::filesystem::path> paths(options.paths.begin(), options.paths.end());
  const model::CheckResult result = model::check_report_files(paths);
  for (const Problem& p : result.problems) {
    if (options.quiet && p.severity == Problem::Severity::warning) continue;
    (p.severity == Problem::Severity::error ? ctx.err : ctx.out) << p.str() << "\n";
  }
  ctx.out << result.checked << " report(s) checked, " << result.invalid << " invalid";
  if (result.skipped) ctx.out << ", " << result.skipped << " other JSON file(s) skipped";
  ctx.out << "\n";
  ctx.exit_code = result.invalid ? 1 : 0;
}

}  // namespace

void add_validate(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* sub = app.add_subcommand("validate", "Check report.json files against the v1 schema");
  sub->add_option("paths", options->paths, "report.json files or directories (searched recursively)")
      ->required();
  sub->add_flag("-q,--quiet", options->quiet, "Print errors only, not warnings");
  sub->callback([options, &ctx] { run_validate(*options, ctx); });
}

}  // namespace sitegen::cli
