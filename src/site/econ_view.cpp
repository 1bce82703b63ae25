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

Json inputs_view(const std::vector<econ::Input>& inputs) {
  Json out = Json::array();
  for (const econ::Input& in : inputs) {
    out.push_back({{"name", in.name}, {"value", format::shortest(in.value)}, {"unit", in.unit}, {"source", in.source}});
  }
  return out;
}

Json sourced_view(const econ::Sourced& s) { return {{"source", s.source}, {"as_of", s.as_of}}; }

}  // namespace

std::string figure_text(const econ::Figure& figure) {
  if (!figure.value) return "unavailable";
  return value_text(*figure.value, figure.unit);
}

Json figure_view(const econ::Figure& figure, const std::string& label) {
  Json v = {{"name", figure.name},     {"label", label},
            {"text", figure_text(figure)}, {"unit", figure.unit},
            {"available", figure.available()}, {"reason", figure.reason},
            {"formula", figure.formula}, {"inputs", inputs_view(figure.inputs)}};
  v["has_inputs"] = !figure.inputs.empty();
  return v;
}

const econ::Figure* cheapest_rental_at_slo(const econ::ConfigEconomics& e) {
  if (!e.slo_point || *e.slo_point >= e.points.size()) return nullptr;
  const econ::Figure* best = nullptr;
  for (const econ::RentalCost& r : e.points[*e.slo_point].rentals) {
    if (r.usd_per_1m_tokens.value && (!best || *r.usd_per_1m_tokens.value < *best->value)) best = &r.usd_per_1m_tokens;
  }
  return best;
}

Json economics_view(const econ::ConfigEconomics& e, const model::Report& report) {
  Json v;
  v["match"] = e.match.describe();
  v["matched"] = e.match.hardware != nullptr;
  v["gpus"] = e.gpus;
  v["utilization"] = format::shortest(e.assumptions.utilization);
  v["output_cost_ratio"] = format::shortest(e.assumptions.output_cost_ratio);
  v["api_blend"] = format::shortest(e.assumptions.api_blend_input) + ":" + format::shortest(e.assumptions.api_blend_output);
  v["slo_rule"] = e.slo_rule;
  v["slo_reason"] = e.slo_reason;
  if (e.slo_point && *e.slo_point < report.points.size()) v["slo_load"] = load_label(report.points[*e.slo_point]);
  Json headline = Json::array();
  headline.push_back(figure_view(e.usd_per_1m_at_slo, "Owned: $ per 1M tokens at the SLO load"));
  if (e.slo_point && *e.slo_point < e.points.size()) {
    const econ::PointEconomics& pe = e.points[*e.slo_point];
    headline.push_back(figure_view(pe.owned.usd_per_hour, "Owned: $ per hour"));
    headline.push_back(figure_view(pe.owned.fixed_per_h, "Owned: fixed cost per hour"));
    for (const econ::RentalCost& r : pe.rentals) {
      headline.push_back(figure_view(r.usd_per_1m_tokens, "Rented (" + r.provider + " " + r.offer + "): $ per 1M tokens"));
    }
    headline.push_back(figure_view(pe.usd_per_1m_input, "Owned: $ per 1M input tokens (split by R)"));
    headline.push_back(figure_view(pe.usd_per_1m_output, "Owned: $ per 1M output tokens (split by R)"));
    headline.push_back(figure_view(pe.joules_per_token, pe.power_measured ? "Energy per token (measured power)"
                                                                            : "Energy per token (catalog power)"));
  }
  headline.push_back(figure_view(e.usd_per_dev_month, "Owned: $ per developer-month"));
  for (std::size_t i = 0; i < e.rent_usd_per_dev_month.size(); ++i) {
    headline.push_back(figure_view(e.rent_usd_per_dev_month[i], "Rented: $ per developer-month"));
  }
  v["figures"] = headline;

  Json points = Json::array();
  for (std::size_t i = 0; i < e.points.size(); ++i) {
    const econ::PointEconomics& pe = e.points[i];
    Json row = {{"load", i < report.points.size() ? load_label(report.points[i]) : pe.label},
                {"usd_per_hour", figure_text(pe.owned.usd_per_hour)},
                {"usd_per_1m", figure_text(pe.owned.usd_per_1m_tokens)},
                {"joules_per_token", figure_text(pe.joules_per_token)},
                {"power", pe.power_measured ? "measured" : "catalog"},
                {"is_slo", e.slo_point && *e.slo_point == i}};
    Json rentals = Json::array();
    for (const econ::RentalCost& r : pe.rentals) rentals.push_back({{"text", figure_text(r.usd_per_1m_tokens)}});
    row["rentals"] = rentals;
    points.push_back(row);
  }
  v["points"] = points;
  Json rental_names = Json::array();
  if (!e.points.empty()) {
    for (const econ::RentalCost& r : e.points.front().rentals) {
      rental_names.push_back({{"name", r.provider + " " + r.offer}, {"source", r.sourced.source}, {"as_of", r.sourced.as_of}});
    }
  }
  v["rental_names"] = rental_names;

  auto break_even = [](const std::vector<econ::BreakEven>& list) {
    Json out = Json::array();
    for (const econ::BreakEven& b : list) {
      out.push_back({{"against", b.against},
                     {"sourced", sourced_view(b.sourced)},
                     {"price", figure_view(b.price_per_1m, "price per 1M tokens")},
                     {"volume", figure_view(b.volume_m_tokens_per_month, "break-even volume (M tokens/month)")},
                     {"capacity", figure_text(b.capacity_m_tokens_per_month)},
                     {"within", b.within_capacity ? (*b.within_capacity ? "yes" : "no: more than it can serve") : "unknown"}});
    }
    return out;
  };
  v["api_break_even"] = break_even(e.api_break_even);
  v["rent_break_even"] = break_even(e.rent_break_even);
  return v;
}

}  // namespace sitegen::site
