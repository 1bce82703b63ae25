// JSON forms of the economics, for `sitegen cost --json`, the merged dataset and the site.

#include "econ/economics.hpp"

namespace sitegen::econ {

namespace {

using model::Json;

Json sourced_json(const Sourced& s) { return {{"source", s.source}, {"as_of", s.as_of}}; }

Json optional_number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json break_even_json(const BreakEven& b) {
  Json j = {{"against", b.against},
            {"price_sourced", sourced_json(b.sourced)},
            {"price_per_1m", to_json(b.price_per_1m)},
            {"volume_m_tokens_per_month", to_json(b.volume_m_tokens_per_month)},
            {"capacity_m_tokens_per_month", to_json(b.capacity_m_tokens_per_month)}};
  j["within_capacity"] = b.within_capacity ? Json(*b.within_capacity) : Json(nullptr);
  j["same_model"] = b.same_model;
  if (!b.note.empty()) j["note"] = b.note;
  return j;
}

}  // namespace

Json to_json(const Figure& f) {
  Json inputs = Json::array();
  for (const Input& in : f.inputs) {
    inputs.push_back({{"name", in.name}, {"value", in.value}, {"unit", in.unit}, {"source", in.source}});
  }
  Json j = {{"name", f.name}, {"value", optional_number(f.value)}, {"unit", f.unit}, {"formula", f.formula},
            {"inputs", std::move(inputs)}};
  if (!f.available()) j["unavailable"] = f.reason;
  return j;
}

Json to_json(const PointEconomics& p) {
  Json rentals = Json::array();
  for (const RentalCost& r : p.rentals) {
    rentals.push_back({{"provider", r.provider}, {"offer", r.offer}, {"sourced", sourced_json(r.sourced)},
                       {"usd_per_hour", to_json(r.usd_per_hour)}, {"usd_per_1m_tokens", to_json(r.usd_per_1m_tokens)},
                       {"usd_per_1m_output_tokens", to_json(r.usd_per_1m_output_tokens)}});
  }
  Json j = {{"label", p.label}};
  j["point_index"] = p.point_index ? Json(*p.point_index) : Json(nullptr);
  j["throughput"] = {{"total_tps", optional_number(p.throughput.total)},
                     {"input_tps", optional_number(p.throughput.input)},
                     {"output_tps", optional_number(p.throughput.output)},
                     {"how", p.throughput.how}};
  j["usd_per_hour"] = to_json(p.owned.usd_per_hour);
  j["usd_per_1m_tokens"] = to_json(p.owned.usd_per_1m_tokens);
  j["usd_per_1m_output_tokens"] = to_json(p.owned.usd_per_1m_output_tokens);
  j["owned"] = {{"capex_per_h", to_json(p.owned.capex_per_h)},
                {"host_per_h", to_json(p.owned.host_per_h)},
                {"maint_per_h", to_json(p.owned.maint_per_h)},
                {"idle_energy_per_h", to_json(p.owned.idle_energy_per_h)},
                {"fixed_per_h", to_json(p.owned.fixed_per_h)},
                {"marginal_energy_per_1m", to_json(p.owned.marginal_energy_per_1m)}};
  j["rentals"] = std::move(rentals);
  j["usd_per_1m_input"] = to_json(p.usd_per_1m_input);
  j["usd_per_1m_output"] = to_json(p.usd_per_1m_output);
  j["joules_per_token"] = to_json(p.joules_per_token);
  j["joules_per_output_token"] = to_json(p.joules_per_output_token);
  j["tokens_per_s_per_kw"] = to_json(p.tokens_per_s_per_kw);
  j["power"] = p.power_measured ? "measured" : "catalog";
  return j;
}

Json to_json(const ConfigEconomics& e) {
  Json j;
  j["hardware"] = {{"gpu_model", e.match.gpu_model},
                   {"matched", e.match.hardware ? Json(e.match.hardware->id) : Json(nullptr)},
                   {"match", e.match.describe()}};
  j["gpus"] = e.gpus;
  j["assumptions"] = {{"utilization", e.assumptions.utilization},
                      {"output_cost_ratio", e.assumptions.output_cost_ratio},
                      {"api_blend", {e.assumptions.api_blend_input, e.assumptions.api_blend_output}},
                      {"slo_percentile", e.assumptions.slo_percentile}};
  j["slo"] = {{"rule", e.slo_rule}};
  j["slo"]["point_index"] = e.slo_point ? Json(*e.slo_point) : Json(nullptr);
  if (!e.slo_reason.empty()) j["slo"]["unavailable"] = e.slo_reason;
  j["slo"]["state"] = to_string(e.slo_state);
  if (!e.slo_substitution.empty()) j["slo"]["substitution"] = e.slo_substitution;
  Json verdicts = Json::array();
  for (const SloVerdict& v : e.slo_verdicts)
    verdicts.push_back({{"state", to_string(v.state)}, {"metric", v.metric}, {"text", v.text}});
  j["slo"]["verdicts"] = std::move(verdicts);
  j["usd_per_1m_tokens_at_slo"] = to_json(e.usd_per_1m_at_slo);
  j["usd_per_1m_output_tokens_at_slo"] = to_json(e.usd_per_1m_output_at_slo);
  j["developers"] = to_json(e.developers);
  j["developers"]["measured"] = e.developers_measured;
  j["usd_per_dev_month"] = to_json(e.usd_per_dev_month);
  Json rent_dev = Json::array();
  for (const Figure& f : e.rent_usd_per_dev_month) rent_dev.push_back(to_json(f));
  j["rent_usd_per_dev_month"] = std::move(rent_dev);
  j["team_size_max"] = e.team_size_max ? Json(*e.team_size_max) : Json(nullptr);
  Json points = Json::array();
  for (const PointEconomics& p : e.points) points.push_back(to_json(p));
  j["points"] = std::move(points);
  Json api = Json::array(), rent = Json::array();
  for (const BreakEven& b : e.api_break_even) api.push_back(break_even_json(b));
  for (const BreakEven& b : e.rent_break_even) rent.push_back(break_even_json(b));
  j["api_break_even"] = std::move(api);
  j["rent_break_even"] = std::move(rent);
  return j;
}

}  // namespace sitegen::econ
