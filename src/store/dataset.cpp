#include "store/dataset.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "model/json_io.hpp"
#include "util/files.hpp"
#include "util/hash.hpp"

namespace sitegen::store {

namespace fs = std::filesystem;

namespace {

std::optional<double> point_total_tps(const model::Point& p) {
  if (p.total_throughput_tps) return p.total_throughput_tps;
  if (p.input_throughput_tps && p.output_throughput_tps) return *p.input_throughput_tps + *p.output_throughput_tps;
  return std::nullopt;
}

// The load of a point as one sortable number: concurrency, else request rate (inf is heaviest).
double load_of(const model::Point& p) {
  if (p.concurrency) return static_cast<double>(*p.concurrency);
  if (p.request_rate_inf) return 1e300;
  return p.request_rate_rps.value_or(0);
}

void max_into(std::optional<double>& best, std::optional<double> v) {
  if (v && (!best || *v > *best)) best = v;
}

bool run_order(const RunSummary& a, const RunSummary& b) {
  return std::tie(a.run_id, a.attempt) < std::tie(b.run_id, b.attempt);
}

model::Json key_to_json(const ConfigKey& key) {
  model::Json j = {{"model", key.model},   {"precision", key.precision}, {"hardware", key.hardware},
                   {"gpus", key.gpus},     {"engine", key.engine},       {"benchmark", key.benchmark}};
  const auto opt = [&](const char* name, const std::optional<long long>& v) {
    if (v) j[name] = *v;
  };
  opt("tp", key.tp);
  opt("pp", key.pp);
  opt("dp", key.dp);
  opt("ep", key.ep);
  if (!key.dataset.empty()) j["dataset"] = key.dataset;
  opt("input_len", key.input_len);
  opt("output_len", key.output_len);
  if (!key.arrival.empty()) j["arrival"] = key.arrival;
  return j;
}

// Reads a key written by key_to_json. A key written before the workload joined it (no dataset,
// lengths or arrival) reads as "workload not stated"; `sitegen migrate` rewrites such entries.
ConfigKey key_from_json(const model::Json& j, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": expected an object with the configuration key");
  try {
    ConfigKey key;
    key.model = j.at("model").get<std::string>();
    key.precision = j.at("precision").get<std::string>();
    key.hardware = j.at("hardware").get<std::string>();
    key.gpus = j.at("gpus").get<long long>();
    key.engine = j.at("engine").get<std::string>();
    key.benchmark = j.at("benchmark").get<std::string>();
    const auto opt = [&](const char* name, std::optional<long long>& v) {
      if (j.contains(name)) v = j.at(name).get<long long>();
    };
    opt("tp", key.tp);
    opt("pp", key.pp);
    opt("dp", key.dp);
    opt("ep", key.ep);
    key.dataset = j.value("dataset", "");
    opt("input_len", key.input_len);
    opt("output_len", key.output_len);
    key.arrival = j.value("arrival", "");
    return key;
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": configuration key: " + e.what());
  }
}

struct Loaded {
  std::optional<Run> run;
  std::optional<Problem> problem;   // the load failure
  std::optional<Problem> warning;   // filed in the wrong place
};

Loaded load_run(const fs::path& file, const fs::path& root, bool has_notes) {
  Loaded out;
  try {
    Run run;
    const std::string text = files::read(file, std::size_t(256) << 20);
    run.report = model::parse_report(text, file.string());
    run.path = file;
    run.relative = files::display(file.parent_path(), root);
    if (has_notes) run.notes_md = files::read(file.parent_path() / "notes.md", std::size_t(1) << 20);
    run.fingerprint = hash::of(text);
    run.summary = summarize(run.report);
    try {
      const std::string expected = relative_dir(run.report).generic_string();
      if (expected != run.relative) {
        out.warning = Problem{Problem::Severity::warning, file.string(), "",
                              "filed under " + run.relative + " but its content places it at " + expected +
                                  "; it is loaded and published all the same, as a run of the configuration "
                                  "its content names (move it there, or let sitegen merge file it; 'sitegen migrate "
                                  "RESULTS' moves a tree of an earlier layout)"};
      }
    } catch (const Error& e) {
      out.warning = Problem{Problem::Severity::warning, file.string(), "", e.what()};
    }
    out.run = std::move(run);
  } catch (const Error& e) {
    out.problem = Problem{Problem::Severity::error, "", "", e.what()};
  }
  return out;
}

