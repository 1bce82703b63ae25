#include "econ/catalog.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "model/json_io.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/strings.hpp"

namespace sitegen::econ {

namespace {

using model::Json;

// Collects every problem of a catalog document, each "file: /pointer: what".
class Reader {
 public:
  explicit Reader(std::string file) : m_file(std::move(file)) {}

  // Names the entry being read (its id), so every problem inside it says which entry it is.
  void enter(std::string entry) { m_entry = std::move(entry); }
  void leave() { m_entry.clear(); }

  void problem(const std::string& pointer, const std::string& what) {
    m_problems.push_back(m_file + ": " + pointer + ": " + what + (m_entry.empty() ? "" : " (entry '" + m_entry + "')"));
  }

  // Flags keys outside `known`, with a suggestion for a near miss.
  void known_keys(const Json& object, const std::string& pointer, const std::vector<std::string>& known) {
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      const std::string close = strings::closest(key, known);
      problem(pointer + "/" + key, "unknown field" + (close.empty() ? "" : " (did you mean '" + close + "'?)"));
    }
  }

  std::string text(const Json& object, const std::string& key, const std::string& pointer, bool required) {
    auto it = object.find(key);
    if (it == object.end() || (it->is_string() && it->get<std::string>().empty())) {
      if (required) problem(pointer + "/" + key, "missing; every entry needs it");
      return "";
    }
    if (!it->is_string()) {
      problem(pointer + "/" + key, "expected a string");
      return "";
    }
    return it->get<std::string>();
  }

  // A number; `positive` rejects zero and below, otherwise only negatives are rejected.
  std::optional<double> number(const Json& object, const std::string& key, const std::string& pointer, bool positive) {
    auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    if (!it->is_number()) {
      problem(pointer + "/" + key, "expected a number, got " + it->dump());
      return std::nullopt;
    }
    const double v = it->get<double>();
    if (positive && !(v > 0)) problem(pointer + "/" + key, "must be greater than 0, got " + format::shortest(v));
    else if (!positive && v < 0) problem(pointer + "/" + key, "must not be negative, got " + format::shortest(v));
    return v;
  }

