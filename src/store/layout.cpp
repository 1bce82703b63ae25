#include "store/layout.hpp"

#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::store {

namespace {

// The last path segment of a model id ("meta-llama/Llama-3.1-8B-Instruct" -> "llama-3.1-8b-instruct").
std::string model_name(const std::string& id) {
  const auto slash = id.find_last_of('/');
  return strings::slug(slash == std::string::npos ? id : id.substr(slash + 1));
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

}  // namespace

std::string ConfigKey::id() const {
  std::string out = model + "-" + precision + "/" + hardware + "-" + std::to_string(gpus) + "gpu/" + benchmark;
  if (!engine.empty() && engine != "unknown") out += "/" + engine;
  return out;
}

ConfigKey config_key(const model::Report& report) {
  const model::System& s = report.system;
  ConfigKey key;
  key.model = model_name(s.model.id);
  key.precision = strings::slug(s.model.precision.empty() ? "unknown" : s.model.precision);
  key.hardware = strings::slug(s.gpu.model.empty() ? "unknown" : s.gpu.model);
  key.gpus = s.gpu.count.value_or(0);
  key.engine = strings::slug(s.engine.name.empty() ? "unknown" : s.engine.name);
  key.benchmark = strings::slug(report.workload.benchmark.empty() ? "serving" : report.workload.benchmark);
  return key;
}

std::filesystem::path relative_dir(const model::Report& report) {
  const std::string& run_id = report.provenance.run_id;
  check_run_id(run_id);
  const ConfigKey key = config_key(report);
  std::string run = run_id;
  if (report.provenance.attempt > 1) run += ".attempt-" + std::to_string(report.provenance.attempt);
  return std::filesystem::path(key.model + "-" + key.precision) /
         (key.hardware + "-" + std::to_string(key.gpus) + "gpu") / key.benchmark / run;
}

}  // namespace sitegen::store
