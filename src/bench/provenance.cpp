#include "bench/provenance.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

#include "bench/http_client_curl.hpp"
#include "model/json_io.hpp"
#include "model/validate.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::bench {

using model::Json;

std::vector<std::string> parse_models(std::string_view body, const std::string& where) {
  Json doc;
  if (const std::string deep = model::nesting_problem(body); !deep.empty()) throw Error(where + ": " + deep);
  try {
    doc = Json::parse(body);
  } catch (const Json::exception&) {
    throw Error(where + ": not JSON; is this an OpenAI-compatible server?");
  }
  if (!doc.is_object() || !doc.contains("data") || !doc["data"].is_array())
    throw Error(where + ": expected {\"data\": [{\"id\": ...}]}, an OpenAI model list");
  std::vector<std::string> ids;
  for (const Json& m : doc["data"]) {
    if (m.is_object() && m.contains("id") && m["id"].is_string()) ids.push_back(m["id"].get<std::string>());
  }
  return ids;
}

ServerInfo query_server(const std::string& base_url, double timeout_s) {
  ServerInfo info;
  const std::string models_url = base_url + "/v1/models";
  const FetchResult models = http_fetch(models_url, timeout_s);
  if (models.status == 0) throw Error(models_url + ": cannot reach the server: " + models.error);
  if (models.status != 200) throw Error(models_url + ": HTTP " + std::to_string(models.status));
  info.models = parse_models(models.body, models_url);
  info.models_raw = Json::parse(models.body);
  const FetchResult version = http_fetch(base_url + "/version", timeout_s);
  if (version.status == 200) {
    try {
      const Json v = Json::parse(version.body);
      if (v.is_object() && v.contains("version") && v["version"].is_string())
        info.version = v["version"].get<std::string>();
    } catch (const Json::exception&) {
      // A /version that is not JSON says nothing we can use.
    }
  }
  info.simulator = info.version.rfind("sitegen-sim", 0) == 0;
  return info;
}

std::optional<GpuInventory> parse_gpu_inventory(std::string_view csv) {
  GpuInventory inv;
  for (const std::string& line : strings::split(csv, '\n')) {
    const std::vector<std::string> cols = strings::split(line, ',');
    if (cols.size() < 3 || strings::trim(cols[0]).empty()) continue;
    if (inv.count == 0) {
      inv.model = std::string(strings::trim(cols[0]));
      try {
        inv.memory_gb = std::stod(std::string(strings::trim(cols[1]))) / 1024.0;
      } catch (const std::exception&) {
        inv.memory_gb = 0;
      }
      inv.driver = std::string(strings::trim(cols[2]));
    }
    ++inv.count;
  }
  if (inv.count == 0) return std::nullopt;
  return inv;
}

std::optional<GpuInventory> query_gpus() {
  FILE* pipe = popen("nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits 2>/dev/null", "r");
  if (!pipe) return std::nullopt;
  std::string text;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) text.append(buf, n);
  if (pclose(pipe) != 0) return std::nullopt;
  return parse_gpu_inventory(text);
}

void apply_ci_environment(model::Provenance& p, const char* (*getenv)(const char*)) {
  auto get = [getenv](const char* name) {
    const char* v = getenv(name);
    return std::string(v ? v : "");
  };
  if (!get("GITHUB_ACTIONS").empty() || !get("GITHUB_RUN_ID").empty()) p.ci_provider = "github-actions";
  p.git_sha = get("GITHUB_SHA");
  p.git_ref = get("GITHUB_REF");
  p.ci_run_id = get("GITHUB_RUN_ID");
  p.ci_runner = get("RUNNER_NAME");
  const std::string attempt = get("GITHUB_RUN_ATTEMPT");
  if (!attempt.empty()) {
    try {
      p.ci_attempt = std::stoll(attempt);
      p.attempt = *p.ci_attempt;
    } catch (const std::exception&) {
      // Not a number: leave the attempt unknown rather than guess.
    }
  }
}

model::Report apply_overrides(const model::Report& report, const std::vector<std::string>& items) {
  if (items.empty()) return report;
  Json doc = model::to_json(report);
  for (const std::string& item : items) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) throw Error("--set " + item + ": expected PATH=VALUE, e.g. system.gpu.model=H100");
    const std::string text = item.substr(eq + 1);
    Json value = text;
    if (text == "true" || text == "false" || (!text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-'))) {
      try {
        value = Json::parse(text);
      } catch (const Json::exception&) {
        value = text;
      }
    }
    Json* at = &doc;
    const std::vector<std::string> keys = strings::split(item.substr(0, eq), '.');
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (!at->is_object() || keys[i].empty()) throw Error("--set " + item + ": '" + keys[i] + "' is not inside an object");
      at = &(*at)[keys[i]];
    }
    *at = value;
  }
  for (const Problem& problem : model::validate_report(doc, "--set")) {
    if (problem.severity == Problem::Severity::error) throw Error(problem.str());
  }
  return model::from_json(doc, "--set");
}

std::string run_id_for(long long unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

std::string iso_utc(long long unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace sitegen::bench