// Parsing and validating dominates; spread the files over up to `threads` workers, each result
// in its own slot so errors stay per file and the order stays deterministic.
// `notes` holds the notes.md files the listing found (no stat per run to look for one).
std::vector<Loaded> load_all(const std::vector<fs::path>& reports, const std::set<fs::path>& notes,
                             const fs::path& root, unsigned threads) {
  std::vector<Loaded> results(reports.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < reports.size(); i = next++) {
      results[i] = load_run(reports[i], root, notes.count(reports[i].parent_path() / "notes.md") > 0);
    }
  };
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, reports.size() / 16)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return results;
}

struct HistoryEntries {
  fs::path dir;
  std::vector<RunSummary> runs;
};

// history.json: [{"config": key, ...summary}, ...]
void read_history(const fs::path& file, std::map<ConfigKey, HistoryEntries>& out,
                  std::vector<Problem>& problems) {
  try {
    const model::Json doc = model::read_json_file(file);
    if (!doc.is_array()) throw Error(file.string() + ": expected a JSON array of run summaries");
    for (std::size_t i = 0; i < doc.size(); ++i) {
      const std::string where = file.string() + ": /" + std::to_string(i);
      const model::Json& entry = doc[i];
      if (!entry.is_object() || !entry.contains("config")) throw Error(where + ": expected an object with \"config\"");
      HistoryEntries& entries = out[key_from_json(entry["config"], where + "/config")];
      entries.dir = file.parent_path();
      entries.runs.push_back(summary_from_json(entry, where));
    }
  } catch (const Error& e) {
    problems.push_back({Problem::Severity::error, "", "", e.what()});
  }
}

void finish(Configuration& config, std::vector<RunSummary> pruned) {
  std::sort(config.runs.begin(), config.runs.end(),
            [](const Run& a, const Run& b) { return run_order(a.summary, b.summary); });
  for (std::size_t i = 0; i < config.runs.size(); ++i) {
    if (config.runs[i].summary.has_success()) config.latest = i;
  }
  config.history.clear();
  for (const Run& r : config.runs) config.history.push_back(r.summary);
  for (RunSummary& s : pruned) {
    const bool on_disk = std::any_of(config.runs.begin(), config.runs.end(), [&](const Run& r) {
      return r.summary.run_id == s.run_id && r.summary.attempt == s.attempt;
    });
    if (on_disk) continue;
    s.pruned = true;
    config.history.push_back(std::move(s));
  }
  std::sort(config.history.begin(), config.history.end(), run_order);
}

}  // namespace

RunSummary summarize(const model::Report& report) {
  RunSummary s;
  s.run_id = report.provenance.run_id;
  s.attempt = report.provenance.attempt;
  s.started_at = report.provenance.started_at;
  s.status = report.status;
  s.git_sha = report.provenance.git_sha;
  s.points = report.points.size();
  const model::Point* lightest = nullptr;
  for (const model::Point& p : report.points) {
    s.completed += p.completed.value_or(0);
    s.failed += p.failed.value_or(0);
    max_into(s.max_output_tps, p.output_throughput_tps);
    max_into(s.max_total_tps, point_total_tps(p));
    if ((!p.completed || *p.completed > 0) && (!lightest || load_of(p) < load_of(*lightest))) lightest = &p;
  }
  const bool any_count = std::any_of(report.points.begin(), report.points.end(),
                                     [](const model::Point& p) { return p.completed.has_value(); });
  // Without counts, a measured throughput or latency shows that requests completed.
  const bool latency = std::any_of(report.points.begin(), report.points.end(), [](const model::Point& p) {
    return p.ttft_ms.percentile(50) || p.tpot_ms.percentile(50) || p.e2el_ms.percentile(50) || p.ttft_ms.mean;
  });
  s.counts_unknown = !any_count && ((s.max_output_tps && *s.max_output_tps > 0) ||
                                    (s.max_total_tps && *s.max_total_tps > 0) || latency);
  if (lightest) {
    s.min_ttft_p50_ms = lightest->ttft_ms.percentile(50);
    s.min_tpot_p50_ms = lightest->tpot_ms.percentile(50);
  }
  return s;
}

