// Per-configuration economics: the SLO operating point, $/developer-month and break-even volumes.

#include <algorithm>

#include "econ/economics.hpp"
#include "econ/figure.hpp"
#include "util/format.hpp"

namespace sitegen::econ {

namespace {

constexpr double k_hours_per_month = 730;

std::string and_join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : " and ") + p;
  return out;
}

double load_of(const model::Point& p) {
  if (p.concurrency) return static_cast<double>(*p.concurrency);
  if (p.request_rate_inf) return 1e300;
  return p.request_rate_rps.value_or(0);
}

std::string point_label(const model::Point& p, std::size_t index) {
  if (p.concurrency) return "concurrency " + std::to_string(*p.concurrency);
  if (p.request_rate_inf) return "rate inf";
  if (p.request_rate_rps) return "rate " + format::shortest(*p.request_rate_rps) + " rps";
  return "point " + std::to_string(index + 1);
}

// A latency the SLO is checked on, and where it came from.
struct Measured {
  std::optional<double> value;
  std::string metric;        // "TTFT p50", "TPOT p50 (from p50 ITL)"
  std::string substitution;  // "" when the report gives the metric itself
};

// TPOT at percentile q: the report's, else ITL at the same percentile (TPOT is a request's mean
// inter-token gap, ITL every gap pooled: their medians agree closely for steady decoding), else
// the mean from E2E latency, TTFT and output tokens per request.
Measured tpot_of(const model::Point& p, double q) {
  const std::string pct = model::percentile_key(q);
  if (const auto v = p.tpot_ms.percentile(q)) return {v, "TPOT " + pct, ""};
  if (const auto v = p.itl_ms.percentile(q))
    return {v, "TPOT " + pct + " (from " + pct + " ITL)", "TPOT from " + pct + " ITL: the report has no TPOT"};
  if (p.e2el_ms.mean && p.ttft_ms.mean && p.output_tokens && p.completed && *p.completed > 0) {
    const double per_request = static_cast<double>(*p.output_tokens) / static_cast<double>(*p.completed);
    if (per_request > 1)
      return {(*p.e2el_ms.mean - *p.ttft_ms.mean) / (per_request - 1), "TPOT mean (from E2E latency)",
              "TPOT from (mean E2E latency - mean TTFT) / (output tokens per request - 1): the report has no TPOT or ITL "
              "(a mean, not a " + pct + ")"};
  }
  return {std::nullopt, "TPOT " + pct, ""};
}

// One point against the thresholds: failed when any known metric misses, else unknown when one
// is missing, else held.
SloVerdict judge(const model::Point& p, std::optional<double> ttft, std::optional<double> tpot, double q,
                 std::string& substitution) {
  SloVerdict v;
  if (p.completed && *p.completed <= 0) {
    v.state = SloState::failed;
    v.metric = "completed requests";
    v.text = "failed: no request completed at this load level";
    return v;
  }
  std::vector<std::pair<Measured, double>> checks;
  if (ttft) checks.push_back({{p.ttft_ms.percentile(q), "TTFT " + model::percentile_key(q), ""}, *ttft});
  if (tpot) checks.push_back({tpot_of(p, q), *tpot});
  std::vector<std::string> held, failed, missing;
  for (const auto& [m, limit] : checks) {
    if (!m.substitution.empty() && substitution.empty()) substitution = m.substitution;
    if (!m.value) {
      missing.push_back(m.metric);
    } else if (*m.value <= limit) {
      held.push_back(m.metric + " " + format::human(*m.value) + " ms <= " + format::shortest(limit) + " ms");
    } else {
      failed.push_back(m.metric + " " + format::human(*m.value) + " ms > " + format::shortest(limit) + " ms");
      if (v.metric.empty()) v.metric = m.metric;
    }
  }
  if (!failed.empty()) {
    v.state = SloState::failed;
    v.text = "failed: " + and_join(failed);
  } else if (!missing.empty()) {
    v.state = SloState::unknown;
    v.metric = missing.front();
    v.text = "unknown: the report has no " + and_join(missing) + (held.empty() ? "" : " (" + and_join(held) + ")");
  } else {
    v.state = SloState::held;
    v.metric = checks.empty() ? "" : checks.back().first.metric;
    v.text = "held: " + and_join(held);
  }
  return v;
}

SloVerdict producer_verdict(const model::Point& p) {
  SloVerdict v;
  v.metric = "slo_held";
  if (!p.slo_held) {
    v.text = "unknown: the producer gives no slo_held verdict for this load level";
  } else {
    v.state = *p.slo_held ? SloState::held : SloState::failed;
    v.text = std::string(*p.slo_held ? "held" : "failed") + ": the producer's slo_held verdict";
  }
  return v;
}

