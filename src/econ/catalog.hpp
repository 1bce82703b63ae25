#pragma once
// The pricing catalog (site/pricing.json or --pricing FILE): hardware to own and to rent, and API
// models, each with the `source` and `as_of` date of its figures. Reports are matched to hardware
// entries by GPU model through normalised aliases.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/report.hpp"

namespace sitegen::econ {

// Where a figure came from: shown next to every number it produces.
struct Sourced {
  std::string source;  // a URL or a publication ("NVIDIA launch price")
  std::string as_of;   // "2025-10", "2026-05", "2026"
};

// One rental offer for a GPU: billed per GPU-hour.
struct Rental {
  std::string provider;          // "RunPod"
  std::string offer;             // "H100 SXM", "" when the entry's name says it
  double usd_per_gpu_hour = 0;
  Sourced sourced;
};

// Buying and running the hardware yourself (ECONOMICS.md, "Owned hardware"). Per unit of
// `gpus_per_unit` GPUs (1 for a card; a system such as DGX Spark is one unit).
struct Ownership {
  std::optional<double> price_usd;     // absent: owned figures are unavailable
  double life_years = 3;
  double salvage_usd = 0;
  double pue = 1.0;
  double usd_per_kwh = 0.15;
  double colo_usd_per_kw_month = 0;    // 0 at home / on a desk
  std::optional<double> kw_provisioned;  // per unit; absent: busy_w * pue / 1000
  double maint_fraction_per_year = 0;
  Sourced sourced;                     // of the price
};

// How a catalog power figure was obtained: read off a vendor datasheet (a maximum, so an upper
// bound while serving), estimated, or measured by someone with a meter. "" when the catalog does
// not say (older catalogs).
inline const std::vector<std::string> k_power_bases = {"datasheet", "estimate", "measurement"};

// Power draw per unit while serving and while idle (catalog figures; measured telemetry wins).
struct Power {
  std::optional<double> busy_w, idle_w;
  Sourced sourced;
  std::string busy_basis = {}, idle_basis = {};  // one of k_power_bases, or ""
};

struct Hardware {
  std::string id;                      // "dgx-spark", "h100-sxm"
  std::string name;                    // "NVIDIA DGX Spark (GB10)"
  std::vector<std::string> aliases;    // compared after normalise_gpu_name()
  long long gpus_per_unit = 1;
  Ownership own;
  Power power;
  std::vector<Rental> rent;
  std::string rent_note = {};          // why `rent` is empty, when the catalog says ("sold as a desktop system")
};

// Why an entry has no purchase price: "no purchase price in the catalog: <own source>", "" when
// it has one. The own source says why (no list price exists, not checked from here, ...).
std::string no_purchase_price_reason(const Hardware& hardware);

// Why an entry has no rented figures: "no rental offer in the catalog" followed by the entry's
// rent_note when it gives one; "" when it has at least one offer.
std::string no_rental_reason(const Hardware& hardware);

// An API model priced per 1M tokens.
struct ApiModel {
  std::string id;                      // "gpt-4o-mini"
  std::string name;                    // "GPT-4o mini"
  std::string provider;                // "OpenAI"
  double usd_per_1m_input = 0, usd_per_1m_output = 0;
  Sourced sourced;
  // The open weights this API serves, as Hugging Face ids or short names, compared after
  // normalise_model_name(). Empty for a closed model (GPT-4o, Claude): a different model from
  // every configuration.
  std::vector<std::string> serves = {};
  std::string serves_precision = {};  // "fp8" when the provider says it serves them quantised, else ""
  std::string notes = {};             // shown with the price ("retired by the provider in 2026-08")
};

// How much of a working month one developer keeps the server busy: the fraction of working hours
// a developer has a request in flight, and the working hours in a month. A configuration that
// holds the SLO at C concurrent requests serves C / fraction developers.
struct DeveloperActivity {
  double fraction = 0;                 // 0 < fraction <= 1
  std::optional<double> hours_per_month;  // working hours a month, 0 < h <= 744
  Sourced sourced;
};

// Assumptions the economics need that no report carries; the catalog's "assumptions" object sets
// them and the CLI overrides them.
struct Assumptions {
  double utilization = 1.0;            // duty cycle u, 0 < u <= 1: divides fixed cost
  double output_cost_ratio = 4.0;      // R: an output token costs R input tokens
  double api_blend_input = 3, api_blend_output = 1;  // API blend weights (3:1 convention)
  std::optional<double> slo_ttft_ms, slo_tpot_ms;    // used when a report sets none
  double slo_percentile = 50;          // which TTFT/TPOT percentile the SLO is checked on
  std::optional<DeveloperActivity> developer_activity = {};  // absent: $/developer-month from concurrency is unavailable
};

struct Catalog {
  std::string file;                    // where it was read from ("<embedded site/pricing.json>")
  std::vector<Hardware> hardware;
  std::vector<ApiModel> api_models;
  Assumptions assumptions;