const Run* Configuration::latest_run() const { return latest ? &runs[*latest] : nullptr; }

std::string Configuration::last_date() const {
  std::string best;
  for (const RunSummary& s : history) best = std::max(best, s.started_at.empty() ? s.run_id : s.started_at);
  return best;
}

std::size_t Dataset::run_count() const {
  std::size_t n = 0;
  for (const Configuration& c : configurations) n += c.runs.size();
  return n;
}

fs::path history_path(const fs::path& config_dir) { return config_dir / "history.json"; }

model::Json summary_to_json(const RunSummary& s) {
  model::Json j = {{"run_id", s.run_id}, {"attempt", s.attempt}};
  if (!s.started_at.empty()) j["started_at"] = s.started_at;
  j["status"] = s.status;
  if (!s.git_sha.empty()) j["git_sha"] = s.git_sha;
  j["completed"] = s.completed;
  j["failed"] = s.failed;
  j["points"] = s.points;
  if (s.max_output_tps) j["max_output_tps"] = *s.max_output_tps;
  if (s.max_total_tps) j["max_total_tps"] = *s.max_total_tps;
  if (s.min_ttft_p50_ms) j["min_ttft_p50_ms"] = *s.min_ttft_p50_ms;
  if (s.min_tpot_p50_ms) j["min_tpot_p50_ms"] = *s.min_tpot_p50_ms;
  if (s.counts_unknown) j["counts_unknown"] = true;
  if (s.pruned) j["pruned"] = true;
  return j;
}

RunSummary summary_from_json(const model::Json& j, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": expected an object");
  RunSummary s;
  try {
    s.run_id = j.at("run_id").get<std::string>();
    s.attempt = j.value("attempt", 1LL);
    s.started_at = j.value("started_at", std::string());
    s.status = j.value("status", std::string());
    s.git_sha = j.value("git_sha", std::string());
    s.completed = j.value("completed", 0LL);
    s.failed = j.value("failed", 0LL);
    s.points = j.value("points", std::size_t(0));
    auto number = [&](const char* k) -> std::optional<double> {
      if (!j.contains(k)) return std::nullopt;
      return j.at(k).get<double>();
    };
    s.max_output_tps = number("max_output_tps");
    s.max_total_tps = number("max_total_tps");
    s.min_ttft_p50_ms = number("min_ttft_p50_ms");
    s.min_tpot_p50_ms = number("min_tpot_p50_ms");
    s.pruned = j.value("pruned", false);
    s.counts_unknown = j.value("counts_unknown", false);
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": run summary: " + e.what());
  }
  if (s.run_id.empty()) throw Error(where + "/run_id: empty run id");
  return s;
}

