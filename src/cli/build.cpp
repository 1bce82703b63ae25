#include "cli/context.hpp"
#include "site/builder.hpp"
#include "util/format.hpp"

namespace sitegen::cli {

namespace {

void run_build(const site::BuildOptions& options, bool timings, Context& ctx) {
  const site::BuildSummary summary = site::build_site(options);
  if (timings) {
    ctx.err << "sitegen: timings:";
    for (const auto& [name, seconds] : summary.phases) ctx.err << " " << name << " " << format::fixed(seconds, 3) << " s";
    ctx.err << "\n";
  }
  for (const std::string& p : summary.problems) ctx.err << "sitegen: warning: " << p << "\n";
  ctx.out << "built " << summary.pages << " page(s) for " << summary.configurations << " configuration(s) and "
          << summary.runs << " run(s) into " << options.out.string();
  if (summary.incremental) {
    ctx.out << " (incremental: " << summary.written << " of " << summary.files << " file(s) changed)";
  }
  ctx.out << "; open " << (options.out / "index.html").string() << "\n";
}

}  // namespace

void add_build(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<site::BuildOptions>();
  CLI::App* sub = app.add_subcommand("build", "Render the static site from a results/ tree");
  sub->add_option("--results", options->results, "results tree")->capture_default_str();
  sub->add_option("--site", options->site, "site settings (site.json), pricing catalog and pages/")
      ->capture_default_str();
  sub->add_option("--templates", options->templates,
                  "use the templates in DIR instead of the built-in ones (file by file)");
  sub->add_option("--out", options->out,
                  "output directory; a failed build leaves it as it was, a rebuild rewrites only what changed")
      ->capture_default_str();
  sub->add_option("--base-url", options->base_url,
                  "where the site is served, e.g. /project/ or https://example.org/project/ (links stay relative; 404.html and "
                  "feed.xml link under it; an http(s) URL also gives og:url and absolute feed ids)");
  sub->add_flag("--clean", options->clean, "build every page again and swap the whole directory in");
  sub->add_option("--threads", options->threads, "pages rendered at once (default: one per core, at most 8)")
      ->check(CLI::Range(1u, 256u));
  auto timings = std::make_shared<bool>(false);
  sub->add_flag("--timings", *timings, "print the wall time of each phase (load, model, render, commit) to stderr");
  sub->callback([options, timings, &ctx] { run_build(*options, *timings, ctx); });
}

}  // namespace sitegen::cli
