#include "store/layout.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::store {

namespace {

// A slug that can never be "." or ".." or a hidden name (strings::slug drops leading dots); ""
// where nothing usable is stated (strings::slug says "unknown" then).
std::string safe_slug(const std::string& s) {
  std::string out = strings::slug(s);
  out.erase(0, out.find_first_not_of('.'));
  return out == "unknown" ? std::string() : out;
}

// The last path segment of a model id ("meta-llama/Llama-3.1-8B-Instruct" -> "llama-3.1-8b-instruct").
std::string model_name(const std::string& id) {
  const auto slash = id.find_last_of('/');
  return safe_slug(slash == std::string::npos ? id : id.substr(slash + 1));
}

std::string slug_or_unknown(const std::string& s) {
  const std::string out = safe_slug(s);
  return out.empty() ? "unknown" : out;
}

void check_run_id(const std::string& run_id) {
  if (run_id.empty()) throw Error("report has no run id (/provenance/run_id)");
  if (run_id == "." || run_id == ".." || run_id.find("..") != std::string::npos) {
    throw Error("run id '" + run_id + "' would leave the results tree (/provenance/run_id)");
  }
  for (char c : run_id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      throw Error("run id contains a character that is not allowed in a path segment "
                  "(use A-Z a-z 0-9 . _ -) (/provenance/run_id)");
    }
  }
}

// A parallelism degree belongs to the key only above 1 (1 is what an unstated degree means).
std::optional<long long> degree(const std::optional<long long>& d) {
  return d && *d > 1 ? d : std::nullopt;
}

// The arrival mode the points show when the workload does not state one.
std::string arrival_of(const model::Report& report) {
  const std::string a = strings::lower(report.workload.arrival);
  if (a == "concurrency" || a == "closed" || a == "closed-loop") return "concurrency";
  if (a == "rate" || a == "open" || a == "open-loop" || a == "poisson") return "rate";
  if (report.points.empty()) return "";
  const bool all_conc = std::all_of(report.points.begin(), report.points.end(),
                                    [](const model::Point& p) { return p.concurrency && !p.request_rate_rps && !p.request_rate_inf; });
  const bool all_rate = std::all_of(report.points.begin(), report.points.end(),
                                    [](const model::Point& p) { return !p.concurrency && (p.request_rate_rps || p.request_rate_inf); });
  return all_conc ? "concurrency" : all_rate ? "rate" : "";
}

// True when the model's slug already names the precision as a whole token ("...-awq-int4").
bool names_precision(const std::string& model, const std::string& precision) {
  for (const std::string& token : strings::split(model, '-'))
    if (token == precision) return true;
  return false;
}

std::string engine_segment(const ConfigKey& k) {
  std::string out = k.engine;
  const auto add = [&](const char* name, const std::optional<long long>& d) {
    if (d) out += std::string("-") + name + std::to_string(*d);
  };
  add("tp", k.tp);
  add("pp", k.pp);
  add("dp", k.dp);
  add("ep", k.ep);
  return out;
}

std::string workload_segment(const ConfigKey& k) {
  std::string out = k.benchmark;
  if (k.workload_unstated()) return out + "-workload-not-stated";
  if (!k.dataset.empty()) out += "-" + k.dataset;
  if (k.input_len) out += "-in" + std::to_string(*k.input_len);
  if (k.output_len) out += "-out" + std::to_string(*k.output_len);
  if (k.arrival == "concurrency") out += "-conc";
  if (k.arrival == "rate") out += "-rate";
  return out;
}

std::string number_or(const std::optional<long long>& v, const char* none) {
  return v ? std::to_string(*v) : std::string(none);
}

}  // namespace

bool ConfigKey::workload_unstated() const {
  return dataset.empty() && !input_len && !output_len && arrival.empty();
}

std::string ConfigKey::id() const {
  std::string first = model;
  if (precision == "unknown" || !names_precision(model, precision)) first += "-" + precision;
  const std::string hw = gpus > 0 ? hardware + "-" + std::to_string(gpus) + "gpu" : hardware;
  return first + "/" + hw + "/" + engine_segment(*this) + "/" + workload_segment(*this);
}

