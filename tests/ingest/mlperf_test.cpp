#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "ingest/import.hpp"
#include "model/json_io.hpp"
#include "support.hpp"
#include "util/files.hpp"

using namespace sitegen;
using namespace sitegen::ingest;
using sitegen::test::fixture;
using sitegen::test::ScratchDir;

namespace {

const std::string k_v41 = "mlperf/inference_results_v4.1/closed/";
const std::string k_h200 = "NVIDIA/results/H200-SXM-141GBx8_TRT/";
const std::string k_run = "/performance/run_1/mlperf_log_summary.txt";

// The one report a file imports to (the test fails with the error when it does not import).
model::Report import_one(const std::filesystem::path& path) {
  const ImportResult r = import_paths({path}, {});
  INFO(r.files.at(0).error);
  REQUIRE(r.ok());
  REQUIRE(r.reports.size() == 1);
  return r.reports[0];
}

// A copy of one real submission (summary and system description) in the layout MLPerf publishes,
// with the summary's text replaced by `summary`; returns the summary's path.
std::filesystem::path submission(const ScratchDir& dir, const std::string& summary,
                                 const std::string& benchmark = "llama2-70b-99", const std::string& scenario = "Server") {
  const auto root = dir / "inference_results_v4.1/closed/NVIDIA";
  const auto path = root / ("results/H200-SXM-141GBx8_TRT/" + benchmark + "/" + scenario + k_run);
  files::write_atomic(path, summary);
  files::write_atomic(root / "systems/H200-SXM-141GBx8_TRT.json",
                      files::read(fixture(k_v41 + "NVIDIA/systems/H200-SXM-141GBx8_TRT.json")));
  return path;
}

std::string h200_server() { return files::read(fixture(k_v41 + k_h200 + "llama2-70b-99/Server" + k_run)); }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string error_of(const std::filesystem::path& path) {
  const ImportResult r = import_paths({path}, {});
  REQUIRE(r.files.size() == 1);
  CHECK_FALSE(r.ok());
  CHECK(r.reports.empty());
  return r.files[0].error;
}

}  // namespace

TEST_CASE("an MLPerf Server summary becomes one rate point with its TTFT/TPOT constraints as the SLO", "[ingest][mlperf]") {
  const model::Report r = import_one(fixture(k_v41 + k_h200 + "llama2-70b-99/Server" + k_run));
  CHECK(r.provenance.source_format == "mlperf");
  CHECK(r.provenance.tool == "MLPerf Inference (loadgen)");
  CHECK(r.provenance.tool_version == "v4.1");
  CHECK(r.provenance.run_id == "mlperf-v4.1-NVIDIA-H200-SXM-141GBx8_TRT");
  CHECK(r.provenance.source_url ==
        "https://github.com/mlcommons/inference_results_v4.1/blob/main/closed/NVIDIA/results/H200-SXM-141GBx8_TRT/"
        "llama2-70b-99/Server/performance/run_1/mlperf_log_summary.txt");
  CHECK_THAT(r.provenance.notes, Catch::Contains("Poisson") && Catch::Contains("not a sweep"));
  // systems/H200-SXM-141GBx8_TRT.json
  CHECK(r.system.gpu.model == "NVIDIA H200-SXM-141GB");
  CHECK(r.system.gpu.count == 8);
  CHECK(r.system.gpu.memory_gb == 141);
  CHECK(r.system.engine.name == "tensorrt");
  CHECK(r.system.engine.version == "10.2.0");
  CHECK(r.system.model.id == "meta-llama/Llama-2-70b-chat-hf");
  CHECK(r.system.model.precision.empty());  // neither file states it
  CHECK(r.workload.benchmark == "mlperf-llama2-70b-99-server");
  CHECK(r.workload.dataset == "OpenOrca");
  CHECK_FALSE(r.workload.input_len.has_value());
  // "ttft_latency (ns): 2000000000", "tpot_latency (ns): 200000000"
  CHECK(r.workload.slo_ttft_ms == 2000);
  CHECK(r.workload.slo_tpot_ms == 200);
  REQUIRE(r.points.size() == 1);
  const model::Point& p = r.points[0];
  CHECK(p.request_rate_rps == 101.25);        // Scheduled samples per second
  CHECK(p.request_throughput_rps == 100.35);  // Completed samples per second
  CHECK(p.output_throughput_tps == 29228.22); // Completed tokens per second
  CHECK(p.burstiness == 1);
  CHECK_FALSE(p.request_rate_inf);
  CHECK_FALSE(p.concurrency.has_value());
  CHECK(p.slo_held == true);
  CHECK(p.ttft_ms.percentile(99) == Approx(452.744202));  // 452744202 ns
  CHECK(p.ttft_ms.median == Approx(180.758928));
  CHECK(p.ttft_ms.percentile(99.9) == Approx(552.823094));
  CHECK(p.tpot_ms.percentile(99) == Approx(146.040006));
  CHECK(p.tpot_ms.mean == Approx(123.263268));
  CHECK(p.e2el_ms.max == Approx(146954.146383));
  CHECK_THAT(p.tpot_ms.definition, Catch::Contains("MLPerf loadgen"));
  CHECK(p.extra["mlperf_target_qps"] == 101);
}