  // A figure's source and date; the date must start with a year ("2026", "2025-10", "2025-26").
  Sourced sourced(const Json& object, const std::string& pointer) {
    Sourced s{text(object, "source", pointer, true), text(object, "as_of", pointer, true)};
    const bool year = s.as_of.size() >= 4 && std::all_of(s.as_of.begin(), s.as_of.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
    if (!s.as_of.empty() && !year) problem(pointer + "/as_of", "expected a date starting with the year (\"2026-05\"), got \"" + s.as_of + "\"");
    return s;
  }

  // One of `allowed`, or "" when absent.
  std::string choice(const Json& object, const std::string& key, const std::string& pointer, const std::vector<std::string>& allowed) {
    const std::string v = text(object, key, pointer, false);
    if (!v.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end())
      problem(pointer + "/" + key, "expected one of " + strings::join(allowed, ", ") + ", got \"" + v + "\"");
    return v;
  }

  std::vector<std::string> names(const Json& object, const std::string& key, const std::string& pointer) {
    std::vector<std::string> out;
    auto it = object.find(key);
    if (it == object.end()) return out;
    if (!it->is_array()) {
      problem(pointer + "/" + key, "expected an array of names");
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& n = (*it)[i];
      if (n.is_string() && !n.get<std::string>().empty()) out.push_back(n.get<std::string>());
      else problem(pointer + "/" + key + "/" + std::to_string(i), "expected a name (a non-empty string), got " + n.dump());
    }
    return out;
  }

  const std::vector<std::string>& problems() const { return m_problems; }

 private:
  std::string m_file;
  std::string m_entry;
  std::vector<std::string> m_problems;
};

Ownership read_own(Reader& r, const Json& j, const std::string& ptr) {
  r.known_keys(j, ptr, {"price_usd", "life_years", "salvage_usd", "pue", "usd_per_kwh", "colo_usd_per_kw_month",
                        "kw_provisioned", "maint_fraction_per_year", "source", "as_of"});
  Ownership own;
  own.price_usd = r.number(j, "price_usd", ptr, true);
  own.life_years = r.number(j, "life_years", ptr, true).value_or(own.life_years);
  own.salvage_usd = r.number(j, "salvage_usd", ptr, false).value_or(0);
  own.pue = r.number(j, "pue", ptr, true).value_or(own.pue);
  own.usd_per_kwh = r.number(j, "usd_per_kwh", ptr, false).value_or(own.usd_per_kwh);
  own.colo_usd_per_kw_month = r.number(j, "colo_usd_per_kw_month", ptr, false).value_or(0);
  own.kw_provisioned = r.number(j, "kw_provisioned", ptr, false);
  own.maint_fraction_per_year = r.number(j, "maint_fraction_per_year", ptr, false).value_or(0);
  own.sourced = r.sourced(j, ptr);
  // Only against a valid price: a bad price is reported once, not again through its salvage.
  if (own.price_usd && *own.price_usd > 0 && own.salvage_usd > *own.price_usd)
    r.problem(ptr + "/salvage_usd", "is larger than price_usd");
  return own;
}

Hardware read_hardware(Reader& r, const Json& j, const std::string& ptr) {
  Hardware hw;
  if (!j.is_object()) {
    r.problem(ptr, "expected an object");
    return hw;
  }
  hw.id = r.text(j, "id", ptr, true);
  r.enter(hw.id);
  r.known_keys(j, ptr, {"id", "name", "aliases", "gpus_per_unit", "own", "power", "rent", "rent_note", "notes"});
  hw.name = r.text(j, "name", ptr, false);
  if (hw.name.empty()) hw.name = hw.id;
  hw.aliases = r.names(j, "aliases", ptr);
  hw.rent_note = r.text(j, "rent_note", ptr, false);
  hw.gpus_per_unit = static_cast<long long>(r.number(j, "gpus_per_unit", ptr, true).value_or(1));
  if (auto own = j.find("own"); own != j.end()) {
    if (own->is_object()) hw.own = read_own(r, *own, ptr + "/own");
    else r.problem(ptr + "/own", "expected an object");
  }
  if (auto power = j.find("power"); power != j.end() && !power->is_object()) {
    r.problem(ptr + "/power", "expected an object");
  } else if (power != j.end()) {
    const std::string pp = ptr + "/power";
    r.known_keys(*power, pp, {"busy_w", "busy_basis", "idle_w", "idle_basis", "source", "as_of"});
    hw.power.busy_w = r.number(*power, "busy_w", pp, true);
    hw.power.idle_w = r.number(*power, "idle_w", pp, false);
    hw.power.busy_basis = r.choice(*power, "busy_basis", pp, k_power_bases);
    hw.power.idle_basis = r.choice(*power, "idle_basis", pp, k_power_bases);
    hw.power.sourced = r.sourced(*power, pp);
    if (hw.power.busy_w && hw.power.idle_w && *hw.power.idle_w > *hw.power.busy_w)
      r.problem(pp + "/idle_w", "is larger than busy_w");
  }
  if (auto rent = j.find("rent"); rent != j.end()) {
    if (!rent->is_array()) r.problem(ptr + "/rent", "expected an array of offers");
    else
      for (std::size_t i = 0; i < rent->size(); ++i) {
        const std::string rp = ptr + "/rent/" + std::to_string(i);
        const Json& o = (*rent)[i];
        if (!o.is_object()) {
          r.problem(rp, "expected an object");
          continue;
        }
        r.known_keys(o, rp, {"provider", "offer", "usd_per_gpu_hour", "source", "as_of"});
        Rental rental;
        rental.provider = r.text(o, "provider", rp, true);
        rental.offer = r.text(o, "offer", rp, false);
        const auto price = r.number(o, "usd_per_gpu_hour", rp, true);
        if (!price) r.problem(rp + "/usd_per_gpu_hour", "missing");
        rental.usd_per_gpu_hour = price.value_or(0);
        rental.sourced = r.sourced(o, rp);
        hw.rent.push_back(std::move(rental));
      }
  }
  r.leave();
  return hw;
}

ApiModel read_api(Reader& r, const Json& j, const std::string& ptr) {
  ApiModel api;
  if (!j.is_object()) {
    r.problem(ptr, "expected an object");
    return api;
  }
  api.id = r.text(j, "id", ptr, true);
  r.enter(api.id);
  r.known_keys(j, ptr, {"id", "name", "provider", "usd_per_1m_input", "usd_per_1m_output", "serves", "serves_precision",
                        "source", "as_of", "notes"});
  api.serves = r.names(j, "serves", ptr);
  api.serves_precision = r.text(j, "serves_precision", ptr, false);
  api.notes = r.text(j, "notes", ptr, false);
  api.name = r.text(j, "name", ptr, false);
  if (api.name.empty()) api.name = api.id;
  api.provider = r.text(j, "provider", ptr, false);
  const auto in = r.number(j, "usd_per_1m_input", ptr, true);
  const auto out = r.number(j, "usd_per_1m_output", ptr, true);
  if (!in) r.problem(ptr + "/usd_per_1m_input", "missing");
  if (!out) r.problem(ptr + "/usd_per_1m_output", "missing");
  api.usd_per_1m_input = in.value_or(0);
  api.usd_per_1m_output = out.value_or(0);
  api.sourced = r.sourced(j, ptr);
  r.leave();
  return api;
}

DeveloperActivity read_activity(Reader& r, const Json& j, const std::string& ptr) {
  DeveloperActivity d;
  if (!j.is_object()) {
    r.problem(ptr, "expected an object with fraction, hours_per_month, source and as_of");
    return d;
  }
  r.known_keys(j, ptr, {"fraction", "hours_per_month", "notes", "source", "as_of"});
  const auto fraction = r.number(j, "fraction", ptr, true);
  if (!j.contains("fraction")) r.problem(ptr + "/fraction", "missing; the fraction of working hours a developer has a request in flight");
  else if (fraction && *fraction > 1)
    r.problem(ptr + "/fraction", "is the fraction of working hours a developer has a request in flight and must be in (0, 1], got " +
                                     format::shortest(*fraction));
  d.fraction = fraction.value_or(0);
  d.hours_per_month = r.number(j, "hours_per_month", ptr, true);
  if (d.hours_per_month && *d.hours_per_month > 744)
    r.problem(ptr + "/hours_per_month", "a month has at most 744 hours, got " + format::shortest(*d.hours_per_month));
  d.sourced = r.sourced(j, ptr);
  return d;
}

Assumptions read_assumptions(Reader& r, const Json& j, const std::string& ptr) {
  Assumptions a;
  r.known_keys(j, ptr, {"utilization", "output_cost_ratio", "api_blend_input", "api_blend_output", "slo_ttft_ms",
                        "slo_tpot_ms", "slo_percentile", "developer_activity", "source", "as_of"});
  a.utilization = r.number(j, "utilization", ptr, true).value_or(a.utilization);
  if (a.utilization > 1) r.problem(ptr + "/utilization", "is a duty cycle and must be at most 1");
  a.output_cost_ratio = r.number(j, "output_cost_ratio", ptr, true).value_or(a.output_cost_ratio);
  a.api_blend_input = r.number(j, "api_blend_input", ptr, false).value_or(a.api_blend_input);
  a.api_blend_output = r.number(j, "api_blend_output", ptr, false).value_or(a.api_blend_output);
  a.slo_ttft_ms = r.number(j, "slo_ttft_ms", ptr, true);
  a.slo_tpot_ms = r.number(j, "slo_tpot_ms", ptr, true);
  a.slo_percentile = r.number(j, "slo_percentile", ptr, true).value_or(a.slo_percentile);
  if (auto d = j.find("developer_activity"); d != j.end()) a.developer_activity = read_activity(r, *d, ptr + "/developer_activity");
  return a;
}

void throw_if(const std::vector<std::string>& problems) {
  if (problems.empty()) return;
  throw Error(strings::join(problems, "\n"));
}

// Whole-word containment: "h100 80gb hbm3" contains "h100", "rtx a5000" does not contain "a500".
bool contains_words(const std::string& haystack, const std::string& needle) {
  if (needle.empty()) return false;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
    const bool left = at == 0 || haystack[at - 1] == ' ';
    const std::size_t end = at + needle.size();
    const bool right = end == haystack.size() || haystack[end] == ' ';
    if (left && right) return true;
  }
  return false;
}

}  // namespace