std::string ConfigKey::workload_text() const {
  if (workload_unstated()) return "workload not stated";
  std::vector<std::string> parts;
  parts.push_back(dataset.empty() ? "dataset not stated" : "dataset " + dataset);
  if (input_len || output_len)
    parts.push_back("input " + number_or(input_len, "?") + " / output " + number_or(output_len, "?") + " tokens");
  else
    parts.push_back("lengths not stated");
  parts.push_back(arrival == "concurrency" ? "closed loop (concurrency)"
                  : arrival == "rate"      ? "open loop (request rate)"
                                           : "arrival not stated");
  return strings::join(parts, ", ");
}

std::string ConfigKey::workload_short() const {
  if (workload_unstated()) return "workload not stated";
  std::vector<std::string> parts;
  if (!dataset.empty()) parts.push_back(dataset);
  if (input_len || output_len) parts.push_back(number_or(input_len, "?") + " in / " + number_or(output_len, "?") + " out");
  if (!arrival.empty()) parts.push_back(arrival);
  return strings::join(parts, ", ");
}

std::string ConfigKey::workload_id() const { return workload_segment(*this); }

std::string ConfigKey::engine_text() const {
  std::string out = engine == "unknown" ? "engine not stated" : engine;
  const auto add = [&](const char* name, const std::optional<long long>& d) {
    if (d) out += std::string(" ") + name + " " + std::to_string(*d);
  };
  add("tp", tp);
  add("pp", pp);
  add("dp", dp);
  add("ep", ep);
  return out;
}

ConfigKey config_key(const model::Report& report) {
  const model::System& s = report.system;
  ConfigKey key;
  key.model = slug_or_unknown(model_name(s.model.id));
  key.precision = slug_or_unknown(s.model.precision);
  key.hardware = slug_or_unknown(s.gpu.model);
  key.gpus = std::max(0LL, s.gpu.count.value_or(0));
  key.engine = slug_or_unknown(s.engine.name);
  key.tp = degree(s.parallelism.tp);
  key.pp = degree(s.parallelism.pp);
  key.dp = degree(s.parallelism.dp);
  key.ep = degree(s.parallelism.ep);
  key.benchmark = safe_slug(report.workload.benchmark);
  if (key.benchmark.empty()) key.benchmark = "serving";
  key.dataset = safe_slug(report.workload.dataset);
  key.input_len = report.workload.input_len;
  key.output_len = report.workload.output_len;
  key.arrival = arrival_of(report);
  return key;
}

std::vector<std::string> mismatches(const ConfigKey& a, const ConfigKey& b) {
  std::vector<std::string> out;
  const auto text = [](const std::string& s) { return s == "unknown" ? std::string() : s; };
  const auto num = [](const std::optional<long long>& v) { return v ? std::to_string(*v) : std::string(); };
  // A field one side does not state cannot be shown to differ: only stated values conflict.
  const auto differ = [&](const char* what, const std::string& x, const std::string& y) {
    if (!x.empty() && !y.empty() && x != y) out.push_back(std::string(what) + " " + x + " vs " + y);
  };
  differ("benchmark", text(a.benchmark), text(b.benchmark));
  differ("dataset", text(a.dataset), text(b.dataset));
  differ("input length", num(a.input_len), num(b.input_len));
  differ("output length", num(a.output_len), num(b.output_len));
  differ("arrival", text(a.arrival), text(b.arrival));
  differ("engine", text(a.engine), text(b.engine));
  // A parallelism degree left out of a key is 1.
  const auto degree_text = [](const std::optional<long long>& v) { return std::to_string(v.value_or(1)); };
  if (text(a.engine) == text(b.engine) || text(a.engine).empty() || text(b.engine).empty()) {
    differ("tensor parallel", degree_text(a.tp), degree_text(b.tp));
    differ("pipeline parallel", degree_text(a.pp), degree_text(b.pp));
    differ("data parallel", degree_text(a.dp), degree_text(b.dp));
    differ("expert parallel", degree_text(a.ep), degree_text(b.ep));
  }
  return out;
}

std::filesystem::path relative_dir(const model::Report& report) {
  const std::string& run_id = report.provenance.run_id;
  check_run_id(run_id);
  std::string run = run_id;
  if (report.provenance.attempt > 1) run += ".attempt-" + std::to_string(report.provenance.attempt);
  return std::filesystem::path(config_key(report).id()) / run;
}

}  // namespace sitegen::store
