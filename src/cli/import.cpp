#include <fstream>

#include "cli/context.hpp"
#include "ingest/import.hpp"
#include "model/check_files.hpp"
#include "store/merge.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace sitegen::cli {

namespace {

struct ImportCliOptions {
  std::vector<std::string> paths;
  std::string format, meta, out, into;
  std::vector<std::string> sets;
  bool list_formats = false;
  bool no_combine = false;
};

std::string reports_text(const std::vector<model::Report>& reports) {
  if (reports.size() == 1) return model::dump(reports.front());
  model::Json all = model::Json::array();
  for (const model::Report& r : reports) all.push_back(model::to_json(r));
  return all.dump(2) + "\n";
}

void run_import(const ImportCliOptions& options, Context& ctx) {
  if (options.list_formats) {
    ingest::print_formats(ctx.out);
    return;
  }
  if (options.paths.empty()) throw Error("import: give result files or directories (or --list-formats)");
  if (options.out.empty() == options.into.empty()) {
    throw Error("import: give exactly one of --out FILE (or --out - for stdout) and --into RESULTS_DIR");
  }
  ingest::ImportOptions io;
  io.format = options.format;
  io.sets = options.sets;
  io.meta_file = options.meta;
  io.combine_sweeps = !options.no_combine;
  const std::vector<std::filesystem::path> paths(options.paths.begin(), options.paths.end());
  const ingest::ImportResult result = ingest::import_paths(paths, io);

  // With --out - the reports go to stdout, so the account goes to stderr.
  std::ostream& log = options.out == "-" ? ctx.err : ctx.out;
  ingest::print_outcomes(result, log);
  ctx.exit_code = result.ok() ? 0 : 1;
  if (result.reports.empty()) return;

  // Nothing is written that `sitegen validate` would refuse: checked here for --out as merge
  // checks it for --into, so every report is checked before it goes anywhere.
  if (options.into.empty()) {
    std::string refused;
    for (const model::Report& r : result.reports) {
      const std::string problems =
          model::error_lines(model::check_report_text(model::dump(r), "<import of " + r.provenance.source_file + ">"));
      if (!problems.empty()) refused += "\n" + problems;
    }
    if (!refused.empty()) {
      log << "refused: nothing written, the imported report(s) are not valid:" << refused << "\n";
      ctx.exit_code = 1;
      return;
    }
  }
  if (!options.into.empty()) {
    std::vector<std::pair<model::Report, std::string>> named;
    for (const model::Report& r : result.reports) named.emplace_back(r, "<import of " + r.provenance.source_file + ">");
    const store::MergeSummary summary = store::merge_reports(named, options.into);
    store::print_summary(summary, log);
    if (!summary.ok()) ctx.exit_code = 1;
  } else if (options.out == "-") {
    ctx.out << reports_text(result.reports);
  } else {
    files::write_atomic(options.out, reports_text(result.reports));
    log << "wrote " << options.out << "\n";
  }
}

}  // namespace

void add_import(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<ImportCliOptions>();
  CLI::App* sub = app.add_subcommand("import", "Convert other tools' result files into report.json v1");
  sub->add_option("paths", options->paths, "result files or directories (searched recursively)");
  sub->add_option("--format", options->format, "skip detection and read every file as this format (see --list-formats)");
  sub->add_option("--set", options->sets, "PATH=VALUE for what the files lack, e.g. system.gpu.model=\"RTX A5000\"")
      ->allow_extra_args(false);
  sub->add_option("--meta", options->meta, "a JSON object of PATH: VALUE applied to every report (like meta.json beside a file)");
  sub->add_option("--out", options->out, "write the report(s) to FILE; '-' for stdout (a JSON array when several)");
  sub->add_option("--into", options->into, "place the reports into a results/ tree (idempotent)");
  sub->add_flag("--list-formats", options->list_formats, "name every format sitegen can import");
  sub->add_flag("--no-combine", options->no_combine, "keep one report per file even for files of one sweep");
  sub->callback([options, &ctx] { run_import(*options, ctx); });
}

}  // namespace sitegen::cli
