#include <filesystem>

#include "cli/context.hpp"
#include "econ/table.hpp"
#include "model/json_io.hpp"
#include "store/dataset.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/strings.hpp"

namespace sitegen::cli {

namespace {

namespace fs = std::filesystem;

struct CostOptions {
  std::string target;                 // a report.json or a directory of runs
  std::string pricing;                // "" : site/pricing.json, else the embedded catalog
  std::optional<double> utilization;
  std::optional<double> tokens_per_s, input_tps, output_tps;
  std::string hardware;
  std::optional<long long> gpus;
  std::vector<std::string> overrides;
  bool json = false;
};

econ::Catalog load_catalog(const CostOptions& o) {
  return o.pricing.empty() ? econ::default_catalog("site") : econ::load_catalog(o.pricing);
}

econ::Hardware* hardware_by_id(econ::Catalog& catalog, const std::string& id) {
  for (econ::Hardware& h : catalog.hardware) {
    if (h.id == id) return &h;
  }
  std::vector<std::string> ids;
  for (const econ::Hardware& h : catalog.hardware) ids.push_back(h.id);
  const std::string close = strings::closest(id, ids);
  throw Error("--hardware " + id + ": not in the pricing catalog " + catalog.file +
              (close.empty() ? " (entries: " + strings::join(ids, ", ") + ")" : " (did you mean '" + close + "'?)"));
}

// Applies --utilization and --set to the catalog (on `hw` for hardware fields), then checks it.
void apply_overrides(econ::Catalog& catalog, econ::Hardware* hw, const CostOptions& o) {
  for (const std::string& s : o.overrides) econ::apply_override(catalog, hw, s);
  if (o.utilization) catalog.assumptions.utilization = *o.utilization;
  econ::check_catalog(catalog);
}

model::Json headline_json(const econ::PointEconomics* p) {
  model::Json j;
  j["at"] = p ? model::Json(p->label) : model::Json(nullptr);
  const auto value = [](const econ::Figure& f) { return f.value ? model::Json(*f.value) : model::Json(nullptr); };
  j["usd_per_hour"] = p ? value(p->owned.usd_per_hour) : model::Json(nullptr);
  j["usd_per_1m_tokens"] = p ? value(p->owned.usd_per_1m_tokens) : model::Json(nullptr);
  return j;
}

void run_what_if(const CostOptions& o, Context& ctx) {
  if (o.hardware.empty()) throw Error("--tokens-per-s needs --hardware ID (an id from the pricing catalog)");
  if (!(*o.tokens_per_s > 0)) throw Error("--tokens-per-s must be greater than 0");
  econ::Catalog catalog = load_catalog(o);
  econ::Hardware* hw = hardware_by_id(catalog, o.hardware);
  apply_overrides(catalog, hw, o);
  econ::OperatingInput in;
  in.throughput.total = o.tokens_per_s;
  in.throughput.input = o.input_tps;
  in.throughput.output = o.output_tps;
  in.throughput.how = "what-if (--tokens-per-s)";
  in.gpus = o.gpus.value_or(hw->gpus_per_unit);
  in.label = "what-if " + format::shortest(*o.tokens_per_s) + " tokens/s on " + hw->id;
  const econ::PointEconomics pe = econ::point_economics(in, hw, catalog.assumptions);
  if (o.json) {
    model::Json j = headline_json(&pe);
    j["hardware"] = hw->id;
    j["gpus"] = in.gpus;
    j["utilization"] = catalog.assumptions.utilization;
    j["catalog"] = catalog.file;
    j["point"] = econ::to_json(pe);
    ctx.out << j.dump(2) << "\n";
    return;
  }
  ctx.out << "catalog: " << catalog.file << "\nhardware: " << hw->id << " (" << hw->name << "), " << in.gpus
          << " GPU(s); utilization " << format::shortest(catalog.assumptions.utilization)
          << " (divides fixed cost)\n\n";
  econ::print_point(pe, ctx.out);
}

// The runs to price: the report named, or the latest run of every configuration under a directory.
std::vector<std::pair<model::Report, std::string>> targets(const std::string& target, Context& ctx) {
  std::error_code ec;
  if (!fs::is_directory(target, ec)) return {{model::read_report(target), target}};
  const store::Dataset dataset = store::load_dataset(target);
  for (const Problem& p : dataset.problems) ctx.err << "sitegen: " << p.str() << "\n";
  std::vector<std::pair<model::Report, std::string>> out;
  for (const store::Configuration& c : dataset.configurations) {
    if (const store::Run* run = c.latest_run()) out.emplace_back(run->report, run->path.string());
  }
  if (out.empty()) throw Error(target + ": no run with a successful request under this directory");
  return out;
}

void run_cost(const CostOptions& o, Context& ctx) {
  if (o.tokens_per_s) return run_what_if(o, ctx);
  if (o.target.empty()) throw Error("give a report.json or a results directory, or --tokens-per-s with --hardware");
  model::Json all = model::Json::array();
  bool first = true;
  for (auto [report, path] : targets(o.target, ctx)) {
    econ::Catalog catalog = load_catalog(o);
    econ::Hardware* hw = nullptr;
    if (!o.hardware.empty()) {
      hw = hardware_by_id(catalog, o.hardware);
      report.system.gpu.model = hw->id;
    } else if (const econ::Hardware* matched = econ::match_gpu(catalog, report.system.gpu.model).hardware) {
      hw = &catalog.hardware[static_cast<std::size_t>(matched - catalog.hardware.data())];
    }
    if (o.gpus) report.system.gpu.count = *o.gpus;
    apply_overrides(catalog, hw, o);
    const econ::ConfigEconomics e = econ::report_economics(report, catalog, catalog.assumptions);
    if (o.json) {
      model::Json j = headline_json(econ::headline_point(e));
      j["report"] = path;
      j["catalog"] = catalog.file;
      j["economics"] = econ::to_json(e);
      all.push_back(std::move(j));
      continue;
    }
    if (!first) ctx.out << "\n";
    first = false;
    ctx.out << "report: " << path << "\ncatalog: " << catalog.file << "\n";
    econ::print_config(e, ctx.out);
  }
  if (o.json) ctx.out << (all.size() == 1 ? all[0] : model::Json{{"configurations", all}}).dump(2) << "\n";
}

}  // namespace

void add_cost(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CostOptions>();
  CLI::App* sub = app.add_subcommand("cost", "Show the cost economics of a report, a results directory or a what-if throughput");
  sub->add_option("target", o->target, "report.json, or a directory (the latest run of each configuration in it)");
  sub->add_option("--pricing", o->pricing, "Pricing catalog (default: site/pricing.json, else the built-in copy)");
  sub->add_option("--utilization,-u", o->utilization, "Duty cycle in (0, 1]: the fraction of hours serving; divides fixed cost");
  sub->add_option("--tokens-per-s", o->tokens_per_s, "What-if: total throughput in tokens/s instead of a report");
  sub->add_option("--input-tps", o->input_tps, "What-if: input tokens/s (for the input/output split)");
  sub->add_option("--output-tps", o->output_tps, "What-if: output tokens/s (for the input/output split)");
  sub->add_option("--hardware", o->hardware, "Catalog hardware id (e.g. dgx-spark); overrides the report's GPU match");
  sub->add_option("--gpus", o->gpus, "Number of GPUs (default: the report's, or one unit of the hardware)");
  sub->add_option("--set", o->overrides, "Override a catalog field, e.g. --set price_usd=4000 (repeatable)");
  sub->add_flag("--json", o->json, "Print JSON (usd_per_hour, usd_per_1m_tokens and every figure with its inputs)");
  sub->callback([o, &ctx] { run_cost(*o, ctx); });
}

}  // namespace sitegen::cli
