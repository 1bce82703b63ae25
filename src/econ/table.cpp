#include "econ/table.hpp"

#include <algorithm>
#include <ostream>

#include "util/format.hpp"

namespace sitegen::econ {

namespace {

std::string value_text(const Figure& f) {
  if (!f.available()) return "n/a";
  return format::human(*f.value);
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s + " ";
}

std::string lpad(std::string s, std::size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s + " ";
}

const RentalCost* cheapest(const PointEconomics& p) {
  const RentalCost* best = nullptr;
  for (const RentalCost& r : p.rentals) {
    if (r.usd_per_1m_tokens.available() && (!best || *r.usd_per_1m_tokens.value < *best->usd_per_1m_tokens.value)) best = &r;
  }
  return best;
}

void print_break_even(const BreakEven& b, std::ostream& out) {
  out << "  vs " << pad(b.against, 34);
  if (!b.volume_m_tokens_per_month.available()) {
    out << "unavailable: " << b.volume_m_tokens_per_month.reason << "\n";
    return;
  }
  out << format::human(*b.volume_m_tokens_per_month.value) << " M tokens/month at "
      << format::human(*b.price_per_1m.value) << " $/1M";
  if (b.within_capacity) out << (*b.within_capacity ? " (within capacity " : " (BEYOND capacity ");
  else out << " (capacity unknown: " << b.capacity_m_tokens_per_month.reason;
  if (b.within_capacity) out << format::human(*b.capacity_m_tokens_per_month.value) << " M tokens/month";
  out << ")\n";
}

// Catalog citations are long and repeat on every input: print them once, as numbered notes.
class Notes {
 public:
  std::string mark(const std::string& source) {
    if (source.rfind("catalog ", 0) != 0) return source;
    auto it = std::find(m_sources.begin(), m_sources.end(), source);
    if (it == m_sources.end()) it = m_sources.insert(m_sources.end(), source);
    return "note " + std::to_string(it - m_sources.begin() + 1);
  }
  void print(std::ostream& out) const {
    if (!m_sources.empty()) out << "  notes:\n";
    for (std::size_t i = 0; i < m_sources.size(); ++i) out << "    " << i + 1 << ". " << m_sources[i] << "\n";
  }

 private:
  std::vector<std::string> m_sources;
};

void print_figure_noted(const Figure& f, const std::string& label, std::ostream& out, Notes* notes) {
  out << "  " << pad(label, 26);
  if (!f.available()) {
    out << "unavailable: " << f.reason << "\n";
    return;
  }
  out << format::human(*f.value) << " " << f.unit << "\n";
  if (!f.formula.empty()) out << "      = " << f.formula << "\n";
  for (const Input& in : f.inputs) {
    out << "        " << in.name << " = " << format::shortest(in.value) << (in.unit.empty() ? "" : " " + in.unit);
    if (!in.source.empty()) out << "  [" << (notes ? notes->mark(in.source) : in.source) << "]";
    out << "\n";
  }
}

}  // namespace

void print_figure(const Figure& f, const std::string& label, std::ostream& out) {
  print_figure_noted(f, label, out, nullptr);
}

void print_point(const PointEconomics& p, std::ostream& out) {
  Notes notes;
  const auto print_figure = [&](const Figure& f, const std::string& label, std::ostream& o) {
    print_figure_noted(f, label, o, &notes);
  };
  out << p.label << ": T = " << (p.throughput.total ? format::human(*p.throughput.total) + " tokens/s" : "unknown")
      << ", power " << (p.power_measured ? "measured" : "from the catalog") << "\n";
  print_figure(p.owned.usd_per_hour, "owned $/hour", out);
  print_figure(p.owned.usd_per_1m_tokens, "owned $/1M tokens", out);
  print_figure(p.owned.fixed_per_h, "  fixed $/hour", out);
  print_figure(p.owned.capex_per_h, "    capex $/hour", out);
  print_figure(p.owned.host_per_h, "    hosting $/hour", out);
  print_figure(p.owned.maint_per_h, "    maintenance $/hour", out);
  print_figure(p.owned.idle_energy_per_h, "    idle energy $/hour", out);
  print_figure(p.owned.marginal_energy_per_1m, "  marginal energy $/1M", out);
  print_figure(p.usd_per_1m_input, "owned $/1M input", out);
  print_figure(p.usd_per_1m_output, "owned $/1M output", out);
  for (const RentalCost& r : p.rentals) {
    const std::string name = "rent " + r.provider + (r.offer.empty() ? "" : " " + r.offer);
    print_figure(r.usd_per_hour, name + " $/hour", out);
    print_figure(r.usd_per_1m_tokens, name + " $/1M", out);
  }
  print_figure(p.joules_per_token, "J/token", out);
  print_figure(p.tokens_per_s_per_kw, "tokens/s per kW", out);
  notes.print(out);
}

const PointEconomics* headline_point(const ConfigEconomics& e) {
  if (e.slo_point) return &e.points[*e.slo_point];
  const PointEconomics* best = nullptr;
  for (const PointEconomics& p : e.points) {
    if (p.throughput.total && (!best || *p.throughput.total > *best->throughput.total)) best = &p;
  }
  return best;
}

void print_config(const ConfigEconomics& e, std::ostream& out) {
  out << "hardware: " << e.match.describe() << ", " << e.gpus << " GPU(s)\n";
  out << "assumptions: utilization " << format::shortest(e.assumptions.utilization) << " (divides fixed cost), R = "
      << format::shortest(e.assumptions.output_cost_ratio) << ", API blend "
      << format::shortest(e.assumptions.api_blend_input) << ":" << format::shortest(e.assumptions.api_blend_output)
      << "\n\n";
  out << pad("load", 18) << lpad("tokens/s", 10) << lpad("own $/h", 9) << lpad("own $/1M", 10)
      << lpad("rent $/1M", 10) << lpad("J/token", 8) << "power\n";
  for (const PointEconomics& p : e.points) {
    const RentalCost* r = cheapest(p);
    out << pad(p.label, 18) << lpad(p.throughput.total ? format::human(*p.throughput.total) : "n/a", 10)
        << lpad(value_text(p.owned.usd_per_hour), 9) << lpad(value_text(p.owned.usd_per_1m_tokens), 10)
        << lpad(r ? value_text(r->usd_per_1m_tokens) : "n/a", 10) << lpad(value_text(p.joules_per_token), 8)
        << (p.power_measured ? "measured" : "catalog") << "\n";
  }
  out << "\nSLO (" << e.slo_rule << "): ";
  if (e.slo_point) out << "largest load level holding it: " << e.points[*e.slo_point].label << "\n";
  else out << e.slo_reason << "\n";
  print_figure(e.usd_per_1m_at_slo, "owned $/1M at the SLO", out);
  print_figure(e.usd_per_dev_month, "owned $/developer-month", out);
  out << "\nbreak-even monthly volume (owning beats the alternative above it):\n";
  for (const BreakEven& b : e.api_break_even) print_break_even(b, out);
  for (const BreakEven& b : e.rent_break_even) print_break_even(b, out);
  if (const PointEconomics* p = headline_point(e)) {
    out << "\nhow the figures at " << p->label << " are computed:\n";
    print_point(*p, out);
  }
}

}  // namespace sitegen::econ
