#pragma once
// Cost economics of measured throughput (ECONOMICS.md): owned and rented $/hour and $/1M tokens,
// the input/output split, energy per token, per-configuration SLO capacity, $/developer-month and
// break-even volumes. Every figure carries its inputs and formula, so a page can show how to
// recompute it; a figure that cannot be computed is unavailable with a reason, never 0 or inf.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "econ/catalog.hpp"
#include "model/report.hpp"

namespace sitegen::econ {

// One input of a figure: a name from the formula, its value, unit and where it came from.
struct Input {
  std::string name;     // "price_usd", "T", "u"
  double value = 0;
  std::string unit;     // "USD", "tokens/s", ""
  std::string source;   // "catalog dgx-spark: NVIDIA launch price (2025-10)", "measured", "assumption"
};

struct Figure {
  std::string name;                 // "usd_per_1m_tokens"
  std::string unit;                 // "USD/1M tokens"
  std::optional<double> value;      // nullopt: unavailable
  std::string reason;               // why unavailable, "" when available
  std::string formula;              // "fixed_per_h * 1e6 / (3600 * T * u) + ..."
  std::vector<Input> inputs;

  bool available() const { return value.has_value(); }
};

// Throughput of one load level, tokens/s. total is input + output.
struct Throughput {
  std::optional<double> total, input, output;
  std::string how;                  // "total_throughput_tps", "input + output throughput", ...
};

// Derives throughput from a point: total_throughput_tps, else input + output throughput, else
// token totals over duration_s. Absent figures stay nullopt.
Throughput point_throughput(const model::Point& point);

// Owned hardware at one throughput (ECONOMICS.md formulas).
struct OwnedCost {
  Figure capex_per_h, host_per_h, maint_per_h, idle_energy_per_h, fixed_per_h;
  Figure usd_per_hour;              // wall clock: fixed_per_h + u * busy energy above idle
  Figure marginal_energy_per_1m;    // c_e: (P_busy - P_idle)/T * 1e6/3.6e6 * PUE * usd_per_kwh
  Figure usd_per_1m_tokens;         // fixed_per_h*1e6/(3600*T*u) + c_e
  // Every cost charged to output tokens: fixed_per_h*1e6/(3600*T_out*u) + energy per output token.
  // Computed from output throughput alone, so it exists where total throughput is unknown.
  Figure usd_per_1m_output_tokens;
};

struct RentalCost {
  std::string provider, offer;
  Sourced sourced;
  Figure usd_per_hour;              // usd_per_gpu_hour * gpus
  Figure usd_per_1m_tokens;         // usd_per_hour*1e6/(3600*T*u)
  Figure usd_per_1m_output_tokens;  // usd_per_hour*1e6/(3600*T_out*u): all cost on output tokens
};

// Economics at one operating point (a measured load level or a what-if throughput).
struct PointEconomics {
  std::string label;                // "concurrency 64", "rate 4 rps", "what-if"
  std::optional<std::size_t> point_index;
  Throughput throughput;
  OwnedCost owned;
  std::vector<RentalCost> rentals;
  Figure usd_per_1m_input, usd_per_1m_output;  // owned, additive split by R
  Figure joules_per_token;          // P_busy / T: joules per token, input + output
  Figure joules_per_output_token;   // P_busy / T_out: joules per output token
  Figure tokens_per_s_per_kw;       // T / (P_busy / 1000)
  bool power_measured = false;      // P_busy from the run's telemetry (else the catalog's)
};

// What an operating point is computed from.
struct OperatingInput {
  Throughput throughput;
  long long gpus = 1;
  std::optional<double> measured_power_w;  // average power over all GPUs during the point
  std::string label;
};

// Per-point economics for `hardware` (nullptr: every figure unavailable, reason `no_match`).
PointEconomics point_economics(const OperatingInput& input, const Hardware* hardware,
                               const Assumptions& assumptions, const std::string& no_match = "");

// Break-even volume V* (million tokens a month) against an API model or a rental.
struct BreakEven {
  std::string against;              // "gpt-4o-mini (OpenAI)", "rent RunPod H100 SXM"
  Sourced sourced;
  bool same_model = true;           // an API serving the configuration's own weights (rentals: true)
  std::string note;                 // "serves the same weights", "a different model", "" for rentals
  Figure price_per_1m;              // p_blend for an API, the rental's $/1M at u=1 for rent
  Figure volume_m_tokens_per_month; // V* = fixed_per_h*730 / (p - c_e)
  Figure capacity_m_tokens_per_month;  // T_slo * 3600 * 730 / 1e6
  std::optional<bool> within_capacity;  // V* <= capacity; nullopt when either is unavailable
};

// A load level against the SLO: held, failed, or unknown (a metric it needs is missing). Missing
// data is never a failure.
enum class SloState { held, failed, unknown };

// "held", "failed", "unknown".
const char* to_string(SloState state);

struct SloVerdict {
  SloState state = SloState::unknown;
  std::string metric;  // what decided it: "TTFT p50", "TPOT p50", "completed requests", "slo_held"
  std::string text;    // "held: TTFT p50 85 ms <= 2000 ms; TPOT p50 62 ms <= 100 ms"
};

struct ConfigEconomics {
  GpuMatch match;
  long long gpus = 1;
  Assumptions assumptions;
  std::vector<PointEconomics> points;          // one per report point, same order
  std::vector<SloVerdict> slo_verdicts;        // one per report point, same order
  SloState slo_state = SloState::unknown;      // held: slo_point found; failed: every level failed
  std::string slo_substitution;                // "TPOT from p50 ITL: the report has no TPOT", "" when none
  std::optional<std::size_t> slo_point;        // index of the largest load level holding the SLO
  std::string slo_rule;                        // "p50 TTFT <= 2000 ms and p50 TPOT <= 50 ms"
  std::string slo_reason;                      // why no point holds / no SLO, "" when found
  Figure usd_per_1m_at_slo;                    // owned $/1M tokens at slo_point
  Figure usd_per_1m_output_at_slo;             // owned $/1M output tokens (all cost on output) there
  // Developers one configuration serves at the SLO: N_max from measured capacity results, else
  // estimated as C_slo / f (largest concurrency holding the SLO over the activity fraction f).
  Figure developers;
  bool developers_measured = false;            // from capacity results (team sizes)
  Figure usd_per_dev_month;                    // owned usd_per_hour * 730 / developers
  std::vector<Figure> rent_usd_per_dev_month;  // each rental, same order as the hardware's rent
  std::optional<long long> team_size_max;      // N_max from the capacity results
  // Each API that serves the configuration's own model first, then the closed-model APIs marked
  // "a different model" (econ::api_models_for); APIs serving other open models are left out.
  std::vector<BreakEven> api_break_even;
  std::vector<BreakEven> rent_break_even;      // own vs each rental
};

// The economics of one report against the catalog. Never throws for bad measurements: a report
// with no successful request or no throughput gives unavailable figures with the reason.
ConfigEconomics report_economics(const model::Report& report, const Catalog& catalog,
                                 const Assumptions& assumptions);

// JSON forms (for --json, the merged dataset and the site). A Figure is
// {"value": x | null, "unit", "formula", "inputs": [...], "unavailable": reason?}.
model::Json to_json(const Figure& figure);
model::Json to_json(const PointEconomics& point);
model::Json to_json(const ConfigEconomics& economics);

}  // namespace sitegen::econ