  const Hardware* find(std::string_view id) const;   // by id, nullptr when absent
};

// Parses a catalog document. Collects every problem (an entry without source or as_of, an as_of
// that does not start with a year, a negative or zero price, a life of zero, utilization or a
// developer activity fraction outside (0, 1], an unknown power basis, unknown keys) and throws one
// Error listing them all, each "file: /json/pointer: what" (the entry's id is in the message).
Catalog parse_catalog(const model::Json& json, const std::string& file);

// Reads a catalog file (Error naming the file when it cannot be read or is invalid).
Catalog load_catalog(const std::filesystem::path& path);

// The catalog to use when none is given: site/pricing.json under `site_dir` when it exists,
// else the copy embedded in the binary. Throws Error when neither exists.
Catalog default_catalog(const std::filesystem::path& site_dir = "site");

// Checks the figures of a catalog after overrides (prices > 0, 0 < u <= 1, ...). Throws Error
// listing every problem.
void check_catalog(const Catalog& catalog);

// "NVIDIA RTX A5000" -> "rtx a5000"; "a5000" -> "a5000": lower case, vendor words (nvidia, amd,
// geforce, radeon, instinct, tesla) and punctuation removed, single spaces.
std::string normalise_gpu_name(std::string_view name);

// The result of matching a report's GPU model to the catalog.
struct GpuMatch {
  const Hardware* hardware = nullptr;  // nullptr when nothing matched
  std::string gpu_model;               // as the report spelled it
  std::string matched_alias;           // the alias that matched, "" when none
  std::string reason;                  // why nothing matched, "" when matched

  // "RTX A5000 -> rtx-a5000 (NVIDIA RTX A5000, alias 'rtx a5000')" or the reason.
  std::string describe() const;
};

// Matches by exact normalised alias (or id or name), then by the normalised name containing an
// alias as whole words ("nvidia h100 80gb hbm3" contains "h100"), longest alias first.
GpuMatch match_gpu(const Catalog& catalog, std::string_view gpu_model);

// Applies "field=value" to a hardware entry or the assumptions: price_usd, life_years,
// salvage_usd, pue, usd_per_kwh, colo_usd_per_kw_month, kw_provisioned, maint_fraction_per_year,
// busy_w, idle_w, usd_per_gpu_hour (every rental), gpus_per_unit, utilization,
// output_cost_ratio, slo_ttft_ms, slo_tpot_ms, developer_activity (the fraction),
// developer_hours_per_month. Throws Error naming the override when the field is unknown (with a
// suggestion) or the value is not a number; check_catalog() then checks the ranges.
void apply_override(Catalog& catalog, Hardware* hardware, std::string_view assignment);

// A model id reduced to the weights it names, for matching configurations to APIs:
// "meta-llama/Meta-Llama-3.1-8B-Instruct" and "llama-3.1-8b-instruct" -> "llama-3.1-8b-instruct";
// "hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4" -> the same, quantisation "awq-int4".
struct ModelName {
  std::string base;                    // lower case, no organisation, no quantisation suffix
  std::string quantisation;            // the suffixes removed ("awq-int4", "fp8", "nvfp4"), "" when none
};

// Lower case, the organisation ("org/") dropped, '_' and spaces as '-', a leading "meta-" before
// "llama" and "nvidia-" before "nemotron" dropped, then trailing quantisation words (awq, gptq,
// int4, int8, fp8, fp4, nvfp4, mxfp4, w4a16, w8a8, bnb, 4bit, gguf, dynamic, quantized.*) and
// format words (hf, bf16, fp16) removed. Never fails; "" gives an empty base.
ModelName normalise_model_name(std::string_view model_id);

// One API set beside a configuration, and how it relates to the configuration's model.
struct ApiMatch {
  const ApiModel* api = nullptr;
  bool same_model = false;             // the API serves the configuration's own weights
  bool quantised_variant = false;      // same weights, but the configuration runs a quantised variant
                                       // and is compared with the API's full-precision model
  std::string matched;                 // the `serves` entry that matched, "" when a different model
  std::string note;                    // one line for the page: "serves the same weights",
                                       // "serves the full-precision weights of this quantised model (awq-int4)",
                                       // "a different model"
};

// The APIs to compare a configuration with: first every API that serves the configuration's own
// weights (same_model, catalog order), then every closed-model API (empty `serves`) marked as a
// different model. APIs that serve other open weights are left out: they are neither the same
// model nor a common reference, and setting a 70B API beside an 8B model would mislead.
// `quantization` is the report's /system/model/quantization ("awq"); a quantised id suffix counts
// too. Never fails; an empty model id gets only the different-model references.
std::vector<ApiMatch> api_models_for(const Catalog& catalog, std::string_view model_id,
                                     std::string_view quantization = "");

}  // namespace sitegen::econ
