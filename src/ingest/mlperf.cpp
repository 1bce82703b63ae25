// MLPerf Inference results of the LLM benchmarks: loadgen's `mlperf_log_summary.txt` (text, not
// JSON) of one Server, Interactive or Offline run, read in the submission layout
// `<division>/<submitter>/results/<system>/<benchmark>/<scenario>/performance/run_N/`, with the
// system description `<division>/<submitter>/systems/<system>.json` beside `results/` for the
// hardware and software. The layout names the benchmark (the summary does not); the published
// repositories `inference_results_v<round>` name the round. site/pages/mlperf-results.md says what
// each number means.

#include <charconv>
#include <cmath>
#include <optional>

#include "ingest/fields.hpp"
#include "model/json_io.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/strings.hpp"

namespace sitegen::ingest {

namespace {

namespace fs = std::filesystem;

const char* k_tool = "MLPerf Inference (loadgen)";

// MLPerf's LLM benchmarks: the model each one runs (fixed by the benchmark's rules) and its
// dataset where the benchmark names one. A benchmark directory is the base name, optionally with
// "-interactive" and the accuracy target ("-99", "-99.9").
struct LlmBenchmark {
  std::string_view base, model_id, dataset;
};
constexpr LlmBenchmark k_benchmarks[] = {
    {"llama2-70b", "meta-llama/Llama-2-70b-chat-hf", "OpenOrca"},
    {"mixtral-8x7b", "mistralai/Mixtral-8x7B-Instruct-v0.1", "OpenOrca, GSM8K, MBXP"},
    {"llama3.1-405b", "meta-llama/Llama-3.1-405B-Instruct", ""},
    {"llama3.1-8b", "meta-llama/Llama-3.1-8B-Instruct", "CNN/DailyMail"},
    {"deepseek-r1", "deepseek-ai/DeepSeek-R1", ""},
};

struct BenchmarkName {
  const LlmBenchmark* known = nullptr;
  std::string accuracy;  // "99", "99.9" or ""
  bool interactive = false;
};

BenchmarkName parse_benchmark(std::string name) {
  BenchmarkName b;
  for (const char* target : {"-99.9", "-99"}) {
    if (name.ends_with(target)) {
      b.accuracy = std::string(target + 1);
      name.resize(name.size() - std::string_view(target).size());
      break;
    }
  }
  if (name.ends_with("-interactive")) {
    b.interactive = true;
    name.resize(name.size() - 12);
  }
  for (const LlmBenchmark& k : k_benchmarks) {
    if (k.base == name) b.known = &k;
  }
  return b;
}

// One "key : value" line of the summary; keys are lower case with single spaces.
struct Line {
  std::string key, value;
  std::size_t number = 0;
};

std::string normal_key(std::string_view raw) {
  std::string key;
  for (const char c : strings::lower(strings::trim(raw))) {
    if (c == ' ' && (key.empty() || key.back() == ' ')) continue;
    key += c;
  }
  // loadgen 6.x prints "Min Time per Output Token" beside "percentile time to output token".
  if (const auto at = key.find("time per output token"); at != std::string::npos) key.replace(at, 21, "time to output token");
  return key;
}

class Summary {
 public:
  explicit Summary(std::string_view text) {
    std::size_t number = 0;
    for (std::string_view rest = text; !rest.empty();) {
      const auto nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      ++number;
      m_last = number;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (strings::trim(line).ends_with("errors encountered during test.") ||
          strings::trim(line).ends_with("errors encountered. See detailed log.")) {
        m_closing = number;
      }
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      m_lines.push_back({normal_key(line.substr(0, colon)), std::string(strings::trim(line.substr(colon + 1))), number});
    }
  }
  const Line* find(std::string_view key) const {
    for (const Line& l : m_lines) {
      if (l.key == key) return &l;
    }
    return nullptr;
  }
  std::size_t last_line() const { return m_last; }
  std::size_t closing_line() const { return m_closing; }  // 0 when loadgen's last line is missing