const Hardware* Catalog::find(std::string_view id) const {
  for (const Hardware& h : hardware) {
    if (h.id == id) return &h;
  }
  return nullptr;
}

Catalog parse_catalog(const model::Json& json, const std::string& file) {
  Reader r(file);
  Catalog catalog;
  catalog.file = file;
  if (!json.is_object()) throw Error(file + ": expected a pricing catalog object with \"hardware\" and \"api_models\"");
  r.known_keys(json, "", {"schema", "notes", "assumptions", "hardware", "api_models"});
  if (auto s = json.find("schema"); s != json.end() && *s != "sitegen.pricing/v1")
    r.problem("/schema", "expected \"sitegen.pricing/v1\", got " + s->dump());
  if (auto a = json.find("assumptions"); a != json.end()) {
    if (a->is_object()) catalog.assumptions = read_assumptions(r, *a, "/assumptions");
    else r.problem("/assumptions", "expected an object");
  }
  auto hw = json.find("hardware");
  if (hw == json.end() || !hw->is_array()) r.problem("/hardware", "expected an array of hardware entries");
  else
    for (std::size_t i = 0; i < hw->size(); ++i) catalog.hardware.push_back(read_hardware(r, (*hw)[i], "/hardware/" + std::to_string(i)));
  if (auto api = json.find("api_models"); api != json.end()) {
    if (!api->is_array()) r.problem("/api_models", "expected an array of API models");
    else
      for (std::size_t i = 0; i < api->size(); ++i) catalog.api_models.push_back(read_api(r, (*api)[i], "/api_models/" + std::to_string(i)));
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < catalog.hardware.size(); ++i) {
    if (!catalog.hardware[i].id.empty() && !ids.insert(catalog.hardware[i].id).second)
      r.problem("/hardware/" + std::to_string(i) + "/id", "duplicate id '" + catalog.hardware[i].id + "'");
  }
  std::set<std::string> api_ids;
  for (std::size_t i = 0; i < catalog.api_models.size(); ++i) {
    if (!catalog.api_models[i].id.empty() && !api_ids.insert(catalog.api_models[i].id).second)
      r.problem("/api_models/" + std::to_string(i) + "/id", "duplicate id '" + catalog.api_models[i].id + "'");
  }
  throw_if(r.problems());
  return catalog;
}

