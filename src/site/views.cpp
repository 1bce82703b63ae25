#include "site/views.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "site/chart_specs.hpp"
#include "site/econ_view.hpp"
#include "site/figures.hpp"
#include "site/report_view.hpp"
#include "util/format.hpp"
#include "util/hash.hpp"
#include "util/strings.hpp"

namespace sitegen::site {

namespace {

using model::Point;
using model::Report;

// The headline figures of a configuration, as texts and numeric sort keys.
struct Row {
  const store::Configuration* config = nullptr;
  View view;
  std::optional<double> peak, owned, rented, slo_load, dev_month;
};

// The largest load holding the SLO, told the same way on the index and the configuration page:
// by the economics' SLO where there are economics (the report's thresholds, else the catalog's
// defaults), else by the report's own.
struct SloLoad {
  std::string text, reason;
  std::optional<double> value;  // for sorting
};

// One cost cell of the index: the figure, a second line, the reason shown on hover, a sort key.
struct CostCell {
  std::string text = "unavailable", sub, reason;
  std::optional<double> value;
};

const char* const k_batch_reason =
    "batch cost at the highest throughput measured: the report measures no latency at any load level (e.g. MLPerf "
    "Offline, every sample available at once), so no SLO can be checked";

// Owned $/1M tokens at the SLO; for a throughput-only run the batch cost; where total throughput
// is unknown, the output-token cost; each labelled.
CostCell owned_cell(const econ::ConfigEconomics& e) {
  CostCell c;
  if (e.usd_per_1m_at_slo.available()) {
    c.text = figure_text(e.usd_per_1m_at_slo);
    c.value = e.usd_per_1m_at_slo.value;
    c.reason = "per 1M tokens (input + output) at the SLO load";
    if (e.usd_per_1m_output_at_slo.available()) c.sub = figure_text(e.usd_per_1m_output_at_slo) + " per 1M output";
  } else if (e.batch_point && (e.points[*e.batch_point].owned.usd_per_1m_tokens.available() ||
                                e.points[*e.batch_point].owned.usd_per_1m_output_tokens.available())) {
    const econ::OwnedCost& owned = e.points[*e.batch_point].owned;
    const bool total = owned.usd_per_1m_tokens.available();
    const econ::Figure& f = total ? owned.usd_per_1m_tokens : owned.usd_per_1m_output_tokens;
    c.text = figure_text(f);
    c.sub = total ? "batch, no latency SLO" : "batch, per 1M output tok";
    c.value = f.value;
    c.reason = std::string(k_batch_reason) + (total ? "" : "; output-token cost (all cost on output tokens): the report gives output throughput only");
  } else if (e.usd_per_1m_output_at_slo.available()) {
    c.text = figure_text(e.usd_per_1m_output_at_slo);
    c.sub = "per 1M output tok";
    c.value = e.usd_per_1m_output_at_slo.value;
    c.reason = "output-token cost (all cost charged to output tokens): the report gives output throughput only; " +
               e.usd_per_1m_at_slo.reason;
  } else {
    c.reason = e.usd_per_1m_output_at_slo.reason.empty() ? e.usd_per_1m_at_slo.reason : e.usd_per_1m_output_at_slo.reason;
  }
  return c;
}

// The cheapest rental at the SLO (total tokens, else output tokens), or why there is none.
CostCell rented_cell(const econ::ConfigEconomics& e) {
  CostCell c;
  if (const econ::Figure* f = cheapest_rental_at_slo(e)) {
    c.text = figure_text(*f);
    c.value = f->value;
    c.reason = "cheapest rental per 1M tokens (input + output) at the SLO load";
    return c;
  }
  if (!e.match.hardware) {
    c.reason = e.match.reason;
  } else if (e.match.hardware->rent.empty()) {
    c.reason = e.match.hardware->name + ": " + econ::no_rental_reason(*e.match.hardware);
  } else if (e.batch_point) {
    const econ::Figure* best = nullptr;
    bool output_only = false;
    for (const econ::RentalCost& r : e.points[*e.batch_point].rentals)
      if (r.usd_per_1m_tokens.value && (!best || *r.usd_per_1m_tokens.value < *best->value)) best = &r.usd_per_1m_tokens;
    if (!best) {
      output_only = true;
      for (const econ::RentalCost& r : e.points[*e.batch_point].rentals)
        if (r.usd_per_1m_output_tokens.value && (!best || *r.usd_per_1m_output_tokens.value < *best->value))
          best = &r.usd_per_1m_output_tokens;
    }
    if (best) {
      c.text = figure_text(*best);
      c.sub = output_only ? "batch, per 1M output tok" : "batch, no latency SLO";
      c.value = best->value;
      c.reason = std::string("cheapest rental, ") + k_batch_reason +
                 (output_only ? "; output-token cost (all cost on output tokens): the report gives output throughput only" : "");
    } else {
      c.reason = e.points[*e.batch_point].rentals.front().usd_per_1m_tokens.reason;
    }
  } else if (!e.slo_point || *e.slo_point >= e.points.size()) {
    c.reason = e.slo_reason;
  } else {
    const econ::Figure* best = nullptr;
    for (const econ::RentalCost& r : e.points[*e.slo_point].rentals) {
      if (r.usd_per_1m_output_tokens.value && (!best || *r.usd_per_1m_output_tokens.value < *best->value))
        best = &r.usd_per_1m_output_tokens;
    }
    if (best) {
      c.text = figure_text(*best);
      c.sub = "per 1M output tok";
      c.value = best->value;
      c.reason = "cheapest rental, output-token cost (all cost charged to output tokens): the report gives output "
                 "throughput only";
    } else {
      c.reason = e.points[*e.slo_point].rentals.front().usd_per_1m_tokens.reason;
    }
  }
  return c;
}

SloLoad slo_load(const SiteModel& m, const store::Configuration& c, const Report& r, const Headline& h) {
  SloLoad out{h.slo_load, "", h.slo_point ? load_value(r.points[*h.slo_point]) : std::nullopt};
  auto it = m.economics.find(&c);
  if (it == m.economics.end()) return out;
  const econ::ConfigEconomics& e = it->second;
  if (e.slo_point && *e.slo_point < r.points.size()) {
    out.text = load_label(r.points[*e.slo_point]);
    out.value = load_value(r.points[*e.slo_point]);
    out.reason = "SLO: " + e.slo_rule;
  } else if (e.batch_point) {
    out.text = "batch";
    out.reason = "no SLO applies: the report measures no latency at any load level (throughput only, e.g. MLPerf Offline)";
  } else if (!e.slo_reason.empty()) {
    out.text = e.slo_state == econ::SloState::unknown ? "unknown" : "none";
    out.reason = e.slo_reason;
  }
  if (!e.slo_substitution.empty()) out.reason += " (" + e.slo_substitution + ")";
  return out;
}

Row index_row(const SiteModel& m, const store::Configuration& c, const std::string& root) {
  Row row;
  row.config = &c;
  const store::Run* run = shown_run(c);
  View v;
  v.set("href", root + config_path(c));
  v.set("title", config_title(c));
  v.set("id", c.id);
  v.set("runs", std::to_string(c.runs.size()));
  if (!run) {
    row.view = std::move(v);
    return row;
  }
  const Report& r = run->report;
  v.set("model", r.system.model.id.empty() ? "unknown model" : r.system.model.id);
  v.set("precision", r.system.model.precision);
  v.set("gpu", gpu_text(r.system));
  v.set("engine", r.system.engine.name);
  v.set("benchmark", c.key.benchmark);
  v.set("workload", c.key.workload_short());
  v.set("latest_href", root + run_path(m, *run));
  v.set("latest", r.provenance.run_id);
  const Headline h = headline(r);
  row.peak = h.peak_output_tps;
  v.set("peak", h.peak_output_tps ? format::human(*h.peak_output_tps) : "not measured");
  if (!h.peak_output_tps) v.set("peak_reason", "the report gives no output throughput at any load level");
  v.set("peak_load", h.peak_load);
  const SloLoad slo = slo_load(m, c, r, h);
  v.set("slo_load", slo.text);
  if (auto e = m.economics.find(&c); e != m.economics.end() && e->second.slo_point && *e->second.slo_point < r.points.size()) {
    const model::Point& p = r.points[*e->second.slo_point];
    v.set("slo_tps", p.output_throughput_tps ? format::human(*p.output_throughput_tps) : "");
    v.set("slo_ttft", p.ttft_ms.percentile(50) ? format::human(*p.ttft_ms.percentile(50)) + " ms" : "");
  }
  v.set("slo_reason", slo.reason);
  row.slo_load = slo.value;
  v.set("owned", "unavailable").set("rented", "unavailable").set("dev_month", "unavailable");
  std::vector<std::string> marks;
  if (r.provenance.target == "sitegen sim-server") marks.push_back("simulated engine");
  if (std::none_of(r.points.begin(), r.points.end(), [](const model::Point& p) { return load_value(p) || p.request_rate_inf; }))
    marks.push_back("load not stated");
  auto it = m.economics.find(&c);
  if (it == m.economics.end()) {
    const std::string why = m.inputs->catalog ? "the latest run has no successful request" : "no pricing catalog";
    v.set("owned_reason", why).set("rented_reason", why).set("dev_month_reason", why);
  } else {
    const econ::ConfigEconomics& e = it->second;
    const CostCell owned = owned_cell(e);
    row.owned = owned.value;
    v.set("owned", owned.text).set("owned_sub", owned.sub).set("owned_reason", owned.reason);
    const CostCell rented = rented_cell(e);
    row.rented = rented.value;
    v.set("rented", rented.text).set("rented_sub", rented.sub).set("rented_reason", rented.reason);
    row.dev_month = e.usd_per_dev_month.value;
    v.set("dev_month", figure_text(e.usd_per_dev_month));
    if (e.usd_per_dev_month.available() && !e.developers_measured)
      v.set("dev_month_sub", "est. from concurrency");
    v.set("dev_month_reason", e.usd_per_dev_month.available()
                                  ? (e.developers_measured ? std::string("from measured capacity (team sizes)")
                                                           : "estimated from concurrency: " + format::human(*e.developers.value) +
                                                                 " developers = C_slo / f, see the configuration page")
                                  : e.usd_per_dev_month.reason);
    if (e.slo_point && *e.slo_point < e.points.size() && e.match.hardware && !e.points[*e.slo_point].power_measured)
      marks.push_back("catalog power");
  }
  View mark_list = View::list();
  for (const std::string& mk : marks) mark_list.push(View().set("text", mk));
  v.set("marks", std::move(mark_list));
  row.view = std::move(v);
  return row;
}

void sort_rows(std::vector<Row>& rows, const std::string& order) {
  auto key = [&](const Row& r) -> std::optional<double> {
    if (order == "cost-owned") return r.owned;
    if (order == "cost-rented") return r.rented;
    if (order == "slo-load") return r.slo_load ? std::optional<double>(-*r.slo_load) : std::nullopt;
    if (order == "dev-month") return r.dev_month;
    if (order == "name") return std::nullopt;
    return r.peak ? std::optional<double>(-*r.peak) : std::nullopt;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    const auto ka = key(a), kb = key(b);
    if (ka.has_value() != kb.has_value()) return ka.has_value();
    if (ka && *ka != *kb) return *ka < *kb;
    return a.config->id < b.config->id;
  });
}

std::vector<const store::Configuration*> all_configs(const SiteModel& m) {
  std::vector<const store::Configuration*> out;
  for (const store::Configuration& c : m.inputs->dataset.configurations) out.push_back(&c);
  return out;
}

std::vector<CostBar> cost_bars(const SiteModel& m) {
  std::vector<CostBar> bars;
  for (const auto& [config, e] : m.economics) {
    const econ::Figure* f = e.usd_per_1m_at_slo.value ? &e.usd_per_1m_at_slo : cheapest_rental_at_slo(e);
    if (!f || !f->value) continue;
    const std::string how = f == &e.usd_per_1m_at_slo ? "owned" : "rented";
    bars.push_back({config->id, *f->value, false,
                    config->id + " (" + how + ", at SLO): $" + format::human(*f->value) + " per 1M tokens"});
  }
  std::sort(bars.begin(), bars.end(), [](const CostBar& a, const CostBar& b) { return a.label < b.label; });
  if (m.inputs->catalog) {
    // The APIs that serve a model on the site, then the closed-model ones ("a different model").
    const econ::Catalog& cat = *m.inputs->catalog;
    std::set<const econ::ApiModel*> shown;
    std::vector<std::pair<const econ::ApiModel*, std::string>> apis;
    for (const store::Configuration& c : m.inputs->dataset.configurations) {
      const store::Run* run = c.latest_run();
      if (!run) continue;
      for (const econ::ApiMatch& match : econ::api_models_for(cat, run->report.system.model.id, run->report.system.model.quantization))
        if (shown.insert(match.api).second) apis.push_back({match.api, match.same_model ? "" : " (a different model)"});
    }
    std::stable_sort(apis.begin(), apis.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    const double wi = cat.assumptions.api_blend_input, wo = cat.assumptions.api_blend_output;
    for (const auto& [api, note] : apis) {
      if (wi + wo <= 0) break;
      const double blend = (wi * api->usd_per_1m_input + wo * api->usd_per_1m_output) / (wi + wo);
      bars.push_back({api->name + " (" + api->provider + ")" + note, blend, true,
                      api->name + ": $" + format::human(blend) + " per 1M tokens at " + format::shortest(wi) + ":" +
                          format::shortest(wo) + " input:output (" + api->sourced.source + ", " + api->sourced.as_of + ")"});
    }
  }
  return bars;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& index_orders() {
  static const std::vector<std::pair<std::string, std::string>> k_orders = {
      {"", "model and workload"},       {"peak", "peak throughput"},          {"cost-owned", "owned $/1M tokens"},
      {"cost-rented", "rented $/1M tokens"}, {"slo-load", "largest load under SLO"},
      {"dev-month", "$/developer-month"}, {"name", "name"}};
  return k_orders;
}

std::string index_file(const std::string& order) { return order.empty() ? "index.html" : "index-by-" + order + ".html"; }

// One section of the index per model and workload: its configurations ranked by owned cost at
// the SLO (then rented), with the cheapest of each kind marked where two or more have a figure.
View model_sections(const SiteModel& m) {
  std::vector<std::pair<std::string, const SiteModel::ModelGroup*>> groups;
  for (const auto& [key, g] : m.model_groups) groups.push_back({key, &g});
  // Sections that answer the question come first: those comparing configurations with a cost
  // figure, by how many have one, then the rest; then by key.
  const auto priced = [&](const SiteModel::ModelGroup* g) {
    std::size_t n = 0;
    for (const store::Configuration* c : g->configs) {
      const auto it = m.economics.find(c);
      if (it == m.economics.end()) continue;
      const econ::ConfigEconomics& e = it->second;
      n += owned_cell(e).value || rented_cell(e).value ? 1 : 0;
    }
    return g->configs.size() > 1 ? n : 0;
  };
  std::stable_sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) {
    const std::size_t pa = priced(a.second), pb = priced(b.second);
    if (pa != pb) return pa > pb;
    return (a.second->configs.size() > 1) > (b.second->configs.size() > 1);
  });
  View sections = View::list();
  for (const auto& [key, g] : groups) {
    std::vector<Row> rows;
    for (const store::Configuration* c : g->configs) rows.push_back(index_row(m, *c, ""));
    // Owned cost first (unavailable last), then rented cost, then the id.
    const auto rank = [](const Row& r) {
      return std::tuple(!r.owned.has_value(), r.owned.value_or(0), !r.rented.has_value(), r.rented.value_or(0), r.config->id);
    };
    std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return rank(a) < rank(b); });
    const auto cheapest = [&](std::optional<double> Row::*field) -> const Row* {
      const Row* best = nullptr;
      std::size_t with = 0;
      for (const Row& r : rows) {
        if (!(r.*field)) continue;
        ++with;
        if (!best || *(r.*field) < *(best->*field)) best = &r;
      }
      return with > 1 ? best : nullptr;
    };
    const Row* owned = cheapest(&Row::owned);
    const Row* rented = cheapest(&Row::rented);
    View list = View::list();
    for (Row& r : rows) {
      r.view.flag("cheapest_owned", &r == owned).flag("cheapest_rented", &r == rented);
      list.push(std::move(r.view));
    }
    View section;
    section.set("id", "m-" + strings::slug(key))
        .set("title", g->title)
        .set("count", std::to_string(g->configs.size()))
        .set("rows", std::move(list));
    if (g->configs.size() > 1) {
      section.set("pareto", pareto_chart(g->configs, "pareto-" + strings::slug(key), true));
      if (m.engine_groups.count(key)) section.set("compare_href", "compare/" + key + ".html");
    }
    sections.push(std::move(section));
  }
  return sections;
}