TEST_CASE("an MLPerf Offline summary is one all-at-once point with throughput and no latency", "[ingest][mlperf]") {
  const model::Report r = import_one(fixture(k_v41 + "AMD/results/8xMI300X_2xEPYC-9374F/llama2-70b-99/Offline" + k_run));
  CHECK(r.system.gpu.model == "AMD Instinct MI300X-NPS1-SPX-192GB-750W");
  CHECK(r.system.gpu.count == 8);
  CHECK(r.system.engine.name == "vllm");
  CHECK(r.system.engine.version == "0.4.3+rocm614");
  CHECK(r.workload.benchmark == "mlperf-llama2-70b-99-offline");
  CHECK_FALSE(r.workload.slo_ttft_ms.has_value());  // Offline has no latency constraint
  const model::Point& p = r.points.at(0);
  CHECK(p.request_rate_inf);
  CHECK(p.output_throughput_tps == 23514.8);   // Tokens per second
  CHECK(p.request_throughput_rps == 80.15);    // Samples per second
  CHECK(p.ttft_ms.empty());
  CHECK(p.tpot_ms.empty());
  CHECK(p.e2el_ms.empty());
  CHECK_FALSE(p.slo_held.has_value());
  CHECK_THAT(r.provenance.notes, Catch::Contains("at once"));
}

TEST_CASE("an MLPerf Interactive run is a Server run with its own, tighter limits", "[ingest][mlperf]") {
  // loadgen writes "Scenario : Server" in the Interactive directory; the limits are 450 ms and 40 ms.
  const model::Report r = import_one(fixture("mlperf/inference_results_v5.1/closed/NVIDIA/results/"
                                             "GB200-NVL72_GB200-186GB_aarch64x4_TRT/llama2-70b-99.9/Interactive" + k_run));
  CHECK(r.workload.benchmark == "mlperf-llama2-70b-99.9-interactive");
  CHECK(r.workload.extra["mlperf_accuracy_target_pct"] == "99.9");
  CHECK(r.workload.slo_ttft_ms == 450);
  CHECK(r.workload.slo_tpot_ms == 40);
  CHECK(r.system.gpu.model == "NVIDIA GB200");
  CHECK(r.system.gpu.count == 4);
  CHECK(r.provenance.tool_version == "v5.1");
  CHECK_THAT(r.provenance.notes, Catch::Contains("MLPerf Interactive scenario") && Catch::Contains("450 ms and 40 ms"));
  const model::Point& p = r.points.at(0);
  CHECK(p.request_rate_rps == 109.89);
  CHECK(p.output_throughput_tps == 29745.55);
  CHECK(p.ttft_ms.percentile(99) == Approx(120.5122));
  CHECK(p.tpot_ms.percentile(99) == Approx(33.563603));
  CHECK(p.slo_held == true);
}