// Judges every load level (held / failed / unknown) and finds the largest one that holds the SLO
// at the chosen percentile; without thresholds, the producer's own slo_held verdicts are used.
void find_slo_point(const model::Report& report, ConfigEconomics& ce) {
  const Assumptions& a = ce.assumptions;
  const auto ttft = report.workload.slo_ttft_ms ? report.workload.slo_ttft_ms : a.slo_ttft_ms;
  const auto tpot = report.workload.slo_tpot_ms ? report.workload.slo_tpot_ms : a.slo_tpot_ms;
  const std::string pct = model::percentile_key(a.slo_percentile);
  std::vector<std::string> parts;
  // A threshold the report does not set comes from the catalog's assumptions, and says so.
  const auto from = [](bool catalog) { return catalog ? std::string(" (catalog default)") : std::string(); };
  if (ttft) parts.push_back(pct + " TTFT <= " + format::shortest(*ttft) + " ms" + from(!report.workload.slo_ttft_ms));
  if (tpot) parts.push_back(pct + " TPOT <= " + format::shortest(*tpot) + " ms" + from(!report.workload.slo_tpot_ms));
  ce.slo_rule = parts.empty() ? "the producer's slo_held verdict per point" : and_join(parts);
  const bool any_verdict = std::any_of(report.points.begin(), report.points.end(),
                                       [](const model::Point& p) { return p.slo_held.has_value(); });
  if (parts.empty() && !any_verdict) {
    ce.slo_reason = "the report sets no SLO (/workload/slo_ttft_ms, /workload/slo_tpot_ms) and no point says slo_held; "
                    "pass --set slo_ttft_ms=... --set slo_tpot_ms=...";
    ce.slo_verdicts.assign(report.points.size(), SloVerdict{SloState::unknown, "", "unknown: no SLO is defined"});
    return;
  }
  std::optional<std::size_t> best;
  bool any_unknown = false;
  for (std::size_t i = 0; i < report.points.size(); ++i) {
    const model::Point& p = report.points[i];
    SloVerdict v = parts.empty() ? producer_verdict(p) : judge(p, ttft, tpot, a.slo_percentile, ce.slo_substitution);
    if (v.state == SloState::held && (!best || load_of(p) > load_of(report.points[*best]))) best = i;
    any_unknown = any_unknown || v.state == SloState::unknown;
    ce.slo_verdicts.push_back(std::move(v));
  }
  ce.slo_point = best;
  if (best) {
    ce.slo_state = SloState::held;
  } else if (any_unknown || report.points.empty()) {
    ce.slo_state = SloState::unknown;
    std::string why;
    for (const SloVerdict& v : ce.slo_verdicts)
      if (v.state == SloState::unknown && why.empty()) why = v.text.substr(v.text.find(": ") + 2);
    ce.slo_reason = "unknown whether any load level holds the SLO (" + ce.slo_rule + "): " +
                    (why.empty() ? std::string("the report has no load levels") : why);
  } else {
    ce.slo_state = SloState::failed;
    ce.slo_reason = "no load level holds the SLO (" + ce.slo_rule + ")";
  }
}

BreakEven break_even(std::string against, Sourced sourced, Figure price, const OwnedCost& owned,
                     const Figure& capacity) {
  BreakEven b;
  b.against = std::move(against);
  b.sourced = std::move(sourced);
  const char* f = "fixed_per_h * 730 / (p - c_e)";
  const std::string why = first_reason({&price, &owned.fixed_per_h, &owned.marginal_energy_per_1m});
  if (!why.empty()) {
    b.volume_m_tokens_per_month = unavailable("break_even_volume", "M tokens/month", f, why);
  } else if (*price.value <= *owned.marginal_energy_per_1m.value) {
    b.volume_m_tokens_per_month = unavailable("break_even_volume", "M tokens/month", f,
                                              "never breaks even: the marginal energy alone costs more per token than " + b.against);
  } else {
    b.volume_m_tokens_per_month = figure(
        "break_even_volume", "M tokens/month", f,
        {{"fixed_per_h", *owned.fixed_per_h.value, "USD/h", owned.fixed_per_h.formula},
         {"p", *price.value, "USD/1M tokens", price.formula},
         {"c_e", *owned.marginal_energy_per_1m.value, "USD/1M tokens", owned.marginal_energy_per_1m.formula}},
        *owned.fixed_per_h.value * k_hours_per_month / (*price.value - *owned.marginal_energy_per_1m.value));
  }
  b.price_per_1m = std::move(price);
  b.capacity_m_tokens_per_month = capacity;
  if (b.volume_m_tokens_per_month.available() && capacity.available())
    b.within_capacity = *b.volume_m_tokens_per_month.value <= *capacity.value;
  return b;
}