View index_view(const SiteModel& m, const std::string& order) {
  View v;
  if (order.empty()) {
    v.flag("grouped", true);
    v.set("sections", model_sections(m));  // and has_sections
  } else {
    std::vector<Row> rows;
    for (const store::Configuration* c : all_configs(m)) rows.push_back(index_row(m, *c, ""));
    sort_rows(rows, order);
    View list = View::list();
    for (Row& r : rows) list.push(std::move(r.view));
    v.set("rows", std::move(list));  // and has_rows
  }
  View orders = View::list();
  for (const auto& [key, label] : index_orders()) {
    orders.push(View().set("href", index_file(key)).set("label", label).flag("current", key == order));
  }
  v.set("orders", std::move(orders));
  for (const auto& [key, label] : index_orders()) {
    if (key == order) v.set("order_label", label);
  }
  v.set("pareto", pareto_chart(all_configs(m), "pareto"));
  v.set("cost", cost_vs_api_chart(cost_bars(m), "cost"));
  View compares = View::list();
  for (const auto& [key, configs] : m.engine_groups) {
    const auto group = m.model_groups.find(key);
    compares.push(View()
                      .set("href", "compare/" + key + ".html")
                      .set("label", (group != m.model_groups.end() ? group->second.title : key) + ": " +
                                        std::to_string(configs.size()) + " configurations"));
  }
  for (const auto& [key, variants] : m.variant_groups) {
    compares.push(View()
                      .set("href", "compare/variants-" + key + ".html")
                      .set("label", "Baseline against candidates: " + key + " (" + std::to_string(variants.size()) +
                                        " runs)"));
  }
  v.set("compares", std::move(compares));
  v.set("run_count", std::to_string(m.inputs->dataset.run_count()));
  v.set("config_count", std::to_string(m.inputs->dataset.configurations.size()));
  if (m.inputs->catalog) {
    v.set("utilization", format::shortest(m.inputs->catalog->assumptions.utilization));
  }
  return v;
}

