#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "ingest/import.hpp"
#include "model/json_io.hpp"
#include "model/validate.hpp"
#include "support.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

using namespace sitegen;
using namespace sitegen::ingest;
using sitegen::test::fixture;
using sitegen::test::ScratchDir;
namespace fs = std::filesystem;

namespace {

// Fixtures that hold no benchmark run of their own, and the reason the import must give.
const std::map<std::string, std::string> k_no_numbers = {
    {"forge/charts_cost-per-1m-tokens.json", "not a measurement"},
    {"iso-bench/benchmark_summary.json", "holds no benchmark numbers"},
    {"token-labs/benchmark-results_schema-v2-experiment-groups_2026-04-08.json", "every experiment and result in it is null"},
    {"token-labs/qwen35-27b-summary.json", "holds no run of its own"},
    // Ad-hoc dictionaries of one project that hold no run with a load level or a stated
    // statistic: the error lists every format tried, and the portfolio line says why precisely.
    {"inference-engineering-portfolio/01-quantization_gpu_quantization_results.json",
     "portfolio: an ad-hoc inference-engineering-portfolio 01-quantization summary: one ttft_ms and throughput_tps "
     "value per concurrency, without saying which statistic"},
    {"inference-engineering-portfolio/03-prefix-caching_prefix_caching_results.json",
     "portfolio: an ad-hoc inference-engineering-portfolio 03-prefix-caching summary: TTFT statistics for caching "
     "on/off with no load level"},
    {"inference-engineering-portfolio/06-cost-optimization_cost_optimization_results.json",
     "portfolio: an ad-hoc inference-engineering-portfolio 06-cost-optimization routing trial"},
    {"aiperf/aiperf-early_examples_run1_profile_export_aiperf.csv", "import the JSON export"},
    {"aiperf/profile_export_aiperf_kimik2.5-fp4_mi355x_vllm_tp4_conc16_lmcache.csv", "import the JSON export"},
    // A real loadgen summary of a non-LLM benchmark, kept to show the refusal.
    {"mlperf/inference_results_v4.1/closed/NVIDIA/results/H200-SXM-141GBx8_TRT/resnet50/Offline/performance/run_1/"
     "mlperf_log_summary.txt",
     "not an LLM benchmark result: loadgen reports no tokens per second"},
};

// MLPerf system descriptions (mlperf/.../systems/*.json) are read along with the summaries.
const char* k_system_description = "an MLPerf system description: it holds no results";

std::string fixture_name(const std::filesystem::path& p) {
  return std::filesystem::relative(p, fixture("")).generic_string();
}

// Report JSON with the machine-specific fixture directory replaced, for golden files.
std::string portable(const std::vector<model::Report>& reports) {
  model::Json all = model::Json::array();
  for (const model::Report& r : reports) all.push_back(model::to_json(r));
  std::string text = all.dump(2) + "\n";
  for (const auto& [dir, portable_dir] : {std::pair{fixture("").generic_string(), "fixtures/"},
                                          {test::source("tests/data/").generic_string(), "data/"}}) {
    for (auto at = text.find(dir); at != std::string::npos; at = text.find(dir)) text.replace(at, dir.size(), portable_dir);
  }
  return text;
}

void check_golden(const std::string& name, const std::string& actual) {
  const auto path = test::source("tests/golden/ingest/" + name + ".json");
  if (const char* u = std::getenv("SITEGEN_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    files::write_atomic(path, actual);
    return;
  }
  REQUIRE(std::filesystem::exists(path));
  const std::string expected = files::read(path);
  CHECK(expected == actual);
}

}  // namespace

TEST_CASE("every fixture imports, or says clearly why it holds no run", "[ingest]") {
  std::size_t imported = 0;
  std::set<std::string> formats;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(fixture(""))) {
    if (!entry.is_regular_file() || entry.path().filename() == "SOURCES.md") continue;
    const std::string name = fixture_name(entry.path());
    INFO(name);
    const ImportResult r = import_paths({entry.path()}, {});
    REQUIRE(r.files.size() == 1);
    const FileOutcome& f = r.files[0];
    const bool system_description = name.starts_with("mlperf/") && name.find("/systems/") != std::string::npos;
    if (const auto why = k_no_numbers.find(name); why != k_no_numbers.end() || system_description) {
      CHECK_THAT(f.error, Catch::Contains(system_description ? k_system_description : why->second));
      CHECK_FALSE(r.ok());
      continue;
    }
    CHECK(f.error == "");
    CHECK(r.ok());
    if (f.format.starts_with("(read along")) continue;
    CHECK(f.reports > 0);
    formats.insert(f.format);
    for (const model::Report& rep : r.reports) {
      for (const Problem& p : model::validate_report(model::to_json(rep), name)) {
        CHECK(p.severity != Problem::Severity::error);
      }
    }
    ++imported;
  }
  CHECK(imported >= 50);
  for (const char* expected : {"vllm", "vllm-multi-turn", "inferencex-agg", "sglang", "aiperf", "aiperf-records",
                               "guidellm", "llmperf", "llmperf-individual", "developer-ai-lab", "token-labs", "iso-bench",
                               "forge-charts", "portfolio", "portfolio-speculative", "mlperf"}) {
    CHECK(formats.count(expected) == 1);
  }
}