Catalog load_catalog(const std::filesystem::path& path) {
  return parse_catalog(model::read_json_file(path), path.string());
}

Catalog default_catalog(const std::filesystem::path& site_dir) {
  const std::filesystem::path file = site_dir / "pricing.json";
  std::error_code ec;
  if (std::filesystem::is_regular_file(file, ec)) return load_catalog(file);
  if (auto text = embedded::find("site/pricing.json")) {
    const std::string name = "<embedded site/pricing.json>";
    return parse_catalog(model::parse_json(*text, name), name);
  }
  throw Error(file.string() + ": pricing catalog not found; pass --pricing FILE");
}

void check_catalog(const Catalog& catalog) {
  std::vector<std::string> problems;
  const auto bad = [&](const std::string& where, const std::string& what) {
    problems.push_back(catalog.file + ": " + where + ": " + what);
  };
  const Assumptions& a = catalog.assumptions;
  if (!(a.utilization > 0 && a.utilization <= 1))
    bad("utilization", "must be in (0, 1] (a duty cycle), got " + format::shortest(a.utilization));
  if (!(a.output_cost_ratio > 0)) bad("output_cost_ratio", "must be greater than 0");
  if (!(a.api_blend_input + a.api_blend_output > 0)) bad("api_blend", "weights must not both be 0");
  if (const auto& d = a.developer_activity) {
    if (!(d->fraction > 0 && d->fraction <= 1))
      bad("developer_activity", "the fraction of working hours a developer has a request in flight must be in (0, 1], got " +
                                    format::shortest(d->fraction));
    if (d->hours_per_month && !(*d->hours_per_month > 0 && *d->hours_per_month <= 744))
      bad("developer_hours_per_month", "must be in (0, 744], got " + format::shortest(*d->hours_per_month));
  }
  for (const Hardware& h : catalog.hardware) {
    if (h.own.price_usd && !(*h.own.price_usd > 0)) bad(h.id + ": price_usd", "must be greater than 0");
    if (!(h.own.life_years > 0)) bad(h.id + ": life_years", "must be greater than 0");
    if (!(h.own.pue >= 1)) bad(h.id + ": pue", "must be at least 1");
    if (h.own.usd_per_kwh < 0) bad(h.id + ": usd_per_kwh", "must not be negative");
    if (h.own.salvage_usd < 0) bad(h.id + ": salvage_usd", "must not be negative");
    if (h.power.busy_w && !(*h.power.busy_w > 0)) bad(h.id + ": busy_w", "must be greater than 0");
    if (h.gpus_per_unit < 1) bad(h.id + ": gpus_per_unit", "must be at least 1");
    for (const Rental& r : h.rent) {
      if (!(r.usd_per_gpu_hour > 0)) bad(h.id + ": " + r.provider + ": usd_per_gpu_hour", "must be greater than 0");
    }
  }
  if (!problems.empty()) throw Error(strings::join(problems, "\n"));
}