View config_view(const SiteModel& m, const store::Configuration& c) {
  const std::string path = config_path(c);
  const std::string root = root_of(path);
  View v;
  v.set("title", config_title(c));
  v.set("id", c.id);
  const store::Run* run = shown_run(c);
  View head = View::list();
  if (run) {
    const Report& r = run->report;
    const Headline h = headline(r);
    add_if(head, "Peak output throughput",
           h.peak_output_tps ? format::human(*h.peak_output_tps) + " tokens/s" +
                                   (h.peak_load.empty() ? "" : " at load " + h.peak_load)
                             : "");
    add_if(head, "Peak output throughput per GPU", opt_text(h.peak_output_tps_per_gpu));
    const SloLoad slo = slo_load(m, c, r, h);
    add_if(head, "Largest load holding the SLO", slo.text + (slo.reason.empty() ? "" : "; " + slo.reason));
    add_if(head, "Median TTFT at the lightest load", h.best_ttft_median_ms ? format::human(*h.best_ttft_median_ms) + " ms" : "");
    v.set("run_href", root + run_path(m, *run));
    v.set("run_id", r.provenance.run_id);
    v.set("report_href", root + run_dir(m, *run) + "/report.json");
    v.flag("latest_is_success", c.latest_run() != nullptr);
    add_report_sections(v, *run, "c-");
    auto it = m.economics.find(&c);
    if (it != m.economics.end()) {
      v.set("economics", economics_view(it->second, r));
      // At the SLO point's cost per hour; else, with capacity results, at the fixed cost per hour.
      std::optional<std::string> dev_month;
      if (it->second.slo_point && *it->second.slo_point < it->second.points.size()) {
        const econ::Figure& per_hour = it->second.points[*it->second.slo_point].owned.usd_per_hour;
        if (per_hour.value) dev_month = dev_month_chart(r, *per_hour.value, it->second.team_size_max, "c-devmonth");
      }
      if (!dev_month && !r.capacity.empty() && !it->second.points.empty() &&
          it->second.points.front().owned.fixed_per_h.value) {
        dev_month = dev_month_chart(r, *it->second.points.front().owned.fixed_per_h.value,
                                    it->second.team_size_max, "c-devmonth");
      }
      if (dev_month) v.set("dev_month_chart", *dev_month);
    } else {
      v.set("economics_missing", m.inputs->catalog ? "no run with a successful request" : "the pricing catalog did not load");
    }
  }
  v.set("headline", std::move(head));
  View history = View::list();
  for (auto it = c.history.rbegin(); it != c.history.rend(); ++it) {
    const store::RunSummary& s = *it;
    View h;
    h.set("run_id", s.run_id + (s.attempt > 1 ? " (attempt " + std::to_string(s.attempt) + ")" : ""))
        .set("date", s.started_at)
        .set("status", s.status)
        .set("completed", format::grouped(s.completed))
        .set("failed", format::grouped(s.failed))
        .set("peak", opt_text(s.max_output_tps))
        .set("ttft", opt_text(s.min_ttft_p50_ms))
        .flag("pruned", s.pruned);
    for (const store::Run& r : c.runs) {
      if (r.report.provenance.run_id == s.run_id && r.report.provenance.attempt == s.attempt) {
        h.set("href", root + run_path(m, r));
      }
    }
    history.push(std::move(h));
  }
  v.set("history", std::move(history));
  v.set("history_chart", history_chart(c, "c-history"));
  return v;
}