 private:
  std::vector<Line> m_lines;
  std::size_t m_last = 0, m_closing = 0;
};

// Reads summary values, recording what was mapped and what could not be read.
class Reader {
 public:
  Reader(const Summary& s, Account& account, std::vector<std::string>& problems)
      : m_summary(s), m_account(account), m_problems(problems) {}

  // The number on the line `key` divided by `per` (1e6: ns to ms, a division so that 39156781 ns
  // reads 39.156781 ms); a missing line is a problem when required.
  std::optional<double> number(std::string_view key, double per = 1, bool required = false) {
    const Line* l = m_summary.find(key);
    if (!l) {
      if (required) m_problems.push_back("no '" + std::string(key) + "' line");
      return std::nullopt;
    }
    note(m_account.mapped, l->key);
    double d = 0;
    const auto [end, ec] = std::from_chars(l->value.data(), l->value.data() + l->value.size(), d);
    if (ec != std::errc() || end != l->value.data() + l->value.size() || !std::isfinite(d)) {
      m_problems.push_back("line " + std::to_string(l->number) + ": '" + l->key + "': expected a number, got '" +
                           l->value + "'");
      return std::nullopt;
    }
    return d / per;
  }
  // Whether the line is there; a missing required line is a problem.
  bool present(std::string_view key) {
    if (m_summary.find(key)) return true;
    m_problems.push_back("no '" + std::string(key) + "' line");
    return false;
  }
  std::string text(std::string_view key) {
    const Line* l = m_summary.find(key);
    if (!l) return "";
    note(m_account.mapped, l->key);
    return l->value;
  }
  // A loadgen statistic block: "Min|Max|Mean <what> (ns)" and "NN.NN percentile <what> (ns)", in ms.
  model::Stat stat(std::string_view what) {
    model::Stat s;
    const std::string tail = " " + std::string(what) + " (ns)";
    s.min = number("min" + tail, 1e6);
    s.max = number("max" + tail, 1e6);
    s.mean = number("mean" + tail, 1e6);
    for (const char* pct : {"50.00", "90.00", "95.00", "97.00", "99.00", "99.90"}) {
      if (const auto v = number(std::string(pct) + " percentile" + tail, 1e6)) s.set_percentile(std::stod(pct), *v);
    }
    s.median = s.percentile(50);
    return s;
  }
  void keep(Json& extra, std::string_view key, const std::string& as) {
    if (const auto v = number(key)) {
      if (*v == std::floor(*v) && std::fabs(*v) < 9e15) extra[as] = static_cast<long long>(*v);
      else extra[as] = *v;
      note(m_account.extra, std::string(key));
    }
  }