std::string normalise_gpu_name(std::string_view name) {
  static const std::set<std::string> k_vendor_words = {"nvidia", "amd", "geforce", "radeon", "instinct", "tesla"};
  std::vector<std::string> words;
  std::string word;
  const auto flush = [&] {
    if (!word.empty() && !k_vendor_words.count(word)) words.push_back(word);
    word.clear();
  };
  for (char c : strings::lower(name)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) word += c;
    else flush();
  }
  flush();
  return strings::join(words, " ");
}

std::string no_purchase_price_reason(const Hardware& hardware) {
  if (hardware.own.price_usd) return "";
  const std::string why = hardware.own.sourced.source;
  return "no purchase price in the catalog" + (why.empty() ? std::string() : ": " + why);
}

std::string no_rental_reason(const Hardware& hardware) {
  if (!hardware.rent.empty()) return "";
  return "no rental offer in the catalog" + (hardware.rent_note.empty() ? std::string() : ": " + hardware.rent_note);
}

std::string GpuMatch::describe() const {
  if (!hardware) return "'" + gpu_model + "': no match (" + reason + ")";
  return "'" + gpu_model + "' -> " + hardware->id + " (" + hardware->name + ", matched '" + matched_alias + "')";
}

GpuMatch match_gpu(const Catalog& catalog, std::string_view gpu_model) {
  GpuMatch match;
  match.gpu_model = std::string(gpu_model);
  const std::string name = normalise_gpu_name(gpu_model);
  if (name.empty()) {
    match.reason = "the report names no GPU model (/system/gpu/model)";
    return match;
  }
  // Exact first, then the longest alias found as whole words, so "h100 pcie" beats "h100".
  std::size_t best_length = 0;
  for (const Hardware& h : catalog.hardware) {
    std::vector<std::string> names = h.aliases;
    names.push_back(h.id);
    names.push_back(h.name);
    for (const std::string& alias : names) {
      const std::string n = normalise_gpu_name(alias);
      if (n == name) {
        match.hardware = &h;
        match.matched_alias = alias;
        return match;
      }
      if (n.size() > best_length && contains_words(name, n)) {
        best_length = n.size();
        match.hardware = &h;
        match.matched_alias = alias;
      }
    }
  }
  if (!match.hardware) {
    std::vector<std::string> ids;
    for (const Hardware& h : catalog.hardware) ids.push_back(h.id);
    match.reason = "no catalog entry has an alias matching '" + name + "' (catalog " + catalog.file +
                   "; add an alias there, or pass --hardware with one of: " + strings::join(ids, ", ") + ")";
  }
  return match;
}