View run_view(const SiteModel& m, const store::Configuration& c, const store::Run& run) {
  const std::string root = root_of(run_path(m, run));
  const Report& r = run.report;
  View v;
  const std::string title = config_title(c);
  v.set("title", "Run " + r.provenance.run_id + " of " + title);
  v.set("config_href", root + config_path(c));
  v.set("config_title", title);
  v.set("report_href", "report.json");
  v.set("status", r.status);
  v.flag("failed_run", r.status != "complete");
  v.set("status_detail", r.status_detail);
  add_report_sections(v, run, "r-");
  return v;
}

std::uint64_t run_page_key(const SiteModel& m, const store::Configuration& c, const store::Run& run) {
  // Exactly what run_view reads besides the report itself (run.fingerprint covers its bytes).
  return hash::Hasher()
      .add(run.fingerprint)
      .add(run.notes_md)
      .add(config_title(c))
      .add(config_path(c))
      .add(run_path(m, run))
      .value();
}

View not_found_view(const std::string& base_url) {
  View v;
  v.set("root", base_url);  // absolute: the page is served for missing paths at any depth
  v.set("base_url", base_url);
  return v;
}

// The cost lines of a comparison: each configuration owned and at its cheapest rental at the SLO,
// and each API that serves the model (once).
std::vector<CostLine> cost_lines(const SiteModel& m, const std::vector<const store::Configuration*>& configs) {
  std::vector<CostLine> out;
  std::set<std::string> apis;
  for (const store::Configuration* c : configs) {
    const auto it = m.economics.find(c);
    if (it == m.economics.end() || !it->second.slo_point) continue;
    const econ::ConfigEconomics& e = it->second;
    const econ::PointEconomics& pe = e.points[*e.slo_point];
    const store::Run* run = c->latest_run();
    const std::string name = run ? gpu_text(run->report.system) + (run->report.system.engine.name.empty() ? "" : " · " + run->report.system.engine.name) : c->id;
    std::optional<double> capacity;
    if (pe.throughput.total) capacity = *pe.throughput.total * 3600 * 730 / 1e6;
    if (pe.owned.fixed_per_h.available() && pe.owned.marginal_energy_per_1m.available())
      out.push_back({name, CostLine::Kind::owned, *pe.owned.fixed_per_h.value * 730, *pe.owned.marginal_energy_per_1m.value, capacity});
    const econ::RentalCost* best = nullptr;
    for (const econ::RentalCost& r : pe.rentals)
      if (r.usd_per_hour.available() && (!best || *r.usd_per_hour.value < *best->usd_per_hour.value)) best = &r;
    if (best && pe.throughput.total && *pe.throughput.total > 0)
      out.push_back({name + ", " + best->provider, CostLine::Kind::rented, 0,
                     *best->usd_per_hour.value * 1e6 / (3600 * *pe.throughput.total), std::nullopt});
    for (const econ::BreakEven& b : e.api_break_even)
      if (b.same_model && b.price_per_1m.available() && apis.insert(b.against).second)
        out.push_back({b.against, CostLine::Kind::api, 0, *b.price_per_1m.value, std::nullopt});
  }
  return out;
}