 private:
  const Summary& m_summary;
  Account& m_account;
  std::vector<std::string>& m_problems;
};

// Where the summary sits in the submission layout.
struct Submission {
  std::string round;      // "v4.1" from an `inference_results_v4.1` directory, else ""
  std::string division, submitter, system, benchmark, scenario;
  fs::path system_json;   // <division>/<submitter>/systems/<system>.json
  std::string repo_path;  // the path inside the results repository, when its root is in the path
};

std::optional<Submission> locate(const fs::path& path) {
  const fs::path full = fs::absolute(path).lexically_normal();
  std::vector<std::string> parts;
  for (const fs::path& p : full) parts.push_back(p.string());
  const std::size_t n = parts.size();
  if (n < 9 || parts[n - 7] != "results" || parts[n - 3] != "performance" || !parts[n - 2].starts_with("run_")) {
    return std::nullopt;
  }
  Submission s;
  s.system = parts[n - 6];
  s.benchmark = parts[n - 5];
  s.scenario = parts[n - 4];
  s.submitter = parts[n - 8];
  s.division = parts[n - 9];
  fs::path submitter = full;
  for (int up = 0; up < 7; ++up) submitter = submitter.parent_path();
  s.system_json = submitter / "systems" / (s.system + ".json");
  // The published repositories are named inference_results_v<round>.
  for (std::size_t i = n - 9; i-- > 0;) {
    const auto at = parts[i].find("inference_results_v");
    if (at == std::string::npos) continue;
    s.round = parts[i].substr(at + 19);
    for (std::size_t j = i + 1; j < n; ++j) s.repo_path += (j > i + 1 ? "/" : "") + parts[j];
    break;
  }
  return s;
}

std::string run_id_part(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : '-';
  }
  return out;
}

// "TensorRT 10.2.0, CUDA 12.4" -> tensorrt 10.2.0; "vLLM 0.4.3+rocm614, PyTorch 2.3.0" -> vllm 0.4.3+rocm614.
void engine_from_framework(const std::string& framework, model::Engine& engine) {
  const std::string first = strings::split(framework, ',').front();
  std::string name, version;
  for (const std::string& word : strings::split(std::string(strings::trim(first)), ' ')) {
    if (word.empty()) continue;
    if (version.empty() && !name.empty() && word[0] >= '0' && word[0] <= '9') version = word;
    else if (version.empty()) name += (name.empty() ? "" : " ") + word;
  }
  const std::string n = strings::lower(name);
  engine.name = n == "tensorrt-llm" || n == "trt-llm" ? "trtllm" : strings::slug(n);
  engine.version = version;
}

// A whole number from the system description (some submitters write "8" as text).
std::optional<long long> whole(const Json& j, const char* key, const std::string& file, std::vector<std::string>& problems) {
  if (!j.contains(key)) {
    problems.push_back(file + ": /" + key + ": missing");
    return std::nullopt;
  }
  const Json& v = j.at(key);
  long long out = 0;
  if (v.is_number_integer()) out = v.get<long long>();
  else if (v.is_string()) {
    const std::string s(strings::trim(v.get<std::string>()));
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || end != s.data() + s.size()) out = 0;
  }
  if (out <= 0) {
    problems.push_back(file + ": /" + key + ": expected a positive whole number, got " + v.dump());
    return std::nullopt;
  }
  return out;
}

std::string text_of(const Json& j, const char* key) {
  return j.contains(key) && j.at(key).is_string() ? std::string(strings::trim(j.at(key).get<std::string>())) : "";
}

// Hardware and software from systems/<system>.json into report.system.
void read_system(const Submission& where, model::Report& r, Account& account, std::vector<std::string>& problems) {
  const std::string file = where.system_json.generic_string();
  std::error_code ec;
  if (!fs::is_regular_file(where.system_json, ec)) {
    problems.push_back("no system description at " + file +
                       " (MLPerf's submission layout keeps it in systems/ beside results/)");
    return;
  }
  Json j;
  try {
    j = model::read_json_file(where.system_json);
  } catch (const Error& e) {
    problems.push_back(e.what());
    return;
  }
  if (!j.is_object()) {
    problems.push_back(file + ": expected a JSON object (an MLPerf system description)");
    return;
  }
  account.consumed.push_back(file);
  r.system.gpu.model = text_of(j, "accelerator_model_name");
  if (r.system.gpu.model.empty()) problems.push_back(file + ": /accelerator_model_name: missing or empty");
  const auto per_node = whole(j, "accelerators_per_node", file, problems);
  const auto nodes = whole(j, "number_of_nodes", file, problems);
  if (per_node && nodes) r.system.gpu.count = *per_node * *nodes;
  // "141 GB"
  const std::string memory = text_of(j, "accelerator_memory_capacity");
  double gb = 0;
  const auto [end, mec] = std::from_chars(memory.data(), memory.data() + memory.size(), gb);
  if (mec == std::errc() && strings::trim(std::string_view(end, memory.data() + memory.size() - end)) == "GB" && gb > 0) {
    r.system.gpu.memory_gb = gb;
  }
  const std::string framework = text_of(j, "framework");
  if (!framework.empty()) engine_from_framework(framework, r.system.engine);
  Json& x = r.system.extra;
  for (const char* key : {"system_name", "submitter", "division", "status", "framework", "other_software_stack",
                          "host_processor_model_name", "operating_system", "accelerator_interconnect", "hw_notes",
                          "sw_notes"}) {
    if (const std::string v = text_of(j, key); !v.empty()) x[std::string("mlperf_") + key] = v;
  }
  if (per_node) x["mlperf_accelerators_per_node"] = *per_node;
  if (nodes) x["mlperf_number_of_nodes"] = *nodes;
}

