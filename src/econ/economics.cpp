#include "econ/economics.hpp"

#include <cmath>

#include "econ/figure.hpp"

namespace sitegen::econ {

namespace {

constexpr double k_hours_per_year = 8760;
constexpr double k_hours_per_month = 730;

// Everything owned-hardware formulas need, resolved from catalog, measurement and assumptions.
struct Resolved {
  const Hardware* hw = nullptr;
  double units = 1;       // gpus / gpus_per_unit
  double u = 1;
  std::optional<double> p_busy, p_idle;
  std::string busy_source, idle_source;
};

Figure owned_capex(const Resolved& r) {
  const char* f = "(price_usd - salvage_usd) / (life_years * 8760)";
  const Ownership& own = r.hw->own;
  if (!own.price_usd)
    return unavailable("capex_per_h", "USD/h", f,
                       "catalog entry " + r.hw->id + ": " + no_purchase_price_reason(*r.hw) + "; pass --set price_usd=...");
  const std::string src = cite(r.hw->id, own.sourced);
  const double price = *own.price_usd * r.units, salvage = own.salvage_usd * r.units;
  return figure("capex_per_h", "USD/h", f,
                {{"price_usd", price, "USD", src}, {"salvage_usd", salvage, "USD", src},
                 {"life_years", own.life_years, "years", src}},
                (price - salvage) / (own.life_years * k_hours_per_year));
}

Figure owned_host(const Resolved& r) {
  const char* f = "colo_usd_per_kw_month * kw_provisioned / 730";
  const Ownership& own = r.hw->own;
  const std::string src = cite(r.hw->id, own.sourced);
  double kw = 0;
  std::string kw_source = src;
  if (own.kw_provisioned) {
    kw = *own.kw_provisioned * r.units;
  } else if (own.colo_usd_per_kw_month > 0) {
    if (!r.hw->power.busy_w) return unavailable("host_per_h", "USD/h", f, "no kw_provisioned and no busy_w for " + r.hw->id);
    kw = *r.hw->power.busy_w * r.units * own.pue / 1000;
    kw_source = "busy_w * PUE / 1000 (" + cite(r.hw->id, r.hw->power.sourced) + ")";
  }
  return figure("host_per_h", "USD/h", f,
                {{"colo_usd_per_kw_month", own.colo_usd_per_kw_month, "USD/kW-month", src},
                 {"kw_provisioned", kw, "kW", kw_source}},
                own.colo_usd_per_kw_month * kw / k_hours_per_month);
}

Figure owned_maint(const Resolved& r) {
  const char* f = "maint_fraction_per_year * price_usd / 8760";
  const Ownership& own = r.hw->own;
  const std::string src = cite(r.hw->id, own.sourced);
  if (own.maint_fraction_per_year == 0) {
    return figure("maint_per_h", "USD/h", f, {{"maint_fraction_per_year", 0, "1/year", src}}, 0);
  }
  if (!own.price_usd) return unavailable("maint_per_h", "USD/h", f, "no purchase price to take a maintenance fraction of");
  return figure("maint_per_h", "USD/h", f,
                {{"maint_fraction_per_year", own.maint_fraction_per_year, "1/year", src},
                 {"price_usd", *own.price_usd * r.units, "USD", src}},
                own.maint_fraction_per_year * *own.price_usd * r.units / k_hours_per_year);
}

Figure owned_idle_energy(const Resolved& r) {
  const char* f = "P_idle / 1000 * PUE * usd_per_kwh";
  if (!r.p_idle) return unavailable("idle_energy_per_h", "USD/h", f, "catalog entry " + r.hw->id + " has no idle_w");
  const std::string src = cite(r.hw->id, r.hw->own.sourced);
  return figure("idle_energy_per_h", "USD/h", f,
                {{"P_idle", *r.p_idle, "W", r.idle_source}, {"PUE", r.hw->own.pue, "", src},
                 {"usd_per_kwh", r.hw->own.usd_per_kwh, "USD/kWh", src}},
                *r.p_idle / 1000 * r.hw->own.pue * r.hw->own.usd_per_kwh);
}

Figure sum_figure(std::string name, const char* formula, const std::vector<const Figure*>& parts) {
  double total = 0;
  std::vector<Input> inputs;
  for (const Figure* p : parts) {
    if (!p->available()) return unavailable(std::move(name), "USD/h", formula, p->name + " unavailable: " + p->reason);
    total += *p->value;
    inputs.push_back({p->name, *p->value, p->unit, p->formula});
  }
  return figure(std::move(name), "USD/h", formula, std::move(inputs), total);
}

OwnedCost owned_total(const Resolved& r, const Throughput& t);

// Every cost of owning charged to output tokens, from output throughput alone.
Figure owned_output_only(const Resolved& r, const OwnedCost& c, const Throughput& t) {
  const char* f = "fixed_per_h * 1e6 / (3600 * T_out * u) + max(0, P_busy - P_idle) / T_out * (1e6 / 3.6e6) * PUE * usd_per_kwh";
  const char* unit = "USD/1M output tokens";
  if (!c.fixed_per_h.available()) return unavailable("usd_per_1m_output_tokens", unit, f, c.fixed_per_h.reason);
  if (!r.p_busy || !r.p_idle) return unavailable("usd_per_1m_output_tokens", unit, f, "no power figure (busy_w/idle_w) for " + r.hw->id);
  if (!t.output || !(*t.output > 0))
    return unavailable("usd_per_1m_output_tokens", unit, f, "the point has no output throughput");
  if (!(r.u > 0 && r.u <= 1)) return unavailable("usd_per_1m_output_tokens", unit, f, "utilization must be in (0, 1]");
  const Ownership& own = r.hw->own;
  const std::string src = cite(r.hw->id, own.sourced);
  const double T = *t.output, delta_w = std::max(0.0, *r.p_busy - *r.p_idle);
  return figure("usd_per_1m_output_tokens", unit, f,
                {{"fixed_per_h", *c.fixed_per_h.value, "USD/h", c.fixed_per_h.formula},
                 {"T_out", T, "output tokens/s", "measured output throughput"},
                 {"u", r.u, "", "assumption (duty cycle)"},
                 {"P_busy", *r.p_busy, "W", r.busy_source}, {"P_idle", *r.p_idle, "W", r.idle_source},
                 {"PUE", own.pue, "", src}, {"usd_per_kwh", own.usd_per_kwh, "USD/kWh", src}},
                *c.fixed_per_h.value * 1e6 / (3600 * T * r.u) + delta_w / T * (1e6 / 3.6e6) * own.pue * own.usd_per_kwh);
}

OwnedCost owned_cost(const Resolved& r, const Throughput& t) {
  OwnedCost c = owned_total(r, t);
  c.usd_per_1m_output_tokens = owned_output_only(r, c, t);
  return c;
}

OwnedCost owned_total(const Resolved& r, const Throughput& t) {
  OwnedCost c;
  c.capex_per_h = owned_capex(r);
  c.host_per_h = owned_host(r);
  c.maint_per_h = owned_maint(r);
  c.idle_energy_per_h = owned_idle_energy(r);
  c.fixed_per_h = sum_figure("fixed_per_h", "capex_per_h + host_per_h + maint_per_h + idle_energy",
                             {&c.capex_per_h, &c.host_per_h, &c.maint_per_h, &c.idle_energy_per_h});
  const Ownership& own = r.hw->own;
  const std::string src = cite(r.hw->id, own.sourced);
  const char* fe = "max(0, P_busy - P_idle) / T * (1e6 / 3.6e6) * PUE * usd_per_kwh";
  const char* fh = "fixed_per_h + u * max(0, P_busy - P_idle) / 1000 * PUE * usd_per_kwh";
  const char* f1m = "fixed_per_h * 1e6 / (3600 * T * u) + marginal_energy_per_1m";
  if (!r.p_busy || !r.p_idle) {
    const std::string why = "no power figure (busy_w/idle_w) for " + r.hw->id;
    c.marginal_energy_per_1m = unavailable("marginal_energy_per_1m", "USD/1M tokens", fe, why);
    c.usd_per_hour = unavailable("usd_per_hour", "USD/h", fh, why);
    c.usd_per_1m_tokens = unavailable("usd_per_1m_tokens", "USD/1M tokens", f1m, why);
    return c;
  }
  const double delta_w = std::max(0.0, *r.p_busy - *r.p_idle);
  const std::vector<Input> power = {{"P_busy", *r.p_busy, "W", r.busy_source}, {"P_idle", *r.p_idle, "W", r.idle_source},
                                    {"PUE", own.pue, "", src}, {"usd_per_kwh", own.usd_per_kwh, "USD/kWh", src}};
  if (c.fixed_per_h.available()) {
    std::vector<Input> in = {{"fixed_per_h", *c.fixed_per_h.value, "USD/h", c.fixed_per_h.formula}, {"u", r.u, "", "assumption"}};
    in.insert(in.end(), power.begin(), power.end());
    c.usd_per_hour = figure("usd_per_hour", "USD/h", fh, in,
                            *c.fixed_per_h.value + r.u * delta_w / 1000 * own.pue * own.usd_per_kwh);
  } else {
    c.usd_per_hour = unavailable("usd_per_hour", "USD/h", fh, c.fixed_per_h.reason);
  }
  if (!t.total || !(*t.total > 0)) {
    const std::string why = t.total ? "measured throughput is 0 tokens/s" : "the point has no total throughput (input + output tokens/s)";
    c.marginal_energy_per_1m = unavailable("marginal_energy_per_1m", "USD/1M tokens", fe, why);
    c.usd_per_1m_tokens = unavailable("usd_per_1m_tokens", "USD/1M tokens", f1m, why);
    return c;
  }
  if (!(r.u > 0 && r.u <= 1)) {
    const std::string why = "utilization must be in (0, 1], got " + std::to_string(r.u);
    c.marginal_energy_per_1m = unavailable("marginal_energy_per_1m", "USD/1M tokens", fe, why);
    c.usd_per_1m_tokens = unavailable("usd_per_1m_tokens", "USD/1M tokens", f1m, why);
    return c;
  }
  const double T = *t.total;
  std::vector<Input> in = power;
  in.insert(in.begin(), {"T", T, "tokens/s", t.how});
  c.marginal_energy_per_1m = figure("marginal_energy_per_1m", "USD/1M tokens", fe, in,
                                    delta_w / T * (1e6 / 3.6e6) * own.pue * own.usd_per_kwh);
  if (!c.fixed_per_h.available()) {
    c.usd_per_1m_tokens = unavailable("usd_per_1m_tokens", "USD/1M tokens", f1m, c.fixed_per_h.reason);
    return c;
  }
  c.usd_per_1m_tokens = figure("usd_per_1m_tokens", "USD/1M tokens", f1m,
                               {{"fixed_per_h", *c.fixed_per_h.value, "USD/h", c.fixed_per_h.formula},
                                {"T", T, "tokens/s", t.how}, {"u", r.u, "", "assumption (duty cycle)"},
                                {"marginal_energy_per_1m", *c.marginal_energy_per_1m.value, "USD/1M tokens", fe}},
                               *c.fixed_per_h.value * 1e6 / (3600 * T * r.u) + *c.marginal_energy_per_1m.value);
  return c;
}

RentalCost rental_cost(const Hardware& hw, const Rental& rental, double gpus, double u, const Throughput& t) {
  RentalCost c;
  c.provider = rental.provider;
  c.offer = rental.offer;
  c.sourced = rental.sourced;
  const std::string src = cite(hw.id, rental.sourced);
  c.usd_per_hour = figure("usd_per_hour", "USD/h", "usd_per_gpu_hour * gpus",
                          {{"usd_per_gpu_hour", rental.usd_per_gpu_hour, "USD/GPU-h", src}, {"gpus", gpus, "", "report"}},
                          rental.usd_per_gpu_hour * gpus);
  const char* f = "usd_per_hour * 1e6 / (3600 * T * u)";
  if (!t.total || !(*t.total > 0)) {
    c.usd_per_1m_tokens = unavailable("usd_per_1m_tokens", "USD/1M tokens", f, "no total throughput at this point");
  } else if (!(u > 0 && u <= 1)) {
    c.usd_per_1m_tokens = unavailable("usd_per_1m_tokens", "USD/1M tokens", f, "utilization must be in (0, 1]");
  } else {
    c.usd_per_1m_tokens = figure("usd_per_1m_tokens", "USD/1M tokens", f,
                                 {{"usd_per_hour", *c.usd_per_hour.value, "USD/h", src},
                                  {"T", *t.total, "tokens/s", t.how}, {"u", u, "", "assumption (billed hours busy)"}},
                                 *c.usd_per_hour.value * 1e6 / (3600 * *t.total * u));
  }
  const char* fo = "usd_per_hour * 1e6 / (3600 * T_out * u)";
  if (!t.output || !(*t.output > 0)) {
    c.usd_per_1m_output_tokens = unavailable("usd_per_1m_output_tokens", "USD/1M output tokens", fo, "no output throughput at this point");
  } else if (!(u > 0 && u <= 1)) {
    c.usd_per_1m_output_tokens = unavailable("usd_per_1m_output_tokens", "USD/1M output tokens", fo, "utilization must be in (0, 1]");
  } else {
    c.usd_per_1m_output_tokens = figure("usd_per_1m_output_tokens", "USD/1M output tokens", fo,
                                        {{"usd_per_hour", *c.usd_per_hour.value, "USD/h", src},
                                         {"T_out", *t.output, "output tokens/s", "measured output throughput"},
                                         {"u", u, "", "assumption (billed hours busy)"}},
                                        *c.usd_per_hour.value * 1e6 / (3600 * *t.output * u));
  }
  return c;
}

void split_and_energy(PointEconomics& pe, const Resolved& r, double R) {
  const Throughput& t = pe.throughput;
  const char* fo = "usd_per_s * 1e6 / (T_in / R + T_out), usd_per_s = usd_per_1m_tokens * T / 1e6";
  const char* fi = "usd_per_1m_output / R";
  if (!pe.owned.usd_per_1m_tokens.available()) {
    pe.usd_per_1m_output = unavailable("usd_per_1m_output", "USD/1M output tokens", fo, pe.owned.usd_per_1m_tokens.reason);
    pe.usd_per_1m_input = unavailable("usd_per_1m_input", "USD/1M input tokens", fi, pe.owned.usd_per_1m_tokens.reason);
  } else if (!t.input || !t.output) {
    const std::string why = "the point does not give input and output throughput apart";
    pe.usd_per_1m_output = unavailable("usd_per_1m_output", "USD/1M output tokens", fo, why);
    pe.usd_per_1m_input = unavailable("usd_per_1m_input", "USD/1M input tokens", fi, why);
  } else {
    const double usd_per_s = *pe.owned.usd_per_1m_tokens.value * *t.total / 1e6;
    const double out = usd_per_s * 1e6 / (*t.input / R + *t.output);
    pe.usd_per_1m_output = figure("usd_per_1m_output", "USD/1M output tokens", fo,
                                  {{"usd_per_1m_tokens", *pe.owned.usd_per_1m_tokens.value, "USD/1M tokens", "owned"},
                                   {"T_in", *t.input, "tokens/s", "measured"}, {"T_out", *t.output, "tokens/s", "measured"},
                                   {"R", R, "", "assumption (output token costs R input tokens)"}},
                                  out);
    pe.usd_per_1m_input = figure("usd_per_1m_input", "USD/1M input tokens", fi,
                                 {{"usd_per_1m_output", out, "USD/1M output tokens", fo}, {"R", R, "", "assumption"}}, out / R);
  }
  const char* fj = "P_busy / T";
  const char* fk = "T / (P_busy / 1000)";
  const char* fjo = "P_busy / T_out";
  if (!r.p_busy) {
    pe.joules_per_output_token = unavailable("joules_per_output_token", "J/output token", fjo, "no measured or catalog power");
  } else if (!t.output || !(*t.output > 0)) {
    pe.joules_per_output_token = unavailable("joules_per_output_token", "J/output token", fjo, "no output throughput at this point");
  } else {
    pe.joules_per_output_token = figure("joules_per_output_token", "J/output token", fjo,
                                        {{"P_busy", *r.p_busy, "W", r.busy_source},
                                         {"T_out", *t.output, "output tokens/s", "measured output throughput"}},
                                        *r.p_busy / *t.output);
  }
  if (!r.p_busy) {
    pe.joules_per_token = unavailable("joules_per_token", "J/token", fj, "no measured or catalog power");
    pe.tokens_per_s_per_kw = unavailable("tokens_per_s_per_kw", "tokens/s/kW", fk, "no measured or catalog power");
  } else if (!t.total || !(*t.total > 0)) {
    pe.joules_per_token = unavailable("joules_per_token", "J/token", fj, "no total throughput at this point");
    pe.tokens_per_s_per_kw = unavailable("tokens_per_s_per_kw", "tokens/s/kW", fk, "no total throughput at this point");
  } else {
    const std::vector<Input> in = {{"P_busy", *r.p_busy, "W", r.busy_source}, {"T", *t.total, "tokens/s", t.how}};
    pe.joules_per_token = figure("joules_per_token", "J/token", fj, in, *r.p_busy / *t.total);
    pe.tokens_per_s_per_kw = figure("tokens_per_s_per_kw", "tokens/s/kW", fk, in, *t.total / (*r.p_busy / 1000));
  }
}

}  // namespace

Throughput point_throughput(const model::Point& p) {
  Throughput t;
  if (p.output_throughput_tps) t.output = p.output_throughput_tps;
  else if (p.output_tokens && p.duration_s && *p.duration_s > 0) t.output = *p.output_tokens / *p.duration_s;
  if (p.input_throughput_tps) t.input = p.input_throughput_tps;
  else if (p.input_tokens && p.duration_s && *p.duration_s > 0) t.input = *p.input_tokens / *p.duration_s;
  if (p.total_throughput_tps) {
    t.total = p.total_throughput_tps;
    t.how = "measured total_throughput_tps";
  } else if (t.input && t.output) {
    t.total = *t.input + *t.output;
    t.how = "measured input + output throughput";
  }
  return t;
}

PointEconomics point_economics(const OperatingInput& input, const Hardware* hw, const Assumptions& a,
                               const std::string& no_match) {
  PointEconomics pe;
  pe.label = input.label;
  pe.throughput = input.throughput;
  if (!hw) {
    const std::string why = no_match.empty() ? "no catalog hardware" : no_match;
    pe.owned.capex_per_h = pe.owned.host_per_h = pe.owned.maint_per_h = pe.owned.idle_energy_per_h =
        pe.owned.fixed_per_h = unavailable("fixed_per_h", "USD/h", "", why);
    pe.owned.usd_per_hour = unavailable("usd_per_hour", "USD/h", "", why);
    pe.owned.marginal_energy_per_1m = unavailable("marginal_energy_per_1m", "USD/1M tokens", "", why);
    pe.owned.usd_per_1m_tokens = unavailable("usd_per_1m_tokens", "USD/1M tokens", "", why);
    pe.usd_per_1m_input = unavailable("usd_per_1m_input", "USD/1M input tokens", "", why);
    pe.usd_per_1m_output = unavailable("usd_per_1m_output", "USD/1M output tokens", "", why);
    pe.joules_per_token = unavailable("joules_per_token", "J/token", "P_busy / T", why);
    pe.joules_per_output_token = unavailable("joules_per_output_token", "J/output token", "P_busy / T_out", why);
    pe.owned.usd_per_1m_output_tokens = unavailable("usd_per_1m_output_tokens", "USD/1M output tokens", "", why);
    pe.tokens_per_s_per_kw = unavailable("tokens_per_s_per_kw", "tokens/s/kW", "T / (P_busy / 1000)", why);
    return pe;
  }
  Resolved r;
  r.hw = hw;
  r.units = static_cast<double>(input.gpus) / static_cast<double>(std::max(1LL, hw->gpus_per_unit));
  r.u = a.utilization;
  if (hw->power.idle_w) {
    r.p_idle = *hw->power.idle_w * r.units;
    r.idle_source = cite(hw->id, hw->power.sourced);
  }
  if (input.measured_power_w && *input.measured_power_w > 0) {
    r.p_busy = input.measured_power_w;
    r.busy_source = "measured during the run (telemetry)";
    pe.power_measured = true;
  } else if (hw->power.busy_w) {
    r.p_busy = *hw->power.busy_w * r.units;
    r.busy_source = cite(hw->id, hw->power.sourced);
  }
  const Throughput& t = input.throughput;
  pe.owned = owned_cost(r, t);
  for (const Rental& rental : hw->rent) pe.rentals.push_back(rental_cost(*hw, rental, static_cast<double>(input.gpus), r.u, t));
  split_and_energy(pe, r, a.output_cost_ratio);
  return pe;
}

}  // namespace sitegen::econ