TEST_CASE("one canonical report per format is pinned", "[ingest]") {
  const std::map<std::string, std::vector<std::string>> goldens = {
      {"vllm-forge-bf16-sweep", {"vllm-bench-serve/forge_full-bf16-c0001_A5000_llama31-8b.json",
                                 "vllm-bench-serve/forge_full-bf16-c0016_A5000_llama31-8b.json",
                                 "vllm-bench-serve/forge_full-bf16-c0064_A5000_llama31-8b.json"}},
      {"vllm-inferencex-raw", {"inferencemax/inferencex-raw-benchmark_serving_gpt-oss-120b_multinode_ctx8_gen8_conc64.json"}},
      {"vllm-inferencex-experimental-seconds",
       {"inferencemax/inferencex-experimental_token_position_decode_slo_glm5-fp8_vllm_tp8_isl1024_osl128_conc16.json"}},
      {"vllm-multi-turn", {"vllm-bench-serve/big-yellow-duck_multi-turn_spec-decode_qwen3.8-27b-fp8_rdna4-gfx1201_c1.json"}},
      {"inferencex-agg", {"inferencemax/inferencex-fixedseq_agg_kimik2.5_1k1k_int4_vllm_tp8-ep1-dpafalse_disagg-false_spec-mtp_conc4_MI355-gbt350-odcdh5-wbb3.json"}},
      {"inferencex-agentic", {"inferencemax/inferencex-agentic_agg_bmk_mi355x_minimax-m2.5-mxfp4.json"}},
      {"sglang", {"sglang-bench-serving/sglang-0.5.5_bench_serving_agg_qwen2.5-3b_gh200_in512_out128_c32.jsonl"}},
      {"sglang-old-format", {"sglang-bench-serving/sglang-old-format_bench_serving_lora_sglang_1018_1_1024_128.jsonl"}},
      {"aiperf", {"aiperf/profile_export_aiperf_kimik2.5-fp4_mi355x_vllm_tp4_conc16_lmcache.json"}},
      {"guidellm", {"guidellm/guidellm-0.5.0dev_sanity_benchmarks_Qwen3-4B-Thinking_tp4_fp8_intel-xpu.json"}},
      {"llmperf", {"llmperf/leaderboard_summary_groq_70b.json"}},
      {"developer-ai-lab", {"developer-ai-lab/smoke_qwen3-14b-awq_rtx-a5000-1gpu_20260702-180913_report.json"}},
      {"token-labs-v1", {"token-labs/benchmark-results_schema-v1_2026-01-20.json"}},
      {"token-labs-sweep", {"token-labs/qwen35-27b-vllm-bf16-baseline-2026-04-16_with-dcgm.json"}},
      {"iso-bench", {"iso-bench/claude_code_19d98e0c_agent_result_serving.json", "iso-bench/codex_67da5720_agent_result_TIMEOUT.json"}},
      {"forge-charts", {"forge/charts_quality-retention.json"}},
      {"portfolio", {"inference-engineering-portfolio/02-inference-benchmarks_benchmark_1772280824.json"}},
      {"portfolio-speculative", {"inference-engineering-portfolio/04-speculative-decoding_gpu_speculative_results.json"}},
      // Real files kept in tests/data (not in the shared fixtures): "data/..." is under tests/.
      {"genai-perf-sweep", {"data/genai-perf/adaptive_simple_medium_response_c1_genai_perf.json",
                            "data/genai-perf/adaptive_simple_medium_response_c10_genai_perf.json"}},
  };
  for (const auto& [name, inputs] : goldens) {
    INFO(name);
    std::vector<std::filesystem::path> paths;
    for (const std::string& i : inputs) paths.push_back(i.starts_with("data/") ? test::source("tests/" + i) : fixture(i));
    const ImportResult r = import_paths(paths, {});
    REQUIRE(r.ok());
    check_golden(name, portable(r.reports));
  }
}