std::string ms(double v) { return format::shortest(v); }

// Round, run id, where MLCommons publishes the file, and the submission's names.
void fill_provenance(const Submission& where, Reader& read, const std::string& hash, model::Provenance& prov) {
  prov.tool_version = where.round.empty() ? "" : "v" + where.round;
  // One result per round, submitter and system: a rerun of the import finds the same id.
  prov.run_id = "mlperf-" + (where.round.empty() ? "" : "v" + where.round + "-") + run_id_part(where.submitter) + "-" +
                run_id_part(where.system) + (where.round.empty() ? "-" + hash : "");
  if (!where.repo_path.empty()) {
    prov.source_url = "https://github.com/mlcommons/inference_results_v" + where.round + "/blob/main/" + where.repo_path;
  }
  for (const auto& [k, v] : {std::pair{"mlperf_round", prov.tool_version}, {"mlperf_division", where.division},
                             {"mlperf_submitter", where.submitter}, {"mlperf_system", where.system},
                             {"mlperf_benchmark", where.benchmark}, {"mlperf_scenario", where.scenario}}) {
    if (!v.empty()) prov.extra[k] = v;
  }
  prov.extra["mlperf_sut_name"] = read.text("sut name");
  read.text("mode");
  read.text("scenario");
  prov.extra["mlperf_result"] = read.text("result is");
}

// The model the benchmark prescribes, the benchmark and its settings.
void fill_workload(const Submission& where, Reader& read, model::Report& r, model::Point& p) {
  const BenchmarkName b = parse_benchmark(where.benchmark);
  r.system.model.id = std::string(b.known->model_id);
  model::Workload& w = r.workload;
  w.benchmark = "mlperf-" + where.benchmark + "-" + strings::lower(where.scenario);
  w.dataset = std::string(b.known->dataset);
  w.arrival = "rate";
  if (!b.accuracy.empty()) w.extra["mlperf_accuracy_target_pct"] = b.accuracy;
  read.keep(w.extra, "performance_sample_count", "mlperf_performance_sample_count");
  read.keep(w.extra, "min_duration (ms)", "mlperf_min_duration_ms");
  read.keep(p.extra, "target_qps", "mlperf_target_qps");
  read.keep(p.extra, "samples_per_query", "mlperf_samples_per_query");
}

// Offline: every sample at t=0; throughput only (loadgen sets no latency limit, so none is kept).
void offline_point(Reader& read, model::Point& p, std::string& notes) {
  p.request_rate_inf = true;
  p.request_throughput_rps = read.number("samples per second", 1, true);
  p.output_throughput_tps = read.number("tokens per second", 1, true);
  notes = "MLPerf Offline scenario: loadgen hands every sample to the system at once and measures throughput "
          "only; it sets no latency limit, so no latency is reported. One load level, not a sweep.";
}