TEST_CASE("every stored MLPerf summary imports with the figures its own text states", "[ingest][mlperf]") {
  struct Expected {
    std::string path;
    std::string gpu;
    long long gpus;
    double tokens_per_s, samples_per_s;
    std::optional<double> ttft_p99_ms, tpot_p99_ms, slo_tpot_ms;
  };
  const std::string v51 = "mlperf/inference_results_v5.1/closed/NVIDIA/results/";
  const std::string v61 = "mlperf/inference_results_v6.1/closed/ASUSTeK/results/XA_NB3I-E12_B300x8_TRT/";
  const std::vector<Expected> all = {
      {k_v41 + k_h200 + "llama2-70b-99/Offline", "NVIDIA H200-SXM-141GB", 8, 31302.7, 107.477, {}, {}, {}},
      {k_v41 + "NVIDIA/results/B200-SXM-180GBx1_TRT/llama2-70b-99/Offline", "NVIDIA B200-SXM-180GB", 1, 11264.4, 41.1075, {}, {}, {}},
      {k_v41 + "AMD/results/8xMI300X_2xEPYC-9374F/llama2-70b-99/Server", "AMD Instinct MI300X-NPS1-SPX-192GB-750W", 8,
       21028.23, 71.74, 1604.171041, 197.873909, 200},
      {k_v41 + "NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/mixtral-8x7b/Offline", "NVIDIA H100-SXM-80GB", 8, 52415.9, 359.173, {}, {}, {}},
      {k_v41 + "NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/mixtral-8x7b/Server", "NVIDIA H100-SXM-80GB", 8, 50795.57, 348.06,
       628.885054, 123.136641, 200},
      {k_v41 + k_h200 + "mixtral-8x7b/Offline", "NVIDIA H200-SXM-141GB", 8, 59022.3, 404.431, {}, {}, {}},
      {k_v41 + k_h200 + "mixtral-8x7b/Server", "NVIDIA H200-SXM-141GB", 8, 57177.20, 391.79, 539.748890, 167.039660, 200},
      {k_v41 + "NVIDIA/results/GH200-GraceHopper-Superchip_GH200-144GB_aarch64x1_TRT/mixtral-8x7b/Offline",
       "NVIDIA GH200 Grace Hopper Superchip 144GB", 1, 8021.46, 54.9636, {}, {}, {}},
      {k_v41 + "NVIDIA/results/GH200-GraceHopper-Superchip_GH200-144GB_aarch64x1_TRT/mixtral-8x7b/Server",
       "NVIDIA GH200 Grace Hopper Superchip 144GB", 1, 7450.27, 51.05, 519.169880, 190.027151, 200},
      // 18 nodes of 4 GPUs
      {v51 + "GB200-NVL72_GB200-186GB_aarch64x72_TRT/deepseek-r1/Offline", "NVIDIA GB200", 72, 289712, 77.995, {}, {}, {}},
      {v51 + "GB200-NVL72_GB200-186GB_aarch64x72_TRT/deepseek-r1/Server", "NVIDIA GB200", 72, 167578.06, 44.76,
       1245.960713, 64.452775, 80},
      {v51 + "GB300-NVL72_GB300-288GB_aarch64x72_TRT/deepseek-r1/Offline", "NVIDIA GB300", 72, 420659, 115.017, {}, {}, {}},
      {v51 + "GB300-NVL72_GB300-288GB_aarch64x72_TRT/deepseek-r1/Server", "NVIDIA GB300", 72, 209327.68, 56.95,
       1939.676236, 70.849584, 80},
      {v61 + "deepseek-r1/Offline", "NVIDIA B300-SXM-270GB", 8, 69846.9, 18.5894, {}, {}, {}},
      // loadgen 6.x writes "Mean Time per Output Token" beside "percentile time to output token"
      {v61 + "deepseek-r1/Server", "NVIDIA B300-SXM-270GB", 8, 54568.62, 14.52, 851.748371, 64.131776, 80},
  };
  for (const Expected& e : all) {
    INFO(e.path);
    const model::Report r = import_one(fixture(e.path + k_run));
    CHECK(r.system.gpu.model == e.gpu);
    CHECK(r.system.gpu.count == e.gpus);
    const model::Point& p = r.points.at(0);
    CHECK(p.output_throughput_tps == e.tokens_per_s);
    CHECK(p.request_throughput_rps == e.samples_per_s);
    CHECK(p.request_rate_inf == !e.ttft_p99_ms.has_value());
    if (e.ttft_p99_ms) {
      CHECK(p.ttft_ms.percentile(99) == Approx(*e.ttft_p99_ms));
      CHECK(p.tpot_ms.percentile(99) == Approx(*e.tpot_p99_ms));
      CHECK(p.tpot_ms.mean.has_value());
      CHECK(r.workload.slo_tpot_ms == e.slo_tpot_ms);
      CHECK(r.workload.slo_ttft_ms == 2000);
      CHECK(p.slo_held == true);
    }
  }
}

