#include <catch2/catch.hpp>

#include <chrono>

#include "ingest/import.hpp"
#include "stats/summary.hpp"
#include "support.hpp"
#include "util/files.hpp"
#include "util/format.hpp"

using namespace sitegen;
using namespace sitegen::ingest;
using sitegen::test::ScratchDir;

namespace {

// A vLLM result with detailed per-request arrays (seconds) and summaries computed from them the
// way vLLM does (ms); mean_ttft_ms can be put off by `offset`.
std::string detailed_result(std::size_t requests, std::size_t gaps, double offset = 0) {
  std::vector<double> ttft_ms, itl_ms, tpot_ms;
  std::string ttfts, itls, in, out, errors;
  for (std::size_t i = 0; i < requests; ++i) {
    const std::string sep = i ? "," : "";
    const std::string t = "0.0" + std::to_string(50 + i % 47);
    ttfts += sep + t;
    ttft_ms.push_back(std::stod(t) * 1000);
    itls += sep + "[";
    double sum = 0;
    for (std::size_t g = 0; g < gaps; ++g) {
      const std::string gap = "0.02" + std::to_string(10 + (i + g) % 13);
      itls += (g ? "," : "") + gap;
      itl_ms.push_back(std::stod(gap) * 1000);
      sum += std::stod(gap);
    }
    itls += "]";
    tpot_ms.push_back(sum / static_cast<double>(gaps) * 1000);
    in += sep + "100";
    out += sep + std::to_string(gaps + 1);
    errors += sep + "\"\"";
  }
  const auto mean = [](const std::vector<double>& v) { return format::shortest(*stats::mean(v)); };
  return "{\"date\": \"20260101-120000\", \"backend\": \"vllm\", \"model_id\": \"m/x\", \"num_prompts\": " +
         std::to_string(requests) + ", \"request_rate\": 4.0, \"burstiness\": 1.0, \"max_concurrency\": null, "
         "\"duration\": 10.0, \"completed\": " + std::to_string(requests) + ", \"total_input_tokens\": " +
         std::to_string(100 * requests) + ", \"total_output_tokens\": " + std::to_string((gaps + 1) * requests) +
         ", \"request_throughput\": 1.0, \"output_throughput\": 1.0, \"total_token_throughput\": 2.0, " +
         "\"mean_ttft_ms\": " + format::shortest(*stats::mean(ttft_ms) + offset) + ", \"mean_itl_ms\": " + mean(itl_ms) +
         ", \"mean_tpot_ms\": " + mean(tpot_ms) + ", \"input_lens\": [" + in + "], \"output_lens\": [" + out +
         "], \"ttfts\": [" + ttfts + "], \"itls\": [" + itls + "], \"errors\": [" + errors + "]}";
}

}  // namespace

TEST_CASE("vLLM detailed arrays in seconds become ms samples that agree with the summaries", "[ingest]") {
  ScratchDir dir("vllm-detailed");
  files::write_atomic(dir / "run.json", detailed_result(50, 8));
  const ImportResult r = import_paths({dir / "run.json"}, {});
  REQUIRE(r.ok());
  REQUIRE(r.reports.size() == 1);
  const model::Point& p = r.reports[0].points.at(0);
  CHECK(p.samples.ttft_ms.size() == 50);
  CHECK(p.samples.itl_ms.size() == 400);
  CHECK(p.samples.tpot_ms.size() == 50);
  CHECK(p.samples.ttft_ms[1] == Approx(51.0));
  CHECK(p.request_rate_rps == 4.0);
  CHECK(r.files[0].account.cross_checked >= 5);
  CHECK(r.files[0].account.warnings.empty());
  // vLLM stated no e2el statistics; they are filled from the samples (ttft + gaps).
  CHECK(p.e2el_ms.mean.has_value());
}

TEST_CASE("a summary that disagrees with the file's own samples is a warning naming both values", "[ingest]") {
  ScratchDir dir("vllm-mismatch");
  files::write_atomic(dir / "run.json", detailed_result(10, 3, 0.5));
  const ImportResult r = import_paths({dir / "run.json"}, {});
  REQUIRE(r.ok());
  REQUIRE(r.files[0].account.warnings.size() == 1);
  CHECK_THAT(r.files[0].account.warnings[0],
             Catch::Contains("run.json: /points/0/ttft_ms/mean: the file says") &&
                 Catch::Contains("its per-request samples give"));
}

TEST_CASE("append-result files hold several runs, one report each or one sweep", "[ingest]") {
  ScratchDir dir("vllm-append");
  const std::string c1 = files::read(test::fixture("vllm-bench-serve/forge_full-bf16-c0001_A5000_llama31-8b.json"));
  const std::string c16 = files::read(test::fixture("vllm-bench-serve/forge_full-bf16-c0016_A5000_llama31-8b.json"));
  files::write_atomic(dir / "appended.json", c1 + "\n" + c16);
  const ImportResult r = import_paths({dir / "appended.json"}, {});
  REQUIRE(r.ok());
  CHECK(r.files[0].reports == 2);
  REQUIRE(r.reports.size() == 1);  // same model and workload, concurrency 1 and 16: one sweep
  REQUIRE(r.reports[0].points.size() == 2);
  CHECK(r.reports[0].points[0].concurrency == 1);
  CHECK(r.reports[0].points[1].concurrency == 16);
}

TEST_CASE("the old benchmark_serving key `request_goodput:` and p99.9 keys are read", "[ingest]") {
  const ImportResult r = import_paths(
      {test::fixture("inferencemax/inferencex-raw-benchmark_serving_gpt-oss-120b_multinode_ctx8_gen8_conc64.json")}, {});
  REQUIRE(r.ok());
  const model::Report& rep = r.reports.at(0);
  CHECK(rep.provenance.tool == "InferenceX benchmark_serving.py (vLLM fork)");
  CHECK(rep.system.model.id == "openai/gpt-oss-120b");  // from the Hugging Face cache path
  const model::Point& p = rep.points.at(0);
  CHECK(p.ttft_ms.percentile(99.9) == Approx(715.0928137269802));
  CHECK(p.e2el_ms.percentile(90) == Approx(13396.61577034276));
  CHECK(p.request_rate_inf);
  const auto& mapped = r.files[0].account.mapped;
  CHECK(std::find(mapped.begin(), mapped.end(), "request_goodput:") != mapped.end());
}

TEST_CASE("a 50 MB per-request array imports in reasonable time", "[ingest][slow]") {
  ScratchDir dir("vllm-50mb");
  const std::string text = detailed_result(170000, 40);
  REQUIRE(text.size() > 50u * 1000 * 1000);
  files::write_atomic(dir / "big.json", text);
  const auto start = std::chrono::steady_clock::now();
  const ImportResult r = import_paths({dir / "big.json"}, {});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(r.ok());
  CHECK(r.reports.at(0).points.at(0).samples.itl_ms.size() == 170000u * 40);
  CHECK(r.files[0].account.warnings.empty());
  CHECK(seconds < 120);  // unoptimised Debug build on a shared 2-core machine
  WARN("50 MB import took " << seconds << " s");
}