TEST_CASE("per-request files beside a summary are read along and cross-checked", "[ingest]") {
  SECTION("AIPerf profile_export.jsonl beside profile_export_aiperf.json") {
    const ImportResult r = import_paths({fixture("aiperf")}, {});
    const auto it = std::find_if(r.files.begin(), r.files.end(), [](const FileOutcome& f) {
      return f.file.ends_with("aiperf-early_examples_run1_profile_export_aiperf.json");
    });
    REQUIRE(it != r.files.end());
    CHECK(it->account.consumed.size() == 1);
    CHECK(it->account.cross_checked > 20);
    CHECK(it->account.warnings.empty());  // AIPerf's summary agrees with its records
  }
  SECTION("llmperf individual responses beside the summary: TPOT recomputed, ITL marked") {
    const ImportResult r = import_paths({fixture("llmperf/leaderboard_summary_bedrock_70b.json")}, {});
    REQUIRE(r.ok());
    const FileOutcome& f = r.files.at(0);
    CHECK(f.account.cross_checked > 10);
    CHECK(f.account.warnings.empty());  // stddev converted from ddof 1 agrees with the responses
    const model::Point& p = r.reports.at(0).points.at(0);
    CHECK(p.samples.ttft_ms.size() == 101);  // 150 requests, 49 errors
    CHECK(p.errors.at("llmperf_-100") == 49);
    CHECK(p.tpot_ms.mean.has_value());
    CHECK(p.tpot_ms.definition.empty());
    CHECK_THAT(p.itl_ms.definition, Catch::Contains("llmperf"));
  }
  SECTION("InferenceX raw input_lens/output_lens against the token totals") {
    const ImportResult r = import_paths(
        {fixture("inferencemax/inferencex-raw-benchmark_serving_qwen3.5-397b-a17b-fp8_atom-mtp_tp4_conc64_isl8192_osl1024.json")}, {});
    REQUIRE(r.ok());
    CHECK(r.files[0].account.cross_checked == 2);
    CHECK(r.files[0].account.warnings.empty());
    CHECK(r.reports[0].provenance.started_at == "2026-08-06T13:23:14Z");
  }
  SECTION("guidellm per-request records in the measurement window") {
    const ImportResult r = import_paths({fixture("guidellm/guidellm-0.5.0dev_benchmarks_Qwen3-30B-A3B_tp4_fp8_intel-xpu.json")}, {});
    REQUIRE(r.ok());
    const FileOutcome& f = r.files[0];
    CHECK(f.account.cross_checked > 5);
    REQUIRE(f.account.warnings.size() == 1);  // only the definition note: TPOT converted
    CHECK_THAT(f.account.warnings[0], Catch::Contains("TPOT includes the first token"));
    CHECK(r.reports[0].points[0].samples.ttft_ms.size() == 19);
  }
}

TEST_CASE("SGLang's bare Infinity becomes an unlimited request rate", "[ingest]") {
  const ImportResult r = import_paths(
      {fixture("sglang-bench-serving/sglang-0.5.5_bench_serving_agg_qwen2.5-3b_gh200_in512_out128_c32.jsonl")}, {});
  REQUIRE(r.ok());
  const model::Report& rep = r.reports.at(0);
  CHECK(rep.points.at(0).request_rate_inf);
  CHECK(model::to_json(rep)["points"][0]["request_rate_rps"] == "inf");
  CHECK(rep.system.engine.version == "0.5.5.post3");
  CHECK(rep.system.model.id == "Qwen/Qwen2.5-3B-Instruct");
  CHECK(rep.points.at(0).e2el_ms.percentile(99) == Approx(1181.2900166865443));
}