// Developers served at the SLO: the largest team size holding the SLO in measured capacity
// results, else the largest concurrency holding the SLO over the activity fraction.
void developers(const model::Report& report, ConfigEconomics& ce) {
  const char* fm = "N_max: the largest team size whose capacity run held the SLO";
  const char* fe = "C_slo / f";
  for (const model::CapacityResult& c : report.capacity) {
    if (c.slo_held.value_or(false) && c.team_size > 0) ce.team_size_max = std::max(ce.team_size_max.value_or(0), c.team_size);
  }
  if (ce.team_size_max) {
    ce.developers_measured = true;
    ce.developers = figure("developers", "developers", fm,
                           {{"N_max", static_cast<double>(*ce.team_size_max), "developers", "measured capacity results"}},
                           static_cast<double>(*ce.team_size_max));
    return;
  }
  const std::string measured = report.capacity.empty() ? "" : "no measured team size holds the SLO; ";
  if (!ce.slo_point) {
    ce.developers = unavailable("developers", "developers", fe, measured + ce.slo_reason);
    return;
  }
  const model::Point& p = report.points[*ce.slo_point];
  // Closed loop: the concurrency itself. Open loop: the mean number in flight, by Little's law
  // (arrival rate x mean time in the system).
  std::optional<double> in_flight;
  std::string in_flight_source;
  if (p.concurrency) {
    in_flight = static_cast<double>(*p.concurrency);
    in_flight_source = "largest concurrency holding the SLO (" + ce.slo_rule + ")";
  } else if (p.request_rate_rps && !p.request_rate_inf && p.e2el_ms.mean && *p.e2el_ms.mean > 0) {
    const double rate = p.request_throughput_rps.value_or(*p.request_rate_rps);
    in_flight = rate * *p.e2el_ms.mean / 1000;
    in_flight_source = "mean requests in flight at the largest rate holding the SLO, by Little's law: " +
                       format::shortest(rate) + " req/s x mean E2E latency " + format::human(*p.e2el_ms.mean) + " ms";
  }
  if (!in_flight) {
    ce.developers = unavailable("developers", "developers", fe,
                                measured + "the SLO load level states no concurrency, and no request rate with a mean E2E "
                                           "latency to derive one from (run a concurrency sweep or a capacity run)");
    return;
  }
  const auto& activity = ce.assumptions.developer_activity;
  if (!activity || !(activity->fraction > 0 && activity->fraction <= 1)) {
    ce.developers = unavailable("developers", "developers", fe,
                                measured + "the catalog sets no developer activity fraction (assumptions.developer_activity)");
    return;
  }
  const double f = activity->fraction;
  const Sourced& src = activity->sourced;
  ce.developers = figure("developers", "developers (estimated from concurrency)", fe,
                         {{"C_slo", *in_flight, "concurrent requests", in_flight_source},
                          {"f", f, "", "assumption: fraction of a working hour a developer has a request in flight (" +
                                            src.source + (src.as_of.empty() ? "" : ", " + src.as_of) + ")"}},
                         *in_flight / f);
}

void dev_month(const PointEconomics& ref, ConfigEconomics& ce) {
  const char* f = "usd_per_hour * 730 / developers";
  const auto make = [&](const Figure& per_hour) {
    if (!ce.developers.available()) return unavailable("usd_per_dev_month", "USD/developer-month", f, ce.developers.reason);
    if (!per_hour.available()) return unavailable("usd_per_dev_month", "USD/developer-month", f, per_hour.reason);
    const double n = *ce.developers.value;
    return figure("usd_per_dev_month", ce.developers_measured ? "USD/developer-month" : "USD/developer-month (estimated from concurrency)", f,
                  {{"usd_per_hour", *per_hour.value, "USD/h", per_hour.formula},
                   {"developers", n, "developers", ce.developers_measured ? "measured capacity results" : ce.developers.formula + " (estimated from concurrency)"}},
                  *per_hour.value * k_hours_per_month / n);
  };
  ce.usd_per_dev_month = make(ref.owned.usd_per_hour);
  for (const RentalCost& r : ref.rentals) ce.rent_usd_per_dev_month.push_back(make(r.usd_per_hour));
}

}  // namespace

const char* to_string(SloState state) {
  switch (state) {
    case SloState::held: return "held";
    case SloState::failed: return "failed";
    case SloState::unknown: break;
  }
  return "unknown";
}