View engine_compare_view(const SiteModel& m, const std::string& key, const std::vector<const store::Configuration*>& configs) {
  const std::string root = "../";
  View v;
  const auto group = m.model_groups.find(key);
  v.set("title", "Compared: " + (group != m.model_groups.end() ? group->second.title : key));
  v.set("key", key);
  View cols = View::list();
  for (const store::Configuration* c : configs) cols.push(index_row(m, *c, root).view);
  v.set("columns", std::move(cols));
  // Overlaid throughput and TTFT: one line per configuration's shown run.
  std::vector<std::pair<std::string, const model::Report*>> reports;
  for (const store::Configuration* c : configs) {
    const store::Run* run = shown_run(*c);
    if (!run) continue;
    const model::System& s = run->report.system;
    const std::string name = s.engine.name + (s.model.precision.empty() ? "" : " " + s.model.precision);
    reports.emplace_back(name.empty() ? c->id : name, &run->report);
  }
  View charts = View::list();
  for (const auto& [which, caption] : {std::pair<std::string, std::string>{"throughput", "Output throughput against load"},
                                       {"ttft", "Median time to first token against load"}}) {
    const std::string svg = overlay_chart(reports, "cmp-" + which, which);
    if (!svg.empty()) charts.push(View().set("svg", svg).set("caption", caption));
  }
  const std::string pareto = pareto_chart(configs, "cmp-pareto", true);
  if (!pareto.empty())
    charts.push(View().set("svg", pareto).set("caption", "Throughput per GPU against speed per user, one curve per configuration"));
  const std::string volume = cost_volume_chart(cost_lines(m, configs), "cmp-volume");
  if (!volume.empty())
    charts.push(View().set("svg", volume).set("caption", "Monthly cost against monthly volume: owned (fixed cost plus energy, up "
                                                         "to its capacity at the SLO), rented and the APIs serving this model"));
  const std::string scaling = scaling_chart(configs, "cmp-scaling");
  if (!scaling.empty()) charts.push(View().set("svg", scaling).set("caption", "Scaling: throughput per GPU against GPU count"));
  v.set("charts", std::move(charts));
  return v;
}

