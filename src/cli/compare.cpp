#include "cli/app.hpp"
#include "cli/context.hpp"
#include "store/compare.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace sitegen::cli {

namespace {

struct CompareOptions {
  std::string base, candidate;
  std::vector<std::string> thresholds;
  double alpha = 0.05;
  std::string markdown;
  bool fail_on_regression = false;
  bool json = false;
  bool same_config = false;
  bool allow_mismatch = false;
};

// compare's own exit statuses, beside 0 (compared, nothing regressed), 1 (an error: a side could
// not be loaded) and 2 (usage).
constexpr int k_exit_regressed = 3;       // with --fail-on-regression: a metric regressed
constexpr int k_exit_not_comparable = 4;  // a pair differs in workload or engine: nothing judged

void run_compare(const CompareOptions& options, Context& ctx) {
  store::CompareOptions compare;
  for (const std::string& spec : options.thresholds) store::set_threshold(compare, spec);
  compare.alpha = options.alpha;
  compare.same_config_only = options.same_config;
  compare.allow_mismatch = options.allow_mismatch;
  const store::Comparison result = store::compare_paths(options.base, options.candidate, compare);
  const std::string markdown = store::to_markdown(result, compare);
  if (!options.markdown.empty()) files::write_atomic(options.markdown, markdown);
  if (options.json) {
    ctx.out << store::to_json(result).dump(2) << "\n";
  } else {
    ctx.out << markdown;
  }
  const std::size_t regressions = result.regressions();
  if (regressions && options.fail_on_regression) {
    ctx.err << "sitegen: error: " << regressions << " metric(s) regressed beyond their threshold\n";
    ctx.exit_code = k_exit_regressed;
  } else if (const std::size_t n = result.not_comparable()) {
    for (const store::ConfigComparison& c : result.configs) {
      if (!c.compared) ctx.err << "sitegen: not comparable: " << strings::join(c.mismatches, "; ") << "\n";
    }
    ctx.err << "sitegen: error: " << n << " pair(s) not comparable (different workload or engine); "
            << "nothing was judged a regression (--allow-mismatch compares them anyway)\n";
    ctx.exit_code = k_exit_not_comparable;
  }
}

}  // namespace

void add_compare(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* sub = app.add_subcommand(
      "compare", "Compare two runs, configurations or results trees and flag regressions");
  sub->add_option("base", options->base, "BASE: a report.json, or a directory of them (the reference)")
      ->required();
  sub->add_option("candidate", options->candidate, "CANDIDATE: a report.json, or a directory of them")
      ->required();
  sub->add_option("--threshold", options->thresholds,
                  "METRIC=PERCENT, repeatable: how much worse a metric may get (defaults: "
                  "output_throughput/request_throughput 5, *_p50 10, *_p99 20)")
      ->allow_extra_args(false);  // one METRIC=PERCENT per flag, so BASE and CANDIDATE may follow
  sub->add_option("--alpha", options->alpha, "Significance level of the rank test on per-request samples")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--markdown", options->markdown,
                  "Also write the markdown table to FILE (for $GITHUB_STEP_SUMMARY or a PR comment)");
  sub->add_flag("--fail-on-regression", options->fail_on_regression, "Exit 3 when any metric regressed");
  sub->add_flag("--same-config", options->same_config,
                "Compare runs of the same configuration only (matched by id), never one configuration "
                "with another, even when each side holds just one");
  sub->add_flag("--allow-mismatch", options->allow_mismatch,
                "Compare a pair even when its workloads (benchmark, dataset, lengths, arrival) or engines "
                "differ; by default such a pair is reported as not comparable (exit 4)");
  sub->add_flag("--json", options->json, "Print the comparison as JSON instead of markdown");
  sub->callback([options, &ctx] { run_compare(*options, ctx); });
}

}  // namespace sitegen::cli