TEST_CASE("the portfolio's speculative-decoding table becomes one report per method, one point per qps", "[ingest]") {
  const ImportResult r =
      import_paths({fixture("inference-engineering-portfolio/04-speculative-decoding_gpu_speculative_results.json")}, {});
  REQUIRE(r.ok());
  REQUIRE(r.reports.size() == 3);  // baseline, ngram, mtp
  for (const model::Report& rep : r.reports) {
    CHECK(rep.system.gpu.model == "L40S");
    CHECK(rep.system.gpu.memory_gb == 48.0);
    CHECK(rep.system.engine.name == "vllm");
    CHECK(rep.system.engine.version == "0.18.0");
    CHECK(rep.system.model.id == "Qwen/Qwen3.5-9B");
    REQUIRE(rep.points.size() == 5);
    CHECK(rep.points.front().request_rate_rps == 1.0);
    CHECK(rep.points.back().request_rate_rps == 50.0);
  }
  const auto mtp = std::find_if(r.reports.begin(), r.reports.end(), [](const model::Report& rep) {
    return rep.system.extra.value("speculative_method", "") == "mtp";
  });
  REQUIRE(mtp != r.reports.end());
  const model::Point& p = mtp->points.at(1);  // qps 5
  CHECK(p.ttft_ms.percentile(95) == 190.9);
  CHECK(p.ttft_ms.median == 142.5);
  CHECK(p.interactivity_tps.median == 25.2);
  CHECK(p.completed == 50);
  CHECK_THAT(p.interactivity_tps.definition, Catch::Contains("TTFT included"));
}

TEST_CASE("ISO-Bench error and timeout runs are kept as failed runs", "[ingest]") {
  const ImportResult r = import_paths({fixture("iso-bench/codex_015069b0_agent_result_ERROR.json"),
                                       fixture("iso-bench/codex_67da5720_agent_result_TIMEOUT.json")}, {});
  REQUIRE(r.ok());
  REQUIRE(r.reports.size() == 2);
  for (const model::Report& rep : r.reports) {
    CHECK(rep.status == "failed");
    CHECK(rep.points.empty());
    CHECK_FALSE(rep.status_detail.empty());
  }
}

TEST_CASE("metadata the file lacks comes from --set or meta.json, the rest stays unknown", "[ingest]") {
  ScratchDir dir("import-meta");
  std::filesystem::copy(fixture("vllm-bench-serve/forge_full-awq-c0001_A5000_llama31-8b.json"), dir / "c1.json");
  files::write_atomic(dir / "meta.json", R"({"system": {"gpu": {"model": "RTX A5000"}}, "system.engine.name": "vllm"})");
  ImportOptions o;
  o.sets = {"system.gpu.count=1", "system.engine.version=0.9.0"};
  const ImportResult r = import_paths({dir.path()}, o);
  REQUIRE(r.ok());
  REQUIRE(r.files.size() == 1);  // meta.json is metadata, not a result
  const model::System& s = r.reports.at(0).system;
  CHECK(s.gpu.model == "RTX A5000");
  CHECK(s.gpu.count == 1);
  CHECK(s.engine.name == "vllm");
  CHECK(s.engine.version == "0.9.0");
  CHECK(s.model.quantization == "awq");
  CHECK(r.files[0].unknown.empty());

  const ImportResult bare = import_paths({fixture("vllm-bench-serve/forge_fixture-bench-c0001_qwen25-0.5b.json")}, {});
  CHECK(bare.files[0].unknown == std::vector<std::string>{"system.gpu.model", "system.gpu.count", "system.engine.name",
                                                           "system.engine.version", "system.model.precision"});
  CHECK(bare.reports[0].system.gpu.model.empty());

  ImportOptions bad;
  bad.sets = {"system.gpu.count=many"};
  const ImportResult invalid = import_paths({fixture("vllm-bench-serve/forge_fixture-bench-c0001_qwen25-0.5b.json")}, bad);
  CHECK_FALSE(invalid.ok());
  CHECK_THAT(invalid.files[0].error, Catch::Contains("/system/gpu/count"));
  bad.sets = {"novalue"};
  CHECK_THROWS_WITH(import_paths({fixture("forge")}, bad), Catch::Contains("expected PATH=VALUE"));
}