View variant_compare_view(const SiteModel& m, const std::string& key, const std::vector<SiteModel::Variant>& variants) {
  const std::string root = "../";
  View v;
  v.set("title", "Baseline against candidates: " + key);
  const SiteModel::Variant* base = nullptr;
  for (const auto& x : variants) {
    if (x.label == "baseline" && (!base || base->run->report.points.empty())) base = &x;
  }
  View cols = View::list();
  for (const auto& x : variants) {
    cols.push(View()
                  .set("label", x.label)
                  .set("run", x.run->report.provenance.run_id)
                  .set("href", root + run_path(m, *x.run)));
  }
  v.set("columns", std::move(cols));
  // One row per metric per load level of the baseline; each candidate's value and its delta.
  View rows = View::list();
  const Report& br = base->run->report;
  for (std::size_t pi = 0; pi < br.points.size(); ++pi) {
    const Point& bp = br.points[pi];
    for (const Metric& metric : point_metrics()) {
      const auto bv = metric.value(bp);
      if (!bv || metric.key == "concurrency" || metric.key == "request_rate_rps") continue;
      View cells = View::list();
      bool any = false;
      for (const auto& x : variants) {
        const Report& xr = x.run->report;
        const Point* xp = nullptr;
        for (const Point& p : xr.points) {
          if (load_value(p) == load_value(bp) && !xp) xp = &p;
        }
        if (!xp && xr.points.size() == br.points.size()) xp = &xr.points[pi];
        const auto xv = xp ? metric.value(*xp) : std::nullopt;
        std::string delta;
        std::string cls;
        if (&x != base && xv && *bv != 0) {
          const double pct = (*xv - *bv) / std::fabs(*bv) * 100;
          delta = (pct >= 0 ? "+" : "") + format::fixed(pct, 1) + "%";
          // Lower is better for latencies, higher for throughput.
          const bool lower_better = metric.key.find("_ms") != std::string::npos || metric.key == "failed" ||
                                    metric.key == "joules_per_token";
          if (std::fabs(pct) >= 0.05) cls = ((pct < 0) == lower_better) ? "better" : "worse";
        }
        if (xv && &x != base) any = true;
        cells.push(View().set("text", cell(xv, metric.decimals)).set("delta", delta).set("class", cls));
      }
      if (any) rows.push(View().set("metric", metric.label).set("load", load_label(bp)).set("cells", std::move(cells)));
    }
  }
  v.set("rows", std::move(rows));
  v.set("baseline_run", br.provenance.run_id);
  return v;
}

View runs_view(const SiteModel& m) {
  View list = View::list();
  for (const store::Configuration& c : m.inputs->dataset.configurations) {
    for (const store::Run& r : c.runs) {
      const Headline h = headline(r.report);
      list.push(View()
                    .set("href", run_path(m, r))
                    .set("run_id", r.report.provenance.run_id)
                    .set("config", c.id)
                    .set("config_href", config_path(c))
                    .set("status", r.report.status)
                    .set("date", r.report.provenance.started_at)
                    .set("peak", opt_text(h.peak_output_tps)));
    }
  }
  return View().set("runs", std::move(list));
}

}  // namespace sitegen::site
