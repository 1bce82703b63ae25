#include <catch2/catch.hpp>

#include "ingest/import.hpp"
#include "stats/summary.hpp"
#include "support.hpp"
#include "util/files.hpp"
#include "util/format.hpp"

using namespace sitegen;
using namespace sitegen::ingest;
using sitegen::test::ScratchDir;

namespace {

// One SGLang bench_serving line written with --output-details: per-request arrays in seconds
// (the last request failed, as SGLang records it: error text, ttft 0, no gaps, output_len 0) and
// the ms summaries SGLang computes from the successful ones. mean_ttft_ms is put off by offset.
std::string detailed_line(std::size_t requests, std::size_t gaps, double offset = 0) {
  std::vector<double> ttft_ms, itl_ms;
  std::string ttfts, itls, in, out, errors, texts;
  long long output_total = 0;
  for (std::size_t i = 0; i <= requests; ++i) {
    const bool failed = i == requests;
    const std::string sep = i ? ", " : "";
    const std::string t = failed ? "0.0" : "0.1" + std::to_string(10 + i % 71);
    ttfts += sep + t;
    if (!failed) ttft_ms.push_back(std::stod(t) * 1000);
    itls += sep + "[";
    for (std::size_t g = 0; !failed && g < gaps; ++g) {
      const std::string gap = "0.01" + std::to_string(100 + (3 * i + g) % 37);
      itls += (g ? ", " : "") + gap;
      itl_ms.push_back(std::stod(gap) * 1000);
    }
    itls += "]";
    in += sep + "512";
    out += sep + (failed ? "0" : std::to_string(gaps + 1));
    output_total += failed ? 0 : static_cast<long long>(gaps + 1);
    errors += sep + (failed ? "\"Traceback: ClientPayloadError\"" : "\"\"");
    texts += sep + (failed ? "\"\"" : "\"some text\"");
  }
  const auto num = [](std::optional<double> v) { return format::shortest(*v); };
  const auto pct = [](const std::vector<double>& v, double p) {
    return format::shortest(*stats::percentile(v, p));
  };
  return "{\"tag\": null, \"backend\": \"sglang\", \"dataset_name\": \"random\", \"request_rate\": Infinity, "
         "\"max_concurrency\": 8, \"random_input_len\": 512, \"random_output_len\": " + std::to_string(gaps + 1) +
         ", \"duration\": 20.0, \"completed\": " + std::to_string(requests) +
         ", \"total_input_tokens\": " + std::to_string(512 * requests) +
         ", \"total_output_tokens\": " + std::to_string(output_total) +
         ", \"total_output_tokens_retokenized\": " + std::to_string(output_total) +
         ", \"request_throughput\": 1.0, \"input_throughput\": 1.0, \"output_throughput\": 1.0, "
         "\"mean_ttft_ms\": " + format::shortest(*stats::mean(ttft_ms) + offset) +
         ", \"median_ttft_ms\": " + pct(ttft_ms, 50) + ", \"std_ttft_ms\": " + num(stats::stddev(ttft_ms)) +
         ", \"p99_ttft_ms\": " + pct(ttft_ms, 99) + ", \"mean_itl_ms\": " + num(stats::mean(itl_ms)) +
         ", \"median_itl_ms\": " + pct(itl_ms, 50) + ", \"std_itl_ms\": " + num(stats::stddev(itl_ms)) +
         ", \"p95_itl_ms\": " + pct(itl_ms, 95) + ", \"p99_itl_ms\": " + pct(itl_ms, 99) +
         ", \"mean_e2e_latency_ms\": 2000.0, \"concurrency\": 7.9, \"input_lens\": [" + in + "], \"output_lens\": [" +
         out + "], \"ttfts\": [" + ttfts + "], \"itls\": [" + itls + "], \"generated_texts\": [" + texts +
         "], \"errors\": [" + errors + "]}";
}

}  // namespace

TEST_CASE("SGLang --output-details arrays in seconds become ms samples of the successful requests", "[ingest]") {
  ScratchDir dir("sglang-details");
  files::write_atomic(dir / "run.jsonl", detailed_line(40, 6) + "\n");
  const ImportResult r = import_paths({dir / "run.jsonl"}, {});
  REQUIRE(r.ok());
  REQUIRE(r.files[0].format == "sglang");
  const model::Point& p = r.reports.at(0).points.at(0);
  CHECK(p.samples.ttft_ms.size() == 40);  // the failed request is left out
  CHECK(p.samples.itl_ms.size() == 240);
  CHECK(p.samples.ttft_ms[1] == Approx(111.0));  // 0.111 s
  CHECK(p.samples.output_tokens.size() == 40);
  // SGLang's request latency includes the wait for [DONE], which the arrays do not hold.
  CHECK(p.samples.e2el_ms.empty());
  CHECK(p.samples.tpot_ms.empty());
  CHECK(p.e2el_ms.mean == 2000.0);
  const Account& a = r.files[0].account;
  CHECK(a.cross_checked == 11);  // ttft mean/median/std/p99, itl mean/median/std/p95/p99, token totals
  CHECK(a.warnings.empty());
  CHECK(std::find(a.mapped.begin(), a.mapped.end(), "ttfts") != a.mapped.end());
  CHECK(std::find(a.unreadable.begin(), a.unreadable.end(), "generated_texts: the generated texts are not kept") !=
        a.unreadable.end());
  CHECK(p.extra.contains("concurrency"));  // no canonical home: kept
  CHECK_FALSE(p.extra.contains("ttfts"));
}

TEST_CASE("an SGLang summary that disagrees with its own arrays is a warning naming the line", "[ingest]") {
  ScratchDir dir("sglang-details-mismatch");
  files::write_atomic(dir / "run.jsonl", detailed_line(10, 3) + "\n" + detailed_line(10, 3, 0.5) + "\n");
  const ImportResult r = import_paths({dir / "run.jsonl"}, {});
  REQUIRE(r.ok());
  const Account& a = r.files[0].account;
  CHECK(a.cross_checked == 22);
  REQUIRE(a.warnings.size() == 1);
  CHECK_THAT(a.warnings[0], Catch::Contains("run.jsonl: line 2: /points/0/ttft_ms/mean: the file says") &&
                                Catch::Contains("its per-request samples give"));
}

TEST_CASE("SGLang per-request arrays of different lengths are reported, not guessed at", "[ingest]") {
  ScratchDir dir("sglang-details-bad");
  std::string line = detailed_line(5, 2);
  const std::string ttfts = "\"ttfts\": [";
  line.replace(line.find(ttfts), ttfts.size(), ttfts + "0.5, ");
  files::write_atomic(dir / "run.jsonl", line + "\n");
  const ImportResult r = import_paths({dir / "run.jsonl"}, {});
  REQUIRE(r.ok());
  CHECK(r.reports.at(0).points.at(0).samples.empty());
  const auto& u = r.files[0].account.unreadable;
  CHECK(std::find(u.begin(), u.end(), "ttfts: has 7 entries, other per-request arrays have 6") != u.end());
}
