#include "cli/context.hpp"
#include "store/dataset.hpp"
#include "util/files.hpp"

namespace sitegen::cli {

namespace {

struct ListOptions {
  std::string results = "results";
  bool json = false;
};

model::Json list_json(const store::Dataset& dataset) {
  model::Json configs = model::Json::array();
  for (const store::Configuration& c : dataset.configurations) {
    const store::Run* latest = c.latest_run();
    model::Json j = {{"id", c.id}, {"key", store::key_json(c.key)}, {"runs", c.runs.size()},
                     {"history", c.history.size()}, {"last_date", c.last_date()}};
    j["latest"] = latest ? model::Json{{"run_id", latest->summary.run_id},
                                       {"attempt", latest->summary.attempt},
                                       {"path", latest->relative + "/report.json"}}
                         : model::Json(nullptr);
    configs.push_back(std::move(j));
  }
  model::Json problems = model::Json::array();
  for (const Problem& p : dataset.problems) problems.push_back(p.str());
  return {{"results", dataset.root.generic_string()}, {"configurations", configs}, {"problems", problems}};
}

void run_list(const ListOptions& o, Context& ctx) {
  const store::Dataset dataset = store::load_dataset(o.results);
  if (o.json) {
    ctx.out << list_json(dataset).dump(2) << "\n";
  } else {
    for (const store::Configuration& c : dataset.configurations) {
      const store::Run* latest = c.latest_run();
      ctx.out << c.id << "\n    latest " << (latest ? latest->summary.run_id : "none (no run with a successful request)");
      if (latest && latest->summary.attempt > 1) ctx.out << " attempt " << latest->summary.attempt;
      ctx.out << ", " << c.runs.size() << " run(s)";
      if (c.history.size() > c.runs.size()) ctx.out << " (+" << c.history.size() - c.runs.size() << " pruned)";
      ctx.out << ", last " << (c.last_date().empty() ? "unknown" : c.last_date()) << "\n";
    }
    ctx.out << dataset.configurations.size() << " configuration(s), " << dataset.run_count() << " run(s)\n";
  }
  for (const Problem& p : dataset.problems) {
    ctx.err << "sitegen: " << p.str() << "\n";
  }
  if (has_errors(dataset.problems)) ctx.exit_code = 1;
}

}  // namespace

void add_list(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ListOptions>();
  CLI::App* sub = app.add_subcommand("list", "List the configurations in a results/ tree: latest run, runs, last date");
  sub->add_option("--results", o->results, "The results tree (default: results)");
  sub->add_flag("--json", o->json, "Print JSON for scripts");
  sub->callback([o, &ctx] { run_list(*o, ctx); });
}

}  // namespace sitegen::cli