void apply_override(Catalog& catalog, Hardware* hardware, std::string_view assignment) {
  const std::string text(assignment);
  const auto eq = text.find('=');
  if (eq == std::string::npos) throw Error("--set " + text + ": expected field=value, e.g. price_usd=4000");
  const std::string field(strings::trim(std::string_view(text).substr(0, eq)));
  const std::string value_text(strings::trim(std::string_view(text).substr(eq + 1)));
  double value = 0;
  try {
    std::size_t used = 0;
    value = std::stod(value_text, &used);
    if (used != value_text.size() || !std::isfinite(value)) throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw Error("--set " + text + ": '" + value_text + "' is not a number");
  }
  Assumptions& a = catalog.assumptions;
  if (field == "utilization") { a.utilization = value; return; }
  if (field == "output_cost_ratio") { a.output_cost_ratio = value; return; }
  if (field == "slo_ttft_ms") { a.slo_ttft_ms = value; return; }
  if (field == "slo_tpot_ms") { a.slo_tpot_ms = value; return; }
  if (field == "developer_activity" || field == "developer_hours_per_month") {
    if (!a.developer_activity) a.developer_activity = DeveloperActivity{0, std::nullopt, {"--set " + text, "now"}};
    else a.developer_activity->sourced.source += "; overridden: --set " + text;
    if (field == "developer_activity") a.developer_activity->fraction = value;
    else a.developer_activity->hours_per_month = value;
    return;
  }
  const std::vector<std::string> hardware_fields = {
      "price_usd", "life_years", "salvage_usd", "pue", "usd_per_kwh", "colo_usd_per_kw_month", "kw_provisioned",
      "maint_fraction_per_year", "busy_w", "idle_w", "usd_per_gpu_hour", "gpus_per_unit"};
  if (std::find(hardware_fields.begin(), hardware_fields.end(), field) == hardware_fields.end()) {
    std::vector<std::string> all = hardware_fields;
    all.insert(all.end(), {"utilization", "output_cost_ratio", "slo_ttft_ms", "slo_tpot_ms", "developer_activity",
                           "developer_hours_per_month"});
    const std::string close = strings::closest(field, all);
    throw Error("--set " + text + ": unknown field '" + field + "'" +
                (close.empty() ? " (fields: " + strings::join(all, ", ") + ")" : " (did you mean '" + close + "'?)"));
  }
  if (!hardware) throw Error("--set " + text + ": no hardware to apply it to (the GPU did not match the catalog; pass --hardware ID)");
  Ownership& own = hardware->own;
  // Overrides are appended to the source, so a figure shows both the catalog and the change.
  const std::string note = "; overridden: --set " + text;
  if (field == "price_usd") own.price_usd = value;
  else if (field == "life_years") own.life_years = value;
  else if (field == "salvage_usd") own.salvage_usd = value;
  else if (field == "pue") own.pue = value;
  else if (field == "usd_per_kwh") own.usd_per_kwh = value;
  else if (field == "colo_usd_per_kw_month") own.colo_usd_per_kw_month = value;
  else if (field == "kw_provisioned") own.kw_provisioned = value;
  else if (field == "maint_fraction_per_year") own.maint_fraction_per_year = value;
  else if (field == "busy_w") hardware->power.busy_w = value;
  else if (field == "idle_w") hardware->power.idle_w = value;
  else if (field == "gpus_per_unit") hardware->gpus_per_unit = static_cast<long long>(value);
  else if (field == "usd_per_gpu_hour") {
    if (hardware->rent.empty()) hardware->rent.push_back({"override", "", value, {"--set " + text, "now"}});
    for (Rental& r : hardware->rent) {
      r.usd_per_gpu_hour = value;
      if (r.provider != "override") r.sourced.source += note;
    }
  }
  if (field == "busy_w" || field == "idle_w") hardware->power.sourced.source += note;
  else if (field != "usd_per_gpu_hour" && field != "gpus_per_unit") own.sourced.source += note;
}

