#include <catch2/catch.hpp>

#include "ingest/fields.hpp"

using namespace sitegen::ingest;

TEST_CASE("run ids come from every timestamp form producers write", "[ingest]") {
  CHECK(run_id_from_text("20260529-032503") == "20260529-032503");
  CHECK(run_id_from_text("2026-09-04T20:33:17Z") == "20260904-203317");
  CHECK(run_id_from_text("2026-01-19 11:22:13") == "20260119-112213");
  CHECK(run_id_from_text("2026-05-30T12:30:38.214751") == "20260530-123038");
  CHECK(run_id_from_text("2026-07-02") == "20260702-000000");
  CHECK(run_id_from_text("yesterday").empty());
  CHECK(run_id_from_unix(1786022594.99) == "20260806-132314");
  CHECK(iso_from_unix(1786022594.99) == "2026-08-06T13:23:14Z");
  CHECK(iso_if_utc("2026-09-04T20:33:17Z") == "2026-09-04T20:33:17Z");
  CHECK(iso_if_utc("20260529-032503").empty());  // vLLM's date is local time: not claimed as UTC
}

TEST_CASE("run ids are UTC: a stated offset is applied, a missing zone is taken as UTC", "[ingest]") {
  // The reported case: two hours east of UTC.
  CHECK(run_id_from_text("2026-04-10T16:31:41+02:00") == "20260410-143141");
  CHECK(iso_if_utc("2026-04-10T16:31:41+02:00") == "2026-04-10T14:31:41Z");
  // West of UTC, across midnight and a month end; the compact and hour-only offset forms.
  CHECK(run_id_from_text("2026-04-30T21:15:00-05:00") == "20260501-021500");
  CHECK(run_id_from_text("2026-04-30T21:15:00-0530") == "20260501-024500");
  CHECK(run_id_from_text("2026-01-01T01:00:00+03") == "20251231-220000");
  // Fractions of a second are dropped, with or without a zone.
  CHECK(run_id_from_text("2026-04-10T16:31:41.999999+02:00") == "20260410-143141");
  CHECK(iso_if_utc("2026-05-30T12:30:38.214751Z") == "2026-05-30T12:30:38Z");
  CHECK(run_id_from_text("2026-05-30T12:30:38.2147519") == "20260530-123038");
  // Two runners in different zones at the same instant get the same run id, so "latest" orders
  // them by when they ran.
  CHECK(run_id_from_text("2026-04-10T16:31:41+02:00") == run_id_from_text("2026-04-10T07:31:41-07:00"));
  CHECK(run_id_from_text("2026-04-10T16:31:41+02:00") == run_id_from_text("2026-04-10T14:31:41Z"));
  // No zone: the time is taken as UTC and not claimed as UTC in started_at.
  CHECK(run_id_from_text("2026-04-10T16:31:41") == "20260410-163141");
  CHECK(iso_if_utc("2026-04-10T16:31:41").empty());
  // Not a date: no run id rather than a wrong one.
  CHECK(run_id_from_text("2026-13-45T16:31:41Z").empty());
  CHECK(run_id_from_text("2026-02-30 10:00:00").empty());
}

TEST_CASE("vLLM-style keys with dynamic percentiles become one Stat, scaled", "[ingest]") {
  const Json j = {{"mean_ttft_ms", 10.0}, {"p99.9_ttft_ms", 40.0}, {"p99_ttft_ms", 30.0}, {"median_ttft_ms", 9.0},
                  {"std_ttft_ms", 2.0}, {"p90_ttft_ms", "20"}, {"mean_tpot_ms", 1.0}};
  Account account;
  Fields f(j, "", account);
  const auto s = f.stat("ttft", "_ms", 0.5);
  CHECK(s.mean == 5.0);
  CHECK(s.median == 4.5);
  CHECK(s.percentile(99.9) == 20.0);
  CHECK(s.percentile(99) == 15.0);
  CHECK(s.percentile(90) == 10.0);  // numbers stored as strings are read
  const Json rest = f.rest();
  CHECK(rest.size() == 1);
  CHECK(rest.contains("mean_tpot_ms"));
  CHECK(account.extra == std::vector<std::string>{"mean_tpot_ms"});
}

TEST_CASE("a value of the wrong type is reported unreadable, not guessed", "[ingest]") {
  const Json j = {{"completed", "lots"}, {"duration", 1.5}};
  Account account;
  Fields f(j, "", account);
  CHECK_FALSE(f.integer("completed"));
  CHECK(f.number("duration") == 1.5);
  REQUIRE(account.unreadable.size() == 1);
  CHECK_THAT(account.unreadable[0], Catch::Contains("completed") && Catch::Contains("\"lots\""));
}

TEST_CASE("precision words in a model name are read, nothing else is assumed", "[ingest]") {
  sitegen::model::ModelInfo awq, plain, fp4;
  precision_from_name("hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4", awq);
  CHECK(awq.quantization == "awq");
  CHECK(awq.precision == "int4");
  precision_from_name("meta-llama/Llama-3.1-8B-Instruct", plain);
  CHECK(plain.precision.empty());
  CHECK(plain.quantization.empty());
  precision_from_name("tokenlabsdotrun/Llama-3.1-8B-ModelOpt-NVFP4", fp4);
  CHECK(fp4.precision == "fp4");
  CHECK(fp4.quantization == "nvfp4");
}