ConfigEconomics report_economics(const model::Report& report, const Catalog& catalog, const Assumptions& assumptions) {
  ConfigEconomics ce;
  ce.assumptions = assumptions;
  ce.match = match_gpu(catalog, report.system.gpu.model);
  const Hardware* hw = ce.match.hardware;
  ce.gpus = report.system.gpu.count.value_or(hw ? hw->gpus_per_unit : 1);
  // Some producers give no request counts; only an explicit zero everywhere means nothing succeeded.
  const bool any_success = std::any_of(report.points.begin(), report.points.end(),
                                       [](const model::Point& p) { return !p.completed || *p.completed > 0; });
  for (std::size_t i = 0; i < report.points.size(); ++i) {
    const model::Point& p = report.points[i];
    OperatingInput in;
    in.label = point_label(p, i);
    in.gpus = ce.gpus;
    in.measured_power_w = p.telemetry.avg_power_w;
    if (p.completed.value_or(0) > 0 || !p.completed) in.throughput = point_throughput(p);
    std::string no_match = ce.match.reason;
    if (!any_success) no_match = "the report has no successful request";
    PointEconomics pe = point_economics(in, any_success ? hw : nullptr, assumptions, no_match);
    pe.point_index = i;
    if (p.completed && *p.completed == 0 && hw && any_success) {
      pe.owned.usd_per_1m_tokens = unavailable("usd_per_1m_tokens", "USD/1M tokens", pe.owned.usd_per_1m_tokens.formula,
                                               "no successful request at this load level");
    }
    ce.points.push_back(std::move(pe));
  }
  find_slo_point(report, ce);

  const char* fc = "T_slo * 3600 * 730 / 1e6";
  Figure capacity = unavailable("capacity", "M tokens/month", fc, ce.slo_reason);
  const PointEconomics* ref = nullptr;
  if (ce.slo_point) {
    ref = &ce.points[*ce.slo_point];
    ce.usd_per_1m_at_slo = ref->owned.usd_per_1m_tokens;
    ce.usd_per_1m_output_at_slo = ref->owned.usd_per_1m_output_tokens;
    if (ref->throughput.total)
      capacity = figure("capacity", "M tokens/month", fc,
                        {{"T_slo", *ref->throughput.total, "tokens/s", "at " + ref->label}},
                        *ref->throughput.total * 3600 * k_hours_per_month / 1e6);
    else capacity = unavailable("capacity", "M tokens/month", fc, "no total throughput at the SLO point");
  } else {
    ce.usd_per_1m_at_slo = unavailable("usd_per_1m_tokens", "USD/1M tokens", "", ce.slo_reason);
    ce.usd_per_1m_output_at_slo = unavailable("usd_per_1m_output_tokens", "USD/1M output tokens", "", ce.slo_reason);
    // Break-even still needs c_e from some point: use the highest throughput measured.
    for (const PointEconomics& pe : ce.points) {
      if (pe.throughput.total && (!ref || *pe.throughput.total > *ref->throughput.total)) ref = &pe;
    }
  }
  if (!ref) {
    static const PointEconomics k_none = point_economics({}, nullptr, assumptions,
                                                         "no load level with a measured total throughput");
    ref = &k_none;
  }
  developers(report, ce);
  dev_month(*ref, ce);
  const double wi = assumptions.api_blend_input, wo = assumptions.api_blend_output;
  for (const ApiMatch& match : api_models_for(catalog, report.system.model.id, report.system.model.quantization)) {
    const ApiModel& api = *match.api;
    const std::string blend = format::shortest(wi) + ":" + format::shortest(wo);
    Figure price = figure("p_blend", "USD/1M tokens", "(" + blend + " blend) (w_in * p_in + w_out * p_out) / (w_in + w_out)",
                          {{"p_in", api.usd_per_1m_input, "USD/1M", cite(api.id, api.sourced)},
                           {"p_out", api.usd_per_1m_output, "USD/1M", cite(api.id, api.sourced)},
                           {"w_in", wi, "", "assumption"}, {"w_out", wo, "", "assumption"}},
                          (wi * api.usd_per_1m_input + wo * api.usd_per_1m_output) / (wi + wo));
    ce.api_break_even.push_back(break_even(api.name + " (" + api.provider + ")", api.sourced, std::move(price), ref->owned, capacity));
    ce.api_break_even.back().same_model = match.same_model;
    ce.api_break_even.back().note = match.note;
  }
  for (const RentalCost& r : ref->rentals) {
    Figure price = unavailable("p_rent", "USD/1M tokens", "usd_per_hour * 1e6 / (3600 * T)", "no throughput");
    if (r.usd_per_hour.available() && ref->throughput.total && *ref->throughput.total > 0)
      price = figure("p_rent", "USD/1M tokens", "usd_per_hour * 1e6 / (3600 * T)  (rented only while busy)",
                     {{"usd_per_hour", *r.usd_per_hour.value, "USD/h", cite(hw ? hw->id : "", r.sourced)},
                      {"T", *ref->throughput.total, "tokens/s", ref->label}},
                     *r.usd_per_hour.value * 1e6 / (3600 * *ref->throughput.total));
    const std::string what = "rent " + r.provider + (r.offer.empty() ? "" : " " + r.offer);
    ce.rent_break_even.push_back(break_even(what, r.sourced, std::move(price), ref->owned, capacity));
  }
  return ce;
}

}  // namespace sitegen::econ