Dataset load_dataset(const fs::path& root, unsigned threads) {
  Dataset dataset;
  dataset.root = root;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    dataset.problems.push_back({Problem::Severity::error, root.string(), "",
                                "results directory not found (run sitegen merge or sitegen import --into it)"});
    return dataset;
  }
  const files::Listing listing = files::list_recursive({root}, "");
  for (const std::string& p : listing.problems) dataset.problems.push_back({Problem::Severity::error, "", "", p});
  std::vector<fs::path> reports;
  std::set<fs::path> notes;
  std::map<ConfigKey, HistoryEntries> history;
  for (const fs::path& file : listing.files) {
    const std::string name = file.filename().string();
    if (name == "report.json") reports.push_back(file);
    else if (name == "notes.md") notes.insert(file);
    else if (name == "history.json") read_history(file, history, dataset.problems);
    else if (name.rfind("report.conflict-", 0) == 0 && name.ends_with(".json")) {
      dataset.problems.push_back({Problem::Severity::warning, file.string(), "",
                                  "unresolved merge conflict: a second report for the same run id and attempt "
                                  "(not published; compare it with report.json beside it, keep one, delete the other)"});
    }
  }

  std::map<ConfigKey, Configuration> configs;
  for (Loaded& loaded : load_all(reports, notes, root, threads)) {
    if (loaded.problem) dataset.problems.push_back(std::move(*loaded.problem));
    if (loaded.warning) dataset.problems.push_back(std::move(*loaded.warning));
    if (!loaded.run) continue;
    const ConfigKey key = config_key(loaded.run->report);
    Configuration& config = configs[key];
    if (config.runs.empty()) config.dir = loaded.run->path.parent_path().parent_path();
    config.runs.push_back(std::move(*loaded.run));
  }
  // A configuration may be known from history alone (its runs pruned or deleted by hand).
  for (auto& [key, entries] : history) {
    Configuration& config = configs[key];
    if (config.dir.empty()) config.dir = entries.dir;
  }
  for (auto& [key, config] : configs) {
    config.key = key;
    config.id = key.id();
    auto h = history.find(key);
    finish(config, h == history.end() ? std::vector<RunSummary>{} : std::move(h->second.runs));
    dataset.configurations.push_back(std::move(config));
  }
  std::sort(dataset.configurations.begin(), dataset.configurations.end(),
            [](const Configuration& a, const Configuration& b) { return a.id < b.id; });
  return dataset;
}

model::Json key_json(const ConfigKey& key) { return key_to_json(key); }

ConfigKey key_from_json_at(const model::Json& json, const std::string& where) { return key_from_json(json, where); }

model::Json history_entry(const ConfigKey& key, const RunSummary& summary) {
  model::Json j = {{"config", key_to_json(key)}};
  j.update(summary_to_json(summary));
  return j;
}

model::Json dataset_json(const Dataset& dataset, const EconomicsJson& economics) {
  model::Json configs = model::Json::array();
  for (const Configuration& c : dataset.configurations) {
    model::Json j = {{"id", c.id}, {"key", key_to_json(c.key)}, {"runs", c.runs.size()},
                     {"last_date", c.last_date()}};
    if (const Run* latest = c.latest_run()) {
      model::Report report = latest->report;
      for (model::Point& p : report.points) p.samples = {};  // per-request arrays: in the report itself
      j["latest"] = {{"run_id", latest->summary.run_id}, {"attempt", latest->summary.attempt},
                     {"path", latest->relative + "/report.json"}, {"report", model::to_json(report)}};
      if (economics) j["economics"] = economics(c, *latest);
    } else {
      j["latest"] = nullptr;
    }
    model::Json history = model::Json::array();
    for (const RunSummary& s : c.history) history.push_back(summary_to_json(s));
    j["history"] = std::move(history);
    configs.push_back(std::move(j));
  }
  // Published: files are named from the results directory on ("results/x/report.json"), never
  // by where the tree lay on the machine that built the site.
  model::Json problems = model::Json::array();
  const std::string above = dataset.root.parent_path().empty() ? "" : dataset.root.parent_path().string() + "/";
  for (const Problem& p : dataset.problems) {
    std::string text = p.str();
    for (std::size_t at = above.empty() ? std::string::npos : text.find(above); at != std::string::npos;
         at = text.find(above, at)) {
      text.erase(at, above.size());
    }
    problems.push_back(std::move(text));
  }
  return {{"schema", "sitegen.dataset/v1"}, {"configurations", std::move(configs)}, {"problems", std::move(problems)}};
}

}  // namespace sitegen::store