TEST_CASE("an MLPerf result marked INVALID is refused with loadgen's reasons", "[ingest][mlperf]") {
  ScratchDir dir("mlperf-invalid");
  std::string text = replaced(h200_server(), "Result is : VALID", "Result is : INVALID");
  text = replaced(text, "Performance constraints satisfied : Yes", "Performance constraints satisfied : NO");
  const auto path = submission(dir, text);
  const std::string error = error_of(path);
  CHECK_THAT(error, Catch::StartsWith(path.generic_string() + ": "));
  CHECK_THAT(error, Catch::Contains("line 9: loadgen marked the result INVALID"));
  CHECK_THAT(error, Catch::Contains("performance constraints satisfied: NO"));
  CHECK_THAT(error, Catch::Contains("never imported"));
  // The same file unedited imports: the refusal is the verdict, not the copy.
  CHECK(import_one(submission(dir, h200_server())).points.at(0).slo_held == true);
}

TEST_CASE("a cut-off MLPerf summary is refused and says where it ends", "[ingest][mlperf]") {
  ScratchDir dir("mlperf-cut");
  const std::string full = h200_server();
  SECTION("cut in the statistics") {
    const std::string cut = full.substr(0, full.find("99.00 percentile time to output token"));
    // The last whole line is "97.00 percentile time to output token (ns)", line 50.
    const std::string error = error_of(submission(dir, cut));
    CHECK_THAT(error, Catch::Contains("cut off: it ends at line 50 without loadgen's closing line"));
  }
  SECTION("an empty file forced as mlperf") {
    ImportOptions forced;
    forced.format = "mlperf";
    const ImportResult r = import_paths({submission(dir, "")}, forced);
    CHECK_FALSE(r.ok());
    CHECK_THAT(r.files.at(0).error, Catch::Contains("cut off: it ends at line 0"));
  }
  SECTION("cut before the verdict") {
    const std::string cut = full.substr(0, full.find("Result is"));
    const std::string error = error_of(submission(dir, cut));
    CHECK_THAT(error, Catch::Contains("no 'Result is' line"));
  }
}

TEST_CASE("an MLPerf summary of a non-LLM benchmark is refused: no token metrics", "[ingest][mlperf]") {
  const std::string error = error_of(fixture(k_v41 + k_h200 + "resnet50/Offline" + k_run));
  CHECK_THAT(error, Catch::Contains("resnet50 Offline: not an LLM benchmark result: loadgen reports no tokens per second"));
  CHECK_THAT(error, Catch::Contains("benchmark 'resnet50' (from the path) is not one of MLPerf's LLM benchmarks"));
}

TEST_CASE("an MLPerf summary outside the submission layout, or without its system description, is refused",
          "[ingest][mlperf]") {
  ScratchDir dir("mlperf-layout");
  SECTION("a lone summary") {
    const auto path = dir / "mlperf_log_summary.txt";
    files::write_atomic(path, h200_server());
    CHECK_THAT(error_of(path), Catch::Contains("not in MLPerf's submission layout"));
  }
  SECTION("no systems/<system>.json beside results/") {
    const auto path = submission(dir, h200_server());
    std::filesystem::remove(dir / "inference_results_v4.1/closed/NVIDIA/systems/H200-SXM-141GBx8_TRT.json");
    CHECK_THAT(error_of(path), Catch::Contains("no system description at ") &&
                                   Catch::Contains("systems/H200-SXM-141GBx8_TRT.json"));
  }
  SECTION("a system description without a GPU count names the field") {
    const auto path = submission(dir, h200_server());
    const auto json = dir / "inference_results_v4.1/closed/NVIDIA/systems/H200-SXM-141GBx8_TRT.json";
    files::write_atomic(json, replaced(files::read(json), "\"accelerators_per_node\": 8", "\"accelerators_per_node\": \"eight\""));
    CHECK_THAT(error_of(path), Catch::Contains("/accelerators_per_node: expected a positive whole number, got \"eight\""));
  }
  SECTION("a scenario directory that disagrees with the file") {
    const auto path = submission(dir, h200_server(), "llama2-70b-99", "Offline");
    CHECK_THAT(error_of(path), Catch::Contains("line 5: scenario 'Server' does not match the directory 'Offline'"));
  }
  SECTION("an accuracy run") {
    const auto path = submission(dir, replaced(h200_server(), "PerformanceOnly", "AccuracyOnly"));
    CHECK_THAT(error_of(path), Catch::Contains("only a PerformanceOnly run holds performance results"));
  }
}

