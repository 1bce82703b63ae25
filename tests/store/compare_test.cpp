#include "store/compare.hpp"

#include <catch2/catch.hpp>

#include "model/json_io.hpp"
#include "store/layout.hpp"
#include "support.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

using namespace sitegen;
using sitegen::test::fixture;
using sitegen::test::run_cli;
using sitegen::test::ScratchDir;

namespace {

model::Report base_report(const std::string& run_id) {
  model::Report r;
  r.provenance.tool = "test";
  r.provenance.run_id = run_id;
  r.system.gpu.model = "H100";
  r.system.gpu.count = 1;
  r.system.engine.name = "vllm";
  r.system.model.id = "Qwen/Qwen3-1.7B";
  r.system.model.precision = "bf16";
  r.workload.benchmark = "serving";
  return r;
}

// ISO-Bench's before/after of one vLLM commit (baseline vs an agent's patch), real numbers from
// the "separate_*_mean_ttft_ms-naming" fixtures: 50 ShareGPT requests at 1 request/s, no samples.
model::Report iso_bench_report(const std::string& file, const std::string& run_id) {
  const model::Json j = model::read_json_file(fixture("iso-bench/" + file));
  const model::Json& m = j.at("metrics");
  model::Report r = base_report(run_id);
  model::Point p;
  p.request_rate_rps = 1;
  p.completed = m.at("successful_requests").get<long long>();
  p.request_throughput_rps = m.at("request_throughput_req_s").get<double>();
  p.output_throughput_tps = m.at("output_token_throughput_tok_s").get<double>();
  for (auto [stat, name] : {std::pair{&p.ttft_ms, "ttft"}, {&p.tpot_ms, "tpot"}, {&p.itl_ms, "itl"}}) {
    stat->mean = m.at(std::string("mean_") + name + "_ms").get<double>();
    stat->median = m.at(std::string("median_") + name + "_ms").get<double>();
    stat->set_percentile(99, m.at(std::string("p99_") + name + "_ms").get<double>());
  }
  r.points.push_back(p);
  return r;
}

// llmperf's per-request records of a hosted Llama-2-70B endpoint (150 requests, 5 concurrent):
// successful requests become per-request TTFT and E2E samples, scaled by `scale`.
model::Report llmperf_report(const std::string& file, const std::string& run_id, double scale = 1.0) {
  const model::Json j = model::read_json_file(fixture("llmperf/" + file));
  model::Report r = base_report(run_id);
  model::Point p;
  p.concurrency = 5;
  p.failed = 0;
  for (const model::Json& row : j) {
    if (!row.at("error_code").is_null()) {
      ++*p.failed;
      continue;
    }
    p.samples.ttft_ms.push_back(row.at("ttft_s").get<double>() * 1000 * scale);
    p.samples.e2el_ms.push_back(row.at("end_to_end_latency_s").get<double>() * 1000 * scale);
  }
  p.completed = static_cast<long long>(p.samples.ttft_ms.size());
  r.points.push_back(p);
  return r;
}

// One `vllm bench serve` result file (forge, RTX A5000) as a point.
model::Point vllm_point(const std::string& file) {
  const model::Json j = model::read_json_file(fixture("vllm-bench-serve/" + file));
  model::Point p;
  p.concurrency = j.at("max_concurrency").get<long long>();
  p.completed = j.at("completed").get<long long>();
  p.output_throughput_tps = j.at("output_throughput").get<double>();
  p.request_throughput_rps = j.at("request_throughput").get<double>();
  for (auto [stat, name] : {std::pair{&p.ttft_ms, "ttft"}, {&p.tpot_ms, "tpot"}, {&p.itl_ms, "itl"}}) {
    stat->median = j.at(std::string("median_") + name + "_ms").get<double>();
    stat->set_percentile(99, j.at(std::string("p99_") + name + "_ms").get<double>());
  }
  return p;
}

model::Report forge_report(const std::string& precision, const std::vector<std::string>& levels) {
  model::Report r = base_report("20260529-0000" + precision);
  r.system.gpu.model = "RTX A5000";
  r.system.model.id = "meta-llama/Llama-3.1-8B-Instruct";
  r.system.model.precision = precision;
  for (const std::string& c : levels) {
    r.points.push_back(vllm_point("forge_full-" + precision + "-c" + c + "_A5000_llama31-8b.json"));
  }
  return r;
}

std::string write(const ScratchDir& dir, const std::string& name, const model::Report& r) {
  const auto path = dir / name;
  files::write_atomic(path, model::dump(r));
  return path.string();
}

const store::MetricDelta& metric(const store::ConfigComparison& c, const std::string& name, std::size_t point = 0) {
  for (const auto& m : c.points.at(point).metrics) {
    if (m.metric == name) return m;
  }
  FAIL("no metric " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("ISO-Bench agent patch: TTFT p99 +119% is flagged on the threshold alone", "[store][compare]") {
  const auto c = store::compare_reports(iso_bench_report("separate_baseline_015069b0_mean_ttft_ms-naming.json", "base"),
                                        iso_bench_report("separate_agent_015069b0_mean_ttft_ms-naming.json", "agent"),
                                        {});
  REQUIRE(c.points.size() == 1);
  CHECK(c.points[0].load == "rate 1 rps");
  const auto& p99 = metric(c, "ttft_p99");
  CHECK(p99.base == Approx(13.33));
  CHECK(p99.candidate == Approx(29.20));
  CHECK(*p99.delta_pct == Approx(119.06).epsilon(1e-3));
  CHECK(p99.regressed);
  CHECK(p99.verdict == "regressed: +119.1% > 20% (threshold only: no per-request samples)");
  // The median barely moved, TPOT p99 improved, throughput is unchanged: none regress.
  CHECK(metric(c, "ttft_p50").verdict == "ok: +1.3% within 10%");
  CHECK(metric(c, "tpot_p99").verdict == "ok: -1.0% (better)");
  CHECK_FALSE(metric(c, "output_throughput").regressed);
  CHECK_FALSE(metric(c, "itl_p99").regressed);
}

TEST_CASE("a planted +30% shift of per-request samples is flagged with its p-value", "[store][compare]") {
  const auto base = llmperf_report("leaderboard_individual_responses_anyscale_70b.json", "a");
  const auto cand = llmperf_report("leaderboard_individual_responses_anyscale_70b.json", "b", 1.3);
  const auto c = store::compare_reports(base, cand, {});
  const auto& ttft = metric(c, "ttft_p50");
  REQUIRE(ttft.p_value);
  CHECK(*ttft.p_value < 0.001);
  CHECK(ttft.regressed);
  CHECK(ttft.base_samples == 150);
  CHECK(ttft.verdict == "regressed: +30.0% > 10% and p<0.001");
  CHECK(metric(c, "e2el_p99").regressed);
}

TEST_CASE("an unchanged run passes with p = 1", "[store][compare]") {
  const auto base = llmperf_report("leaderboard_individual_responses_anyscale_70b.json", "a");
  const auto c = store::compare_reports(base, base, {});
  REQUIRE(c.points[0].metrics.size() == 5);  // TTFT and E2E p50/p99 from samples, failed requests
  for (const auto& m : c.points[0].metrics) {
    CHECK_FALSE(m.regressed);
    if (m.metric == "failed_pct") {
      CHECK(m.verdict == "ok: 0.0 pp within 1 pp");
      continue;
    }
    CHECK(m.verdict == "ok: 0.0% within " + std::string(m.metric.ends_with("p99") ? "20%" : "10%"));
    REQUIRE(m.p_value);
    CHECK(*m.p_value == Approx(1.0));
  }
}

TEST_CASE("noise within the threshold passes", "[store][compare]") {
  const auto base = llmperf_report("leaderboard_individual_responses_anyscale_70b.json", "a");
  const auto cand = llmperf_report("leaderboard_individual_responses_anyscale_70b.json", "b", 1.04);
  const auto c = store::compare_reports(base, cand, {});
  for (const auto& m : c.points[0].metrics) {
    CHECK_FALSE(m.regressed);
    if (m.metric != "failed_pct") CHECK(*m.delta_pct == Approx(4.0));
  }
}

TEST_CASE("a tail beyond the threshold that the rank test calls noise passes and says why", "[store][compare]") {
  const auto base = llmperf_report("leaderboard_individual_responses_anyscale_70b.json", "a");
  auto cand = base;
  // The two slowest first tokens get three times slower: p99 moves a lot, the distribution not.
  auto& ttft = cand.points[0].samples.ttft_ms;
  std::vector<std::size_t> order(ttft.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return ttft[a] > ttft[b]; });
  ttft[order[0]] *= 3;
  ttft[order[1]] *= 3;
  const auto c = store::compare_reports(base, cand, {});
  const auto& p99 = metric(c, "ttft_p99");
  CHECK(*p99.delta_pct > 20);
  CHECK_FALSE(p99.regressed);
  CHECK_THAT(p99.verdict, Catch::Contains("> 20% but p=") && Catch::Contains("(noise)"));
}

TEST_CASE("two real providers: bedrock is slower than anyscale, and significantly so", "[store][compare]") {
  // Hand-computed from the fixtures: TTFT p50 212.8 -> 387.7 ms (+82%), Mann-Whitney p ~ 1e-33.
  const auto c = store::compare_reports(
      llmperf_report("leaderboard_individual_responses_anyscale_70b.json", "a"),
      llmperf_report("leaderboard_individual_responses_bedrock_70b.json", "b"), {});
  const auto& ttft = metric(c, "ttft_p50");
  CHECK(ttft.base == Approx(212.82956));
  CHECK(ttft.candidate == Approx(387.71995));
  CHECK(ttft.candidate_samples == 101);  // 49 failed requests carry no timing
  CHECK(ttft.regressed);
  CHECK(*ttft.p_value < 1e-30);
  // 49 of bedrock's 150 requests failed: a share, compared in percentage points.
  const auto& failed = metric(c, "failed_pct");
  CHECK(failed.base == Approx(0.0));
  CHECK(failed.candidate == Approx(49.0 / 150 * 100));
  CHECK(failed.regressed);
  CHECK(failed.verdict == "regressed: +32.7 pp > 1 pp (threshold only: no per-request samples)");
}

TEST_CASE("too few samples fall back to the threshold and say so", "[store][compare]") {
  auto base = base_report("a");
  model::Point p;
  p.concurrency = 1;
  p.samples.ttft_ms = {100, 110, 120};
  base.points.push_back(p);
  auto cand = base;
  cand.points[0].samples.ttft_ms = {150, 160, 170};
  const auto c = store::compare_reports(base, cand, {});
  const auto& ttft = metric(c, "ttft_p50");
  CHECK(ttft.regressed);
  CHECK_FALSE(ttft.p_value);
  CHECK(ttft.verdict == "regressed: +45.5% > 10% (threshold only: 3 samples, the rank test needs 8)");
}

TEST_CASE("two configurations: forge's AWQ against BF16 on an RTX A5000, with a point missing", "[store][compare]") {
  const auto bf16 = forge_report("bf16", {"0001", "0016", "0064"});
  const auto awq = forge_report("awq", {"0001", "0016"});
  const auto c = store::compare_reports(bf16, awq, {});
  CHECK(c.config == "llama-3.1-8b-instruct-bf16/rtx-a5000-1gpu/vllm/serving-conc -> "
                    "llama-3.1-8b-instruct-awq/rtx-a5000-1gpu/vllm/serving-conc");
  REQUIRE(c.points.size() == 3);
  CHECK(c.points[0].load == "concurrency 1");
  // Real figures: single-stream output throughput 40.6 -> 13.0 tok/s.
  const auto& tput = metric(c, "output_throughput");
  CHECK(tput.base == Approx(40.6201629));
  CHECK(tput.candidate == Approx(12.9673170));
  CHECK(tput.regressed);
  CHECK(tput.verdict == "regressed: -68.1% < -5% (threshold only: no per-request samples)");
  CHECK(c.points[2].load == "concurrency 64");
  CHECK(c.points[2].in_base);
  CHECK_FALSE(c.points[2].in_candidate);
}

TEST_CASE("thresholds are overridable per metric and checked", "[store][compare]") {
  store::CompareOptions options;
  store::set_threshold(options, "ttft_p99=150%");
  const auto c = store::compare_reports(iso_bench_report("separate_baseline_015069b0_mean_ttft_ms-naming.json", "b"),
                                        iso_bench_report("separate_agent_015069b0_mean_ttft_ms-naming.json", "a"),
                                        options);
  CHECK(metric(c, "ttft_p99").verdict == "ok: +119.1% within 150%");
  CHECK_THROWS_WITH(store::set_threshold(options, "ttft_p90=5"),
                    Catch::Contains("unknown metric 'ttft_p90'") && Catch::Contains("did you mean 'ttft_p"));
  CHECK_THROWS_WITH(store::set_threshold(options, "ttft_p99"), Catch::Contains("expected METRIC=PERCENT"));
  CHECK_THROWS_WITH(store::set_threshold(options, "ttft_p99=-3"), Catch::Contains("non-negative percentage"));
  CHECK_THROWS_WITH(store::set_threshold(options, "ttft_p99=abc"), Catch::Contains("non-negative percentage"));
}

TEST_CASE("results trees: the latest run of each configuration is compared, the rest listed", "[store][compare]") {
  ScratchDir base("compare-base"), cand("compare-cand");
  auto old_run = iso_bench_report("separate_agent_015069b0_mean_ttft_ms-naming.json", "20260101-000000");
  auto new_run = iso_bench_report("separate_baseline_015069b0_mean_ttft_ms-naming.json", "20260102-000000");
  auto other = new_run;
  other.system.model.id = "other/model";
  for (const auto* r : {&old_run, &new_run, &other}) {
    files::write_atomic(base.path() / store::relative_dir(*r) / "report.json", model::dump(*r));
  }
  auto agent = iso_bench_report("separate_agent_015069b0_mean_ttft_ms-naming.json", "20260103-000000");
  auto extra = agent;
  extra.system.gpu.model = "L40S";
  for (const auto* r : {&agent, &extra}) {
    files::write_atomic(cand.path() / store::relative_dir(*r) / "report.json", model::dump(*r));
  }
  const auto cmp = store::compare_paths(base.path(), cand.path(), {});
  REQUIRE(cmp.configs.size() == 1);
  CHECK(cmp.configs[0].base_run == "20260102-000000");  // newer than the agent run of 0101
  CHECK(cmp.regressions() == 1);                         // TTFT p99, as above
  CHECK(cmp.only_in_base == std::vector<std::string>{"model-bf16/h100-1gpu/vllm/serving-rate"});
  CHECK(cmp.only_in_candidate == std::vector<std::string>{"qwen3-1.7b-bf16/l40s-1gpu/vllm/serving-rate"});
  const std::string md = store::to_markdown(cmp, {});
  CHECK_THAT(md, Catch::Contains("Only in base, not compared (1)"));
  CHECK_THAT(md, Catch::Contains("Only in candidate, not compared (1)"));
}

TEST_CASE("a broken report is listed, and a side with nothing loadable is an error naming it", "[store][compare]") {
  ScratchDir dir("compare-broken");
  const auto good = write(dir, "good/report.json", iso_bench_report("separate_baseline_015069b0_mean_ttft_ms-naming.json", "r1"));
  files::write_atomic(dir / "bad/report.json", "{\"schema\": \"sitegen.report/v1\", \"points\": [");
  const auto cmp = store::compare_paths(dir.path(), good, {});
  REQUIRE(cmp.problems.size() == 1);
  CHECK_THAT(cmp.problems[0], Catch::Contains("bad/report.json"));
  CHECK_THAT(store::to_markdown(cmp, {}), Catch::Contains("Skipped files (1)"));
  CHECK_THROWS_WITH(store::compare_paths(dir / "bad", good, {}),
                    Catch::Contains("BASE") && Catch::Contains("no report.json could be loaded") &&
                        Catch::Contains("bad/report.json"));
  CHECK_THROWS_WITH(store::compare_paths(good, dir / "nowhere", {}),
                    Catch::Contains("CANDIDATE") && Catch::Contains("nowhere"));
}

TEST_CASE("sitegen compare fails on a regression only with --fail-on-regression", "[store][compare][cli]") {
  ScratchDir dir("compare-cli");
  const auto base = write(dir, "base.json", iso_bench_report("separate_baseline_015069b0_mean_ttft_ms-naming.json", "b"));
  const auto cand = write(dir, "cand.json", iso_bench_report("separate_agent_015069b0_mean_ttft_ms-naming.json", "a"));

  const auto plain = run_cli({"compare", base, cand});
  CHECK(plain.code == 0);
  CHECK_THAT(plain.out, Catch::StartsWith("## Benchmark comparison: 1 regression\n"));
  CHECK_THAT(plain.out, Catch::Contains("| rate 1 rps | TTFT p99 (ms) | 13.3 | 29.2 | +119.1% | "
                                        "**regressed: +119.1% > 20% (threshold only: no per-request samples)** |"));

  const auto summary = dir / "summary.md";
  const auto gate = run_cli({"compare", base, cand, "--fail-on-regression", "--markdown", summary.string()});
  CHECK(gate.code == 3);  // compare's own status for "regressed", apart from errors (1) and usage (2)
  CHECK_THAT(gate.err, Catch::Contains("1 metric(s) regressed"));
  CHECK(files::read(summary) == plain.out);

  const auto relaxed = run_cli({"compare", "--threshold", "ttft_p99=150", "--threshold", "tpot_p99=30", base, cand,
                                "--fail-on-regression"});
  CHECK(relaxed.code == 0);
  CHECK_THAT(relaxed.out, Catch::StartsWith("## Benchmark comparison: no regressions\n"));

  const auto same = run_cli({"compare", base, base, "--fail-on-regression", "--json"});
  CHECK(same.code == 0);
  const auto j = model::parse_json(same.out, "stdout");
  CHECK(j.at("regressions") == 0);
  CHECK(j.at("configurations").at(0).at("points").at(0).at("load") == "rate 1 rps");
}

TEST_CASE("sitegen compare explains bad arguments", "[store][compare][cli]") {
  ScratchDir dir("compare-args");
  const auto base = write(dir, "base.json", iso_bench_report("separate_baseline_015069b0_mean_ttft_ms-naming.json", "b"));
  const auto bad = run_cli({"compare", base, base, "--threshold", "tpot=5"});
  CHECK(bad.code == 1);
  CHECK_THAT(bad.err, Catch::Contains("sitegen: error: --threshold tpot=5: unknown metric 'tpot'"));
  const auto missing = run_cli({"compare", base, (dir / "absent.json").string()});
  CHECK(missing.code == 1);
  CHECK_THAT(missing.err, Catch::Contains("CANDIDATE") && Catch::Contains("absent.json"));
  const auto usage = run_cli({"compare", base});
  CHECK(usage.code == 2);
}

TEST_CASE("compare with same-config never compares one configuration with another", "[store][compare][cli]") {
  ScratchDir dir("compare-same");
  const auto bf16 = write(dir, "bf16/report.json", forge_report("bf16", {"0001"}));
  const auto awq = write(dir, "awq/report.json", forge_report("awq", {"0001"}));
  const auto cross = run_cli({"compare", bf16, awq, "--fail-on-regression"});
  CHECK(cross.code == 3);  // AWQ's single-stream throughput is 68% lower
  const auto same = run_cli({"compare", bf16, awq, "--same-config", "--fail-on-regression"});
  CHECK(same.code == 0);
  CHECK_THAT(same.out, Catch::Contains("No configuration is in both."));
  CHECK_THAT(same.out, Catch::Contains("Only in base, not compared (1):\n\n- `llama-3.1-8b-instruct-bf16/rtx-a5000-1gpu/vllm/serving-conc`"));
}

TEST_CASE("compare reports a workload mismatch as not comparable, never as a regression", "[store][compare][cli]") {
  ScratchDir dir("compare-mismatch");
  model::Report short_in = forge_report("bf16", {"0001"});
  short_in.workload.input_len = 64;
  model::Report long_in = forge_report("bf16", {"0001"});
  long_in.workload.input_len = 2048;
  long_in.points[0].ttft_ms.median = *long_in.points[0].ttft_ms.median * 19;  // a long prompt's prefill
  const auto a = write(dir, "a.json", short_in);
  const auto b = write(dir, "b.json", long_in);

  const store::ConfigComparison c = store::compare_reports(short_in, long_in, {});
  CHECK_FALSE(c.compared);
  CHECK(c.mismatches == std::vector<std::string>{"input length 64 vs 2048"});
  CHECK(c.points.empty());

  const auto gate = run_cli({"compare", a, b, "--fail-on-regression"});
  CHECK(gate.code == 4);
  CHECK_THAT(gate.out, Catch::Contains("no regressions, 1 not comparable") &&
                           Catch::Contains("**Not comparable: input length 64 vs 2048.**"));
  CHECK_THAT(gate.err, Catch::Contains("not comparable: input length 64 vs 2048"));
  CHECK_THAT(gate.out, !Catch::Contains("regressed"));

  // Asked for explicitly, the pair is compared and the mismatch is said beside the table.
  const auto forced = run_cli({"compare", a, b, "--allow-mismatch", "--fail-on-regression"});
  CHECK(forced.code == 3);
  CHECK_THAT(forced.out, Catch::Contains("Compared despite a mismatch (`--allow-mismatch`): input length 64 vs 2048."));
}

TEST_CASE("compare across engines is a mismatch, across precisions a comparison", "[store][compare]") {
  model::Report vllm = forge_report("bf16", {"0001"});
  model::Report sglang = vllm;
  sglang.system.engine.name = "sglang";
  CHECK(store::compare_reports(vllm, sglang, {}).mismatches == std::vector<std::string>{"engine vllm vs sglang"});
  const model::Report awq = forge_report("awq", {"0001"});
  CHECK(store::compare_reports(vllm, awq, {}).compared);
}
