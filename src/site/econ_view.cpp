#include "site/econ_view.hpp"

#include "site/figures.hpp"
#include "util/format.hpp"

namespace sitegen::site {

namespace {

bool is_money(const std::string& unit) { return unit.rfind("USD", 0) == 0; }

std::string value_text(double value, const std::string& unit) {
  if (is_money(unit)) return "$" + format::human(value);
  return format::human(value);
}

View inputs_view(const std::vector<econ::Input>& inputs) {
  View out = View::list();
  for (const econ::Input& in : inputs) {
    out.push(View()
                 .set("name", in.name)
                 .set("value", format::shortest(in.value))
                 .set("unit", in.unit)
                 .set("source", in.source));
  }
  return out;
}

View sourced_view(const econ::Sourced& s) { return View().set("source", s.source).set("as_of", s.as_of); }

}  // namespace

std::string figure_text(const econ::Figure& figure) {
  if (!figure.value) return "unavailable";
  return value_text(*figure.value, figure.unit);
}

View figure_view(const econ::Figure& figure, const std::string& label) {
  return View()
      .set("name", figure.name)
      .set("label", label)
      .set("text", figure_text(figure))
      .set("unit", figure.unit)
      .flag("available", figure.available())
      .set("reason", figure.reason)
      .set("formula", figure.formula)
      .set("inputs", inputs_view(figure.inputs));  // and has_inputs
}

const econ::Figure* cheapest_rental_at_slo(const econ::ConfigEconomics& e) {
  if (!e.slo_point || *e.slo_point >= e.points.size()) return nullptr;
  const econ::Figure* best = nullptr;
  for (const econ::RentalCost& r : e.points[*e.slo_point].rentals) {
    if (r.usd_per_1m_tokens.value && (!best || *r.usd_per_1m_tokens.value < *best->value)) best = &r.usd_per_1m_tokens;
  }
  return best;
}

View economics_view(const econ::ConfigEconomics& e, const model::Report& report) {
  View v;
  v.set("match", e.match.describe());
  v.flag("matched", e.match.hardware != nullptr);
  v.set("gpus", std::to_string(e.gpus));
  v.set("utilization", format::shortest(e.assumptions.utilization));
  v.set("output_cost_ratio", format::shortest(e.assumptions.output_cost_ratio));
  v.set("api_blend", format::shortest(e.assumptions.api_blend_input) + ":" + format::shortest(e.assumptions.api_blend_output));
  v.set("slo_rule", e.slo_rule);
  v.set("slo_reason", e.slo_reason);
  if (e.slo_point && *e.slo_point < report.points.size()) v.set("slo_load", load_label(report.points[*e.slo_point]));
  View headline = View::list();
  v.set("slo_state", econ::to_string(e.slo_state));
  v.set("slo_substitution", e.slo_substitution);
  headline.push(figure_view(e.usd_per_1m_at_slo, "Owned: $ per 1M tokens (input + output) at the SLO load"));
  headline.push(figure_view(e.usd_per_1m_output_at_slo, "Owned: $ per 1M output tokens at the SLO load (all cost on output tokens)"));
  if (e.slo_point && *e.slo_point < e.points.size()) {
    const econ::PointEconomics& pe = e.points[*e.slo_point];
    headline.push(figure_view(pe.owned.usd_per_hour, "Owned: $ per hour"));
    headline.push(figure_view(pe.owned.fixed_per_h, "Owned: fixed cost per hour"));
    for (const econ::RentalCost& r : pe.rentals) {
      headline.push(figure_view(r.usd_per_1m_tokens, "Rented (" + r.provider + " " + r.offer + "): $ per 1M tokens"));
    }
    headline.push(figure_view(pe.usd_per_1m_input, "Owned: $ per 1M input tokens (split by R)"));
    headline.push(figure_view(pe.usd_per_1m_output, "Owned: $ per 1M output tokens (split by R)"));
    const std::string power = pe.power_measured ? " (measured power)" : " (catalog power)";
    headline.push(figure_view(pe.joules_per_token, "Energy: J per token, input + output" + power));
    headline.push(figure_view(pe.joules_per_output_token, "Energy: J per output token" + power));
  }
  headline.push(figure_view(e.developers, e.developers_measured ? "Developers served at the SLO (measured capacity)"
                                                                : "Developers served at the SLO (estimated from concurrency)"));
  headline.push(figure_view(e.usd_per_dev_month, "Owned: $ per developer-month"));
  for (std::size_t i = 0; i < e.rent_usd_per_dev_month.size(); ++i) {
    headline.push(figure_view(e.rent_usd_per_dev_month[i], "Rented: $ per developer-month"));
  }
  v.set("figures", std::move(headline));

  View points = View::list();
  for (std::size_t i = 0; i < e.points.size(); ++i) {
    const econ::PointEconomics& pe = e.points[i];
    View rentals = View::list();
    for (const econ::RentalCost& r : pe.rentals)
      rentals.push(View().set("text", figure_text(r.usd_per_1m_tokens)).set("reason", r.usd_per_1m_tokens.reason));
    const econ::SloVerdict verdict = i < e.slo_verdicts.size() ? e.slo_verdicts[i] : econ::SloVerdict{};
    points.push(View()
                    .set("load", i < report.points.size() ? load_label(report.points[i]) : pe.label)
                    .set("slo", econ::to_string(verdict.state))
                    .set("slo_text", verdict.text)
                    .set("usd_per_hour", figure_text(pe.owned.usd_per_hour))
                    .set("usd_per_hour_reason", pe.owned.usd_per_hour.reason)
                    .set("usd_per_1m", figure_text(pe.owned.usd_per_1m_tokens))
                    .set("usd_per_1m_reason", pe.owned.usd_per_1m_tokens.reason)
                    .set("usd_per_1m_output", figure_text(pe.owned.usd_per_1m_output_tokens))
                    .set("usd_per_1m_output_reason", pe.owned.usd_per_1m_output_tokens.reason)
                    .set("joules_per_token", figure_text(pe.joules_per_token))
                    .set("joules_per_token_reason", pe.joules_per_token.reason)
                    .set("power", pe.power_measured ? "measured" : "catalog")
                    .flag("is_slo", e.slo_point && *e.slo_point == i)
                    .set("rentals", std::move(rentals)));
  }
  v.set("points", std::move(points));
  View rental_names = View::list();
  if (!e.points.empty()) {
    for (const econ::RentalCost& r : e.points.front().rentals) {
      rental_names.push(View()
                            .set("name", r.provider + " " + r.offer)
                            .set("source", r.sourced.source)
                            .set("as_of", r.sourced.as_of));
    }
  }
  v.set("rental_names", std::move(rental_names));

  auto break_even = [](const std::vector<econ::BreakEven>& list) {
    View out = View::list();
    for (const econ::BreakEven& b : list) {
      out.push(View()
                   .set("against", b.against)
                   .set("note", b.note)
                   .flag("different_model", !b.same_model)
                   .set("sourced", sourced_view(b.sourced))
                   .set("price", figure_view(b.price_per_1m, "price per 1M tokens"))
                   .set("volume", figure_view(b.volume_m_tokens_per_month, "break-even volume (M tokens/month)"))
                   .set("capacity", figure_text(b.capacity_m_tokens_per_month))
                   .set("within", b.within_capacity ? (*b.within_capacity ? "yes" : "no: more than it can serve")
                                                    : "unknown"));
    }
    return out;
  };
  v.set("api_break_even", break_even(e.api_break_even));
  v.set("rent_break_even", break_even(e.rent_break_even));
  return v;
}

}  // namespace sitegen::site