TEST_CASE("files of one sweep combine into one report sorted by load", "[ingest]") {
  const ImportResult r = import_paths({fixture("vllm-bench-serve")}, {});
  REQUIRE(r.ok());
  const auto awq = std::find_if(r.reports.begin(), r.reports.end(), [](const model::Report& rep) {
    return rep.system.model.id == "hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4";
  });
  REQUIRE(awq != r.reports.end());
  REQUIRE(awq->points.size() == 3);
  CHECK(awq->points[0].concurrency == 1);
  CHECK(awq->points[1].concurrency == 16);
  CHECK(awq->points[2].concurrency == 64);
  CHECK(awq->provenance.run_id == "20260529-212300");  // the sweep's first file
  ImportOptions separate;
  separate.combine_sweeps = false;
  CHECK(import_paths({fixture("vllm-bench-serve")}, separate).reports.size() == 8);
}

TEST_CASE("a directory of good and bad files: good ones imported, each bad one named", "[ingest]") {
  ScratchDir dir("import-mixed");
  std::filesystem::copy(fixture("vllm-bench-serve/forge_full-bf16-c0016_A5000_llama31-8b.json"), dir / "good.json");
  files::write_atomic(dir / "empty.json", "");
  files::write_atomic(dir / "truncated.json", "{\"date\": \"20260529-032503\", \"model_id\": \"x\",\n \"completed\": [1, 2");
  files::write_atomic(dir / "junk.json", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  files::write_atomic(dir / "shape.json", "[1, 2, 3]");
  files::write_atomic(dir / "wrong-type.json", R"({"date": "20260529-032503", "model_id": "m", "completed": "all",
    "duration": 3.0, "max_concurrency": 2, "mean_ttft_ms": "fast"})");
  files::write_atomic(dir / "notes.txt", "not a result");
  const test::CliResult cli = test::run_cli({"import", dir.path().string(), "--out", (dir / "out.json").string()});
  CHECK(cli.code == 1);
  const std::string d = dir.path().generic_string();
  CHECK_THAT(cli.out, Catch::Contains(d + "/empty.json: FAILED:") && Catch::Contains("empty"));
  CHECK_THAT(cli.out, Catch::Contains(d + "/truncated.json: line 1, column 1") && Catch::Contains("not complete"));
  CHECK_THAT(cli.out, Catch::Contains(d + "/junk.json: line 2, column 1") && Catch::Contains("not a text file"));
  CHECK_THAT(cli.out, Catch::Contains(d + "/shape.json: no known format matches") && Catch::Contains("vllm: not a JSON object"));
  CHECK_THAT(cli.out, Catch::Contains("could not read") && Catch::Contains("completed: expected a number, got \"all\""));
  CHECK_THAT(cli.out, Catch::Contains("6 file(s): 2 imported, 4 failed"));
  const model::Json out = model::read_json_file(dir / "out.json");
  REQUIRE(out.is_array());
  CHECK(out.size() == 2);
}

TEST_CASE("import into a results tree writes it and importing twice changes nothing", "[ingest]") {
  ScratchDir dir("import-into");
  const auto results = (dir / "results").string();
  const std::string src = fixture("developer-ai-lab").string();
  const test::CliResult first = test::run_cli({"import", src, "--into", results, "--set", "system.gpu.count=1"});
  CHECK(first.code == 0);
  CHECK_THAT(first.out, Catch::Contains("3 added"));
  const test::CliResult second = test::run_cli({"import", src, "--into", results, "--set", "system.gpu.count=1"});
  CHECK(second.code == 0);
  CHECK_THAT(second.out, Catch::Contains("nothing changed") || Catch::Contains("3 unchanged"));
  CHECK(files::list_recursive({dir / "results"}, "report.json").files.size() == 3);
}

TEST_CASE("import prints the formats it knows and writes one report to stdout", "[ingest]") {
  const test::CliResult list = test::run_cli({"import", "--list-formats"});
  CHECK(list.code == 0);
  CHECK_THAT(list.out, Catch::Contains("vllm ") && Catch::Contains("sglang ") && Catch::Contains("guidellm "));
  const test::CliResult one =
      test::run_cli({"import", fixture("vllm-bench-serve/forge_fixture-bench-c0001_qwen25-0.5b.json").string(), "--out", "-"});
  CHECK(one.code == 0);
  const model::Json j = model::Json::parse(one.out);
  CHECK(j["schema"] == "sitegen.report/v1");
  CHECK(j["provenance"]["run_id"] == "20260525-155849");
  CHECK_THAT(one.err, Catch::Contains("vllm, 1 report(s)"));
  const test::CliResult typo = test::run_cli({"import", fixture("forge").string(), "--format", "vlm", "--out", "-"});
  CHECK(typo.code == 1);
  CHECK_THAT(typo.err, Catch::Contains("did you mean 'vllm'"));
}