// Server and Interactive: Poisson arrivals at one target rate, judged on p99 TTFT and TPOT limits.
void server_point(const Submission& where, Reader& read, model::Workload& w, model::Point& p, std::string& notes) {
  p.request_rate_rps = read.number("scheduled samples per second", 1, true);
  p.burstiness = 1;
  p.request_throughput_rps = read.number("completed samples per second", 1, true);
  p.output_throughput_tps = read.number("completed tokens per second", 1, true);
  p.ttft_ms = read.stat("first token latency");
  p.tpot_ms = read.stat("time to output token");
  p.e2el_ms = read.stat("latency");
  p.ttft_ms.definition = "MLPerf loadgen: from loadgen issuing the query to the system reporting its first token";
  p.tpot_ms.definition = "MLPerf loadgen: time per output token after the first, per sample";
  p.e2el_ms.definition = "MLPerf loadgen: from loadgen issuing the query to the system completing it";
  w.slo_ttft_ms = read.number("ttft_latency (ns)", 1e6, true);
  w.slo_tpot_ms = read.number("tpot_latency (ns)", 1e6, true);
  read.present("99.00 percentile first token latency (ns)");
  read.present("99.00 percentile time to output token (ns)");
  if (read.present("performance constraints satisfied")) {
    p.slo_held = read.text("performance constraints satisfied") == "Yes";
  }
  notes = "MLPerf " + where.scenario + " scenario: loadgen sends queries at a fixed target rate (Poisson arrivals, "
          "one load level, not a sweep) for at least the minimum duration; the result is VALID only if the "
          "99th-percentile TTFT and TPOT stay within " + ms(w.slo_ttft_ms.value_or(0)) + " ms and " +
          ms(w.slo_tpot_ms.value_or(0)) + " ms (the SLO here). Throughput is completed tokens per second at that rate.";
}

class MlperfImporter : public Importer {
 public:
  std::string name() const override { return "mlperf"; }
  std::string description() const override {
    return "MLPerf Inference mlperf_log_summary.txt of an LLM benchmark (Server, Interactive, Offline) in the "
           "submission layout; reads systems/<system>.json for the hardware";
  }
  bool reads_text() const override { return true; }
  std::string detect_text(std::string_view text) const override {
    const std::string_view head = strings::trim(text.substr(0, 200));
    if (!head.starts_with("=====") || head.find("\nMLPerf Results Summary") == std::string_view::npos) {
      return "does not start with loadgen's 'MLPerf Results Summary' banner";
    }
    return "";
  }
  // The system description beside results/ is read along with the summaries; on its own it is
  // recognised so that the error says what it is.
  std::string detect(const Json& j) const override {
    if (!j.is_object() || !j.contains("accelerator_model_name") || !j.contains("accelerators_per_node") ||
        !j.contains("system_type")) {
      return "not an mlperf_log_summary.txt, nor an MLPerf system description (accelerator_model_name, "
             "accelerators_per_node, system_type)";
    }
    return "";
  }
  Conversion convert(const Source& source) const override {
    if (!source.values.empty()) {
      const std::string stem = source.path.stem().string();
      throw Error(source.file + ": an MLPerf system description: it holds no results; import the "
                  "mlperf_log_summary.txt files under results/" + stem + "/, which read it along");
    }
    Conversion c;
    std::vector<std::string> problems;
    const Summary summary(source.text);
    const std::optional<Submission> where = locate(source.path);
    model::Report r = new_report(source, name(), k_tool);
    check(summary, where, problems);
    if (where) read_system(*where, r, c.account, problems);
    model::Point p;
    Reader read(summary, c.account, problems);
    if (problems.empty()) fill(*where, read, source.content_hash, r, p);
    if (!problems.empty()) {
      if (problems.size() == 1) throw Error(source.file + ": " + problems.front());
      throw Error(source.file + ": not imported:\n  " + strings::join(problems, "\n  "));
    }
    r.points.push_back(std::move(p));
    c.reports.push_back(std::move(r));
    return c;
  }