TEST_CASE("a system description imported on its own says it is read along with the summaries", "[ingest][mlperf]") {
  const std::string error = error_of(fixture(k_v41 + "NVIDIA/systems/H200-SXM-141GBx8_TRT.json"));
  CHECK_THAT(error, Catch::Contains("an MLPerf system description: it holds no results") &&
                        Catch::Contains("results/H200-SXM-141GBx8_TRT/"));
}

TEST_CASE("sitegen import of the MLPerf fixtures files three models on three kinds of hardware each", "[ingest][mlperf]") {
  ScratchDir out("mlperf-into");
  const auto r = test::run_cli({"import", fixture("mlperf").string(), "--into", out.path().string()});
  // The resnet50 summary is refused (exit 1); every other file imports or is read along.
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("resnet50/Offline/performance/run_1/mlperf_log_summary.txt: FAILED"));
  CHECK_THAT(r.out, Catch::Contains("28 file(s): 27 imported, 1 failed; 18 report(s) written"));
  CHECK_THAT(r.out, Catch::Contains("systems/H200-SXM-141GBx8_TRT.json: (read along with its summary file)"));
  // Grouped by what the reports say (not by the tree's path layout): model and benchmark -> hardware.
  std::map<std::string, std::set<std::string>> hardware_per_workload;
  for (const auto& f : files::list_recursive({out.path()}, "report.json").files) {
    const model::Report rep = model::read_report(f);
    hardware_per_workload[rep.system.model.id + " " + rep.workload.benchmark].insert(
        rep.system.gpu.model + " x" + std::to_string(rep.system.gpu.count.value_or(0)));
  }
  for (const char* workload : {"meta-llama/Llama-2-70b-chat-hf mlperf-llama2-70b-99-offline",
                               "mistralai/Mixtral-8x7B-Instruct-v0.1 mlperf-mixtral-8x7b-offline",
                               "mistralai/Mixtral-8x7B-Instruct-v0.1 mlperf-mixtral-8x7b-server",
                               "deepseek-ai/DeepSeek-R1 mlperf-deepseek-r1-offline",
                               "deepseek-ai/DeepSeek-R1 mlperf-deepseek-r1-server"}) {
    INFO(workload);
    CHECK(hardware_per_workload[workload].size() == 3);
  }
  CHECK(hardware_per_workload["meta-llama/Llama-2-70b-chat-hf mlperf-llama2-70b-99-offline"] ==
        std::set<std::string>{"NVIDIA B200-SXM-180GB x1", "NVIDIA H200-SXM-141GB x8",
                              "AMD Instinct MI300X-NPS1-SPX-192GB-750W x8"});
  // Importing again changes nothing.
  const auto again = test::run_cli({"import", fixture("mlperf").string(), "--into", out.path().string()});
  CHECK_THAT(again.out + again.err, !Catch::Contains("conflict"));
}

TEST_CASE("one MLPerf Server and one Offline report are pinned", "[ingest][mlperf]") {
  const std::pair<std::string, std::string> goldens[] = {
      {"mlperf-server", k_v41 + k_h200 + "llama2-70b-99/Server" + k_run},
      {"mlperf-offline", k_v41 + "NVIDIA/results/B200-SXM-180GBx1_TRT/llama2-70b-99/Offline" + k_run},
  };
  for (const auto& [name, path] : goldens) {
    INFO(name);
    std::string text = model::dump(import_one(fixture(path)));
    const std::string dir = fixture("").generic_string();
    for (auto at = text.find(dir); at != std::string::npos; at = text.find(dir)) text.replace(at, dir.size(), "fixtures/");
    CHECK(test::golden_mismatch_at("ingest/" + name + ".json", text) == "");
  }
}