TEST_CASE("a string field of another type is read as absent, never an internal error", "[ingest]") {
  // Found by tools/mutate_imports.py: each of these stopped `sitegen import` with
  // "internal: [json.exception.type_error.302] type must be string".
  struct Case {
    const char* fixture;
    const char* pointer;
    model::Json value;
  };
  const Case cases[] = {
      {"vllm-bench-serve/forge_full-awq-c0016_A5000_llama31-8b.json", "/date", 0},
      {"token-labs/benchmark-results_schema-v3-live_2026-04-15.json", "/live_benchmarks/run_date", 20260415},
      {"iso-bench/docker_015069b0_result_flat.json", "/status", nullptr},
  };
  for (const Case& c : cases) {
    INFO(c.fixture);
    model::Json j = model::read_json_file(fixture(c.fixture));
    j[model::Json::json_pointer(c.pointer)] = c.value;
    const Conversion conversion = import_text(j.dump(), "in.json", fixture(c.fixture), "");
    CHECK(!conversion.reports.empty());
  }
  // A JSONL file: every line's benchmark_timestamp a number.
  std::string lines;
  for (const std::string& line : strings::split(files::read(fixture("iso-bench/claude_code_vllm_benchmarks.jsonl")), '\n')) {
    if (strings::trim(line).empty()) continue;
    model::Json j = model::parse_json(line, "line");
    j["benchmark_timestamp"] = 1712345678;
    lines += j.dump() + "\n";
  }
  CHECK(!import_text(lines, "in.jsonl", fixture("iso-bench/claude_code_vllm_benchmarks.jsonl"), "").reports.empty());
}

namespace {

// A real result file with one more top-level field in front of its own.
std::string with_field(const std::string& fixture_file, const std::string& key, const std::string& value) {
  const std::string text = files::read(fixture(fixture_file));
  const std::size_t brace = text.find('{');
  return text.substr(0, brace + 1) + "\"" + key + "\": " + value + ", " + text.substr(brace + 1);
}

std::string nested(std::size_t levels, const std::string& inner = "0") {
  return std::string(levels, '[') + inner + std::string(levels, ']');
}

}  // namespace

TEST_CASE("a value nested 100,000 levels inside a real file is refused naming the file and pointer", "[ingest]") {
  ScratchDir dir("import-deep");
  for (const char* f : {"vllm-bench-serve/forge_full-bf16-c0001_A5000_llama31-8b.json",
                        "developer-ai-lab/smoke_qwen3-14b-awq_rtx-a5000-1gpu_20260702-180913_report.json"}) {
    INFO(f);
    files::write_atomic(dir / "deep.json", with_field(f, "unknown_field", nested(100000)));
    const test::CliResult r = test::run_cli({"import", (dir / "deep.json").string(), "--into", (dir / "results").string()});
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("deep.json: FAILED: ") && Catch::Contains("deep.json: line 1, column ") &&
                          Catch::Contains("/unknown_field/0/0/0/") && Catch::Contains("nested deeper than 64 levels"));
    CHECK_FALSE(fs::exists(dir / "results"));
  }
}

TEST_CASE("a small input never becomes a huge report: extra is bounded and says what it dropped", "[ingest]") {
  ScratchDir dir("import-extra-bounded");
  // 60 levels of nesting (readable) with 600 leaves at the bottom, and 300,000 numbers in a flat
  // array: a few MB of input that would be hundreds of MB once re-indented in a report.
  std::string leaves = "0";
  for (int i = 1; i < 600; ++i) leaves += ",0";
  std::string flat = "0";
  for (int i = 1; i < 300000; ++i) flat += ",1";
  std::string text = with_field("vllm-bench-serve/forge_full-bf16-c0001_A5000_llama31-8b.json", "deep_thing",
                                nested(59, leaves));
  text = "{\"flat_thing\": [" + flat + "], " + text.substr(text.find('{') + 1);
  files::write_atomic(dir / "run.json", text);
  const ImportResult r = import_paths({dir / "run.json"}, {});
  REQUIRE(r.ok());
  REQUIRE(r.reports.size() == 1);
  const std::string written = model::dump(r.reports[0]);
  CHECK(written.size() < 200000);
  CHECK_THAT(written, Catch::Contains("(dropped by sitegen: nested deeper than 16 levels)") &&
                          Catch::Contains("(dropped by sitegen: larger than 1 MiB)"));
  const auto& warnings = r.files[0].account.warnings;
  const auto said = [&](const std::string& what) {
    return std::any_of(warnings.begin(), warnings.end(), [&](const std::string& w) { return test::contains(w, what); });
  };
  CHECK(said("deep_thing (kept in extra): parts nested deeper than 16 levels not kept"));
  CHECK(said("flat_thing (kept in extra): larger than 1 MiB"));
  CHECK(model::validate_report(model::parse_json(written, "run.json"), "run.json").empty());
}