 private:
  // Refusals that need no numbers: a cut-off file, an accuracy run, an INVALID result, a result
  // without token metrics, a benchmark or layout this importer does not map.
  static void check(const Summary& s, const std::optional<Submission>& where, std::vector<std::string>& problems) {
    if (!s.closing_line()) {
      problems.push_back("cut off: it ends at line " + std::to_string(s.last_line()) +
                         " without loadgen's closing line ('No errors encountered during test.')");
    }
    const Line* mode = s.find("mode");
    if (mode && mode->value != "PerformanceOnly") {
      problems.push_back("line " + std::to_string(mode->number) + ": mode '" + mode->value +
                         "': only a PerformanceOnly run holds performance results");
    }
    const Line* result = s.find("result is");
    if (!result) {
      problems.push_back("cut off or not a loadgen summary: no 'Result is' line");
    } else if (result->value != "VALID") {
      std::string why;
      for (const char* key : {"performance constraints satisfied", "min duration satisfied", "min queries satisfied",
                              "early stopping satisfied"}) {
        if (const Line* l = s.find(key); l && l->value != "Yes") why += (why.empty() ? "" : "; ") + l->key + ": " + l->value;
      }
      problems.push_back("line " + std::to_string(result->number) + ": loadgen marked the result " + result->value +
                         (why.empty() ? "" : " (" + why + ")") + "; an INVALID result is never imported");
    }
    const bool tokens = s.find("tokens per second") || s.find("completed tokens per second");
    if (!tokens && s.find("tokens per second (inferred)")) {
      problems.push_back("its tokens per second are inferred from samples per second, not measured");
    } else if (!tokens) {
      const std::string what = where ? where->benchmark + " " + where->scenario + ": " : "";
      problems.push_back(what + "not an LLM benchmark result: loadgen reports no tokens per second (only " +
                         "samples per second), so it holds no token metrics");
    }
    if (!where) {
      problems.push_back("not in MLPerf's submission layout <division>/<submitter>/results/<system>/<benchmark>/"
                         "<scenario>/performance/run_N/mlperf_log_summary.txt (the benchmark and the system "
                         "description are found from it)");
      return;
    }
    const BenchmarkName b = parse_benchmark(where->benchmark);
    if (!b.known) {
      std::vector<std::string> names;
      for (const LlmBenchmark& k : k_benchmarks) names.emplace_back(k.base);
      problems.push_back("benchmark '" + where->benchmark + "' (from the path) is not one of MLPerf's LLM benchmarks " +
                         "sitegen maps: " + strings::join(names, ", "));
    }
    const Line* scenario = s.find("scenario");
    const std::string dir = where->scenario;
    if (dir != "Server" && dir != "Offline" && dir != "Interactive") {
      problems.push_back("scenario '" + dir + "' (from the path): only Server, Interactive and Offline are mapped");
    } else if (!scenario) {
      problems.push_back("cut off or not a loadgen summary: no 'Scenario' line");
    } else if (scenario->value != (dir == "Offline" ? "Offline" : "Server")) {
      problems.push_back("line " + std::to_string(scenario->number) + ": scenario '" + scenario->value +
                         "' does not match the directory '" + dir + "'");
    }
  }

  static void fill(const Submission& where, Reader& read, const std::string& hash, model::Report& r, model::Point& p) {
    fill_provenance(where, read, hash, r.provenance);
    fill_workload(where, read, r, p);
    if (where.scenario == "Offline") offline_point(read, p, r.provenance.notes);
    else server_point(where, read, r.workload, p, r.provenance.notes);
    const std::string status = r.system.extra.value("mlperf_status", "");
    r.provenance.notes += " Submitted by " + where.submitter +
                          (where.round.empty() ? "" : " to MLPerf Inference v" + where.round) +
                          (where.division.empty() ? "" : ", " + where.division + " division") +
                          (status.empty() ? "" : ", system status '" + status + "'") + ".";
  }
};

}  // namespace

std::unique_ptr<Importer> make_mlperf_importer() { return std::make_unique<MlperfImporter>(); }

}  // namespace sitegen::ingest