namespace {

// Words that say how weights are stored, not which weights they are.
bool is_quantisation_word(const std::string& w) {
  static const std::set<std::string> k_words = {"awq", "gptq", "int4", "int8", "fp8", "fp4", "nvfp4", "mxfp4", "w4a16",
                                                "w8a8", "w4a4", "w8a16", "bnb", "4bit", "8bit", "gguf", "dynamic", "exl2"};
  return k_words.count(w) || w.rfind("quantized", 0) == 0;
}

bool is_format_word(const std::string& w) { return w == "hf" || w == "bf16" || w == "fp16" || w == "fp32"; }

}  // namespace

ModelName normalise_model_name(std::string_view model_id) {
  std::string name = strings::lower(strings::trim(model_id));
  if (const auto slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
  std::replace(name.begin(), name.end(), '_', '-');
  std::replace(name.begin(), name.end(), ' ', '-');
  std::vector<std::string> words;
  for (std::string& w : strings::split(name, '-'))
    if (!w.empty()) words.push_back(std::move(w));
  if (words.size() > 1 && ((words[0] == "meta" && words[1].rfind("llama", 0) == 0) ||
                           (words[0] == "nvidia" && words[1].rfind("nemotron", 0) == 0)))
    words.erase(words.begin());
  // Strip from the end only, so "qwen3-coder-30b-fp8" loses "fp8" but a word inside a name stays.
  std::vector<std::string> removed;
  while (words.size() > 1 && (is_quantisation_word(words.back()) || is_format_word(words.back()))) {
    if (is_quantisation_word(words.back())) removed.insert(removed.begin(), words.back());
    words.pop_back();
  }
  return {strings::join(words, "-"), strings::join(removed, "-")};
}

std::vector<ApiMatch> api_models_for(const Catalog& catalog, std::string_view model_id, std::string_view quantization) {
  const ModelName model = normalise_model_name(model_id);
  std::string quant = model.quantisation;
  if (quant.empty()) quant = strings::lower(strings::trim(quantization));
  std::vector<ApiMatch> same, different;
  for (const ApiModel& api : catalog.api_models) {
    if (api.serves.empty()) {
      different.push_back({&api, false, false, "", "a different model"});
      continue;
    }
    if (model.base.empty()) continue;
    for (const std::string& served : api.serves) {
      const ModelName s = normalise_model_name(served);
      if (s.base != model.base) continue;
      ApiMatch m{&api, true, !quant.empty() && s.quantisation.empty(), served, "serves the same weights"};
      if (m.quantised_variant) m.note = "serves the full-precision weights this quantised model (" + quant + ") was made from";
      if (!api.serves_precision.empty()) m.note += " (the API runs them at " + api.serves_precision + ")";
      same.push_back(std::move(m));
      break;
    }
  }
  same.insert(same.end(), different.begin(), different.end());
  return same;
}

}  // namespace sitegen::econ
