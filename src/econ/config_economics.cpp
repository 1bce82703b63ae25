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

// Finds the largest load level whose TTFT and TPOT both hold the SLO (at the chosen percentile);
// without thresholds, the producer's own slo_held verdicts are used.
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
    return;
  }
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < report.points.size(); ++i) {
    const model::Point& p = report.points[i];
    if (p.completed && *p.completed <= 0) continue;  // unknown counts: judged by its latencies
    bool held = true;
    if (parts.empty()) {
      held = p.slo_held.value_or(false);
    } else {
      const auto t = p.ttft_ms.percentile(a.slo_percentile);
      const auto d = p.tpot_ms.percentile(a.slo_percentile);
      if (ttft) held = held && t && *t <= *ttft;
      if (tpot) held = held && d && *d <= *tpot;
    }
    if (held && (!best || load_of(p) > load_of(report.points[*best]))) best = i;
  }
  ce.slo_point = best;
  if (!best) ce.slo_reason = "no load level with successful requests holds the SLO (" + ce.slo_rule + ")";
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

void dev_month(const model::Report& report, const PointEconomics& ref, ConfigEconomics& ce) {
  const char* f = "usd_per_hour * 730 / N_max";
  for (const model::CapacityResult& c : report.capacity) {
    if (c.slo_held.value_or(false) && c.team_size > 0) ce.team_size_max = std::max(ce.team_size_max.value_or(0), c.team_size);
  }
  const auto make = [&](const Figure& per_hour) {
    if (report.capacity.empty()) return unavailable("usd_per_dev_month", "USD/developer-month", f, "the report has no capacity (team size) results");
    if (!ce.team_size_max) return unavailable("usd_per_dev_month", "USD/developer-month", f, "no team size holds the SLO");
    if (!per_hour.available()) return unavailable("usd_per_dev_month", "USD/developer-month", f, per_hour.reason);
    const double n = static_cast<double>(*ce.team_size_max);
    return figure("usd_per_dev_month", "USD/developer-month", f,
                  {{"usd_per_hour", *per_hour.value, "USD/h", per_hour.formula}, {"N_max", n, "developers", "capacity results"}},
                  *per_hour.value * k_hours_per_month / n);
  };
  ce.usd_per_dev_month = make(ref.owned.usd_per_hour);
  for (const RentalCost& r : ref.rentals) ce.rent_usd_per_dev_month.push_back(make(r.usd_per_hour));
}

}  // namespace

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
    if (ref->throughput.total)
      capacity = figure("capacity", "M tokens/month", fc,
                        {{"T_slo", *ref->throughput.total, "tokens/s", "at " + ref->label}},
                        *ref->throughput.total * 3600 * k_hours_per_month / 1e6);
    else capacity = unavailable("capacity", "M tokens/month", fc, "no total throughput at the SLO point");
  } else {
    ce.usd_per_1m_at_slo = unavailable("usd_per_1m_tokens", "USD/1M tokens", "", ce.slo_reason);
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
  dev_month(report, *ref, ce);
  const double wi = assumptions.api_blend_input, wo = assumptions.api_blend_output;
  for (const ApiModel& api : catalog.api_models) {
    const std::string blend = format::shortest(wi) + ":" + format::shortest(wo);
    Figure price = figure("p_blend", "USD/1M tokens", "(" + blend + " blend) (w_in * p_in + w_out * p_out) / (w_in + w_out)",
                          {{"p_in", api.usd_per_1m_input, "USD/1M", cite(api.id, api.sourced)},
                           {"p_out", api.usd_per_1m_output, "USD/1M", cite(api.id, api.sourced)},
                           {"w_in", wi, "", "assumption"}, {"w_out", wo, "", "assumption"}},
                          (wi * api.usd_per_1m_input + wo * api.usd_per_1m_output) / (wi + wo));
    ce.api_break_even.push_back(break_even(api.name + " (" + api.provider + ")", api.sourced, std::move(price), ref->owned, capacity));
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
