#include <catch2/catch.hpp>

#include "ingest/import.hpp"
#include "support.hpp"
#include "util/files.hpp"

using namespace sitegen;
using namespace sitegen::ingest;
using sitegen::test::ScratchDir;

namespace {

// Real genai-perf exports (tests/data/genai-perf/SOURCES.md).
std::filesystem::path data(const std::string& name) { return test::source("tests/data/genai-perf/" + name); }
const std::string k_c10 = "adaptive_simple_medium_response_c10_genai_perf.json";

const FileOutcome& only_file(const ImportResult& r) {
  REQUIRE(r.files.size() == 1);
  return r.files[0];
}

}  // namespace

TEST_CASE("genai-perf exports are recognised from their content, not their name", "[ingest]") {
  ScratchDir dir("genai-perf-detect");
  std::filesystem::copy(data(k_c10), dir / "renamed.json");
  const ImportResult r = import_paths({dir / "renamed.json"}, {});
  REQUIRE(r.ok());
  CHECK(only_file(r).format == "genai-perf");
  // An AIPerf export has the same metric objects but is not taken for genai-perf.
  const ImportResult aiperf = import_paths({test::fixture("aiperf/profile_export_aiperf_kimik2.5-fp4_mi355x_vllm_tp4_conc16_lmcache.json")}, {});
  CHECK(only_file(aiperf).format == "aiperf");
}

TEST_CASE("genai-perf 2025 layout: load, model, endpoint and lengths come from input_config", "[ingest]") {
  const ImportResult r = import_paths({data(k_c10)}, {});
  REQUIRE(r.ok());
  const model::Report& rep = r.reports.at(0);
  CHECK(rep.provenance.tool == "genai-perf");
  CHECK(rep.system.model.id == "auto");  // input_config.model_names, not endpoint.model_names
  CHECK(rep.workload.endpoint == "/v1/chat/completions");
  CHECK(rep.workload.input_len == 550);
  CHECK_FALSE(rep.workload.output_len.has_value());  // output_tokens.mean is "" (not set)
  const model::Point& p = rep.points.at(0);
  CHECK(p.concurrency == 10);
  CHECK(p.completed == 26);
  CHECK(p.request_throughput_rps == Approx(0.9143702288467201));
  CHECK(p.output_throughput_tps == Approx(408.8289965516585));
  CHECK(p.e2el_ms.mean == Approx(9611.462467961537));  // unit "ms": kept as is
  CHECK(p.e2el_ms.percentile(1) == Approx(3577.63593275));
  CHECK(p.e2el_ms.median == Approx(8457.4495335));
  CHECK(p.extra.contains("output_sequence_length"));
}

TEST_CASE("a genai-perf run without streaming keeps its TTFT out of the TTFT field", "[ingest]") {
  const ImportResult r = import_paths({data(k_c10)}, {});
  REQUIRE(r.ok());
  const model::Point& p = r.reports.at(0).points.at(0);
  CHECK(p.ttft_ms.empty());
  REQUIRE(p.extra.contains("time_to_first_token"));
  CHECK(p.extra["time_to_first_token"]["avg"].get<double>() == Approx(*p.e2el_ms.mean));
  CHECK(p.extra["time_to_first_token"]["p50"].get<double>() == Approx(*p.e2el_ms.median));
  const Account& a = only_file(r).account;
  REQUIRE(a.warnings.size() == 1);
  CHECK_THAT(a.warnings[0], Catch::Contains(k_c10 + ": time_to_first_token: not streamed"));
  CHECK(std::find(a.extra.begin(), a.extra.end(), "time_to_first_token") != a.extra.end());
}

TEST_CASE("genai-perf latencies in ns (2024 releases) are scaled to ms and an unknown unit is reported", "[ingest]") {
  // The 2024 releases wrote {"unit": "ns"} and flat CLI arguments in input_config. The real
  // 2025 export is rewritten into that shape here (the same run, so the ms values must come back).
  model::Json j = model::Json::parse(files::read(data(k_c10)));
  for (const char* metric : {"request_latency", "time_to_first_token"}) {
    for (auto it = j[metric].begin(); it != j[metric].end(); ++it) {
      if (it->is_number()) *it = it->get<double>() * 1e6;
    }
    j[metric]["unit"] = "ns";
  }
  j["input_config"] = {{"model", {"ensemble"}}, {"endpoint_type", "kserve"}, {"streaming", true},
                       {"concurrency", 10}, {"synthetic_input_tokens_mean", 200}, {"output_tokens_mean", 500}};
  ScratchDir dir("genai-perf-ns");
  files::write_atomic(dir / "old.json", j.dump(2));
  const ImportResult r = import_paths({dir / "old.json"}, {});
  REQUIRE(r.ok());
  const model::Report& rep = r.reports.at(0);
  CHECK(rep.system.model.id == "ensemble");
  CHECK(rep.workload.input_len == 200);
  CHECK(rep.workload.output_len == 500);
  const model::Point& p = rep.points.at(0);
  CHECK(p.concurrency == 10);
  CHECK(p.ttft_ms.mean == Approx(9611.462467961537));  // streamed: a real TTFT
  CHECK(p.e2el_ms.percentile(99) == Approx(19113.67754225));

  j["request_latency"]["unit"] = "fortnights";
  files::write_atomic(dir / "odd.json", j.dump(2));
  const ImportResult odd = import_paths({dir / "odd.json"}, {});
  REQUIRE(odd.ok());
  CHECK(odd.reports.at(0).points.at(0).e2el_ms.empty());
  const auto& u = only_file(odd).account.unreadable;
  CHECK(std::find(u.begin(), u.end(), "request_latency: expected a metric object with a time unit, got unit 'fortnights'") !=
        u.end());
}