TEST_CASE("a per-request count that is infinite, negative or of the wrong type never reaches a report", "[ingest]") {
  ScratchDir dir("import-bad-counts");
  // llmperf: three bad responses among the real ones are left out whole, each named.
  model::Json responses = model::read_json_file(fixture("llmperf/leaderboard_individual_responses_anyscale_70b.json"));
  const std::size_t n = responses.size();
  std::string text = responses.dump(1);
  responses[3]["number_output_tokens"] = "__NEG_INF__";
  responses[5]["number_output_tokens"] = -7;
  responses[7]["ttft_s"] = "fast";
  text = responses.dump(1);
  text.replace(text.find("\"__NEG_INF__\""), 13, "-Infinity");
  files::write_atomic(dir / "x_individual_responses.json", text);
  const test::CliResult cli = test::run_cli({"import", (dir / "x_individual_responses.json").string(), "--into",
                                             (dir / "results").string(), "--set", "system.gpu.model=H100",
                                             "--set", "system.model.id=meta/llama-2-70b"});
  CHECK(cli.code == 0);
  CHECK_THAT(cli.out, Catch::Contains("x_individual_responses.json: /3/number_output_tokens: expected a finite number, "
                                      "got -Infinity; this response is left out") &&
                          Catch::Contains("/5/number_output_tokens: expected a number >= 0, got -7") &&
                          Catch::Contains("/7/ttft_s: expected a number, got \"fast\"") && Catch::Contains("1 added"));
  const auto written = files::list_recursive({dir / "results"}, "report.json").files;
  REQUIRE(written.size() == 1);
  const model::Report report = model::read_report(written[0]);
  const model::Samples& s = report.points.at(0).samples;
  CHECK(s.ttft_ms.size() == n - 3);
  CHECK(s.e2el_ms.size() == n - 3);
  CHECK(s.input_tokens.size() == n - 3);
  CHECK(s.output_tokens.size() == n - 3);
  CHECK(*std::min_element(s.output_tokens.begin(), s.output_tokens.end()) >= 0);
  CHECK(test::run_cli({"validate", written[0].string()}).code == 0);
}

TEST_CASE("an imported report that would not validate is refused, listed, and written nowhere", "[ingest]") {
  ScratchDir dir("import-refused");
  // AIPerf records where one record's output length is negative: the per-request samples cannot
  // be aligned, and the report is refused instead of being written and skipped later.
  const std::string lines = files::read(fixture("aiperf/aiperf-early_examples_run1_profile_export.jsonl"));
  const std::size_t at = lines.find("\"output_sequence_length\":{\"value\":");
  REQUIRE(at != std::string::npos);
  const std::size_t value = at + std::string("\"output_sequence_length\":{\"value\":").size();
  const std::string bad = lines.substr(0, value) + "-5" + lines.substr(lines.find(',', value));
  files::write_atomic(dir / "profile_export.jsonl", bad);
  for (const char* target : {"--into", "--out"}) {
    INFO(target);
    const fs::path out = dir / (std::string(target) == "--into" ? "results" : "out.json");
    const test::CliResult r = test::run_cli({"import", (dir / "profile_export.jsonl").string(), target, out.string(),
                                             "--set", "system.gpu.model=H100"});
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains("profile_export.jsonl: FAILED: ") && Catch::Contains("not valid") &&
                          Catch::Contains("/points/0/samples/"));
    CHECK_FALSE(fs::exists(out));
  }
}
