#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

#include "store/dataset.hpp"
#include "store/merge.hpp"
#include "store/prune.hpp"
#include "store/synthetic.hpp"

using namespace sitegen;
namespace data = sitegen::test::store_data;
using test::fs::path;

TEST_CASE("the latest run is the greatest run id with a successful request", "[store]") {
  test::ScratchDir scratch("dataset-latest");
  const path results = scratch / "results";
  store::merge_reports({{data::synthetic_report("L40S", data::run_id(1), 100), "a"},
                        {data::synthetic_report("L40S", data::run_id(2), 110), "b"},
                        {data::synthetic_report("L40S", data::run_id(3), 0, 0), "failed rerun"}},
                       results);
  const store::Dataset d = store::load_dataset(results);
  REQUIRE(d.configurations.size() == 1);
  const store::Configuration& c = d.configurations[0];
  CHECK(c.runs.size() == 3);
  REQUIRE(c.latest_run());
  CHECK(c.latest_run()->summary.run_id == data::run_id(2));  // the failed rerun does not hide it
  CHECK(c.latest_run()->summary.max_output_tps == 110);
  CHECK(c.id == "llama-3.1-8b-instruct-bf16/l40s-1gpu/vllm/serving-conc");
}

TEST_CASE("a file that fails to load is a problem and the others still load", "[store]") {
  test::ScratchDir scratch("dataset-problem");
  const path results = scratch / "results";
  store::merge_reports({{data::synthetic_report("L40S", "r1", 100), "a"}}, results);
  const path broken = results / "x-bf16" / "l40s-1gpu" / "serving" / "r2" / "report.json";
  std::filesystem::create_directories(broken.parent_path());
  std::ofstream(broken) << R"({"schema": "sitegen.report/v1"})";
  const store::Dataset d = store::load_dataset(results);
  CHECK(d.run_count() == 1);
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].str().find("r2/report.json") != std::string::npos);
  CHECK(d.problems[0].severity == Problem::Severity::error);
}

TEST_CASE("a missing results directory is one problem, not a crash", "[store]") {
  const store::Dataset d = store::load_dataset("/nonexistent/results");
  CHECK(d.configurations.empty());
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].message.find("not found") != std::string::npos);
}

TEST_CASE("prune keeps the newest N runs, prints what it removed, and history survives", "[store]") {
  test::ScratchDir scratch("prune");
  const path results = scratch / "results";
  std::vector<std::pair<model::Report, std::string>> reports;
  for (int i = 0; i < 120; ++i) {
    reports.emplace_back(data::synthetic_report("RTX A5000", data::run_id(i), 100.0 + i), "a");
    reports.emplace_back(data::synthetic_report("H200", data::run_id(i), 500.0 + i), "b");
  }
  // The newest H200 runs all failed: the latest good one must survive any --keep.
  for (int i = 120; i < 125; ++i) reports.emplace_back(data::synthetic_report("H200", data::run_id(i), 0, 0), "c");
  REQUIRE(store::merge_reports(reports, results).ok());

  const store::PruneSummary dry = store::prune(results, 3, true);
  CHECK(dry.removed.size() == (120 - 3) + (125 - 4));
  CHECK(store::load_dataset(results).run_count() == 245);  // a dry run removes nothing

  const test::CliResult r = test::run_cli({"prune", "--keep", "3", "--results", results.string()});
  CHECK(r.code == 0);
  CHECK(r.out.find("removed ") != std::string::npos);
  CHECK(r.out.find(data::run_id(0)) != std::string::npos);
  CHECK(r.out.find("238 run(s) removed, 7 kept") != std::string::npos);

  const store::Dataset d = store::load_dataset(results);
  CHECK(d.problems.empty());
  REQUIRE(d.configurations.size() == 2);
  const store::Configuration& h200 = d.configurations[0].key.hardware == "h200" ? d.configurations[0] : d.configurations[1];
  CHECK(h200.runs.size() == 4);  // 3 newest (failed) + the latest good one
  REQUIRE(h200.latest_run());
  CHECK(h200.latest_run()->summary.run_id == data::run_id(119));
  CHECK(h200.history.size() == 125);  // every run's headline figures survive
  CHECK(h200.history.front().pruned);
  CHECK(h200.history.front().max_output_tps == 500);
  CHECK_FALSE(h200.history.back().pruned);

  // Pruning again removes nothing and does not duplicate history.
  CHECK(store::prune(results, 3).removed.empty());
  const store::Dataset after = store::load_dataset(results);
  CHECK(after.configurations[0].history.size() + after.configurations[1].history.size() == 245);
}

TEST_CASE("prune refuses --keep 0", "[store]") {
  test::ScratchDir scratch("prune-zero");
  const test::CliResult r = test::run_cli({"prune", "--keep", "0", "--results", scratch.path().string()});
  CHECK(r.code == 1);
  CHECK(r.err.find("--keep must be at least 1") != std::string::npos);
}

TEST_CASE("sitegen list shows each configuration's latest run, run count and last date", "[store]") {
  test::ScratchDir scratch("list");
  const path results = scratch / "results";
  store::merge_reports({{data::synthetic_report("L40S", "20260101-000001", 1), "a"},
                        {data::synthetic_report("L40S", "20260102-000001", 2), "b"},
                        {data::synthetic_report("H200", "20260103-000001", 3), "c"}},
                       results);
  const test::CliResult text = test::run_cli({"list", "--results", results.string()});
  CHECK(text.code == 0);
  CHECK(text.out.find("llama-3.1-8b-instruct-bf16/l40s-1gpu/vllm/serving-conc\n    latest 20260102-000001, 2 run(s)") !=
        std::string::npos);
  CHECK(text.out.find("2 configuration(s), 3 run(s)") != std::string::npos);
  const test::CliResult json = test::run_cli({"list", "--json", "--results", results.string()});
  const model::Json j = model::Json::parse(json.out);
  REQUIRE(j["configurations"].size() == 2);
  CHECK(j["configurations"][0]["latest"]["run_id"] == "20260103-000001");
  CHECK(j["configurations"][1]["runs"] == 2);
}

TEST_CASE("the merged dataset document carries latest points, history and economics", "[store]") {
  test::ScratchDir scratch("dataset-json");
  const path results = scratch / "results";
  store::merge_reports({{data::synthetic_report("L40S", "r1", 1), "a"}, {data::synthetic_report("L40S", "r2", 2), "b"}},
                       results);
  const store::Dataset d = store::load_dataset(results);
  const model::Json j = store::dataset_json(d, [](const store::Configuration&, const store::Run& latest) {
    return model::Json{{"run", latest.summary.run_id}};
  });
  CHECK(j["schema"] == "sitegen.dataset/v1");
  REQUIRE(j["configurations"].size() == 1);
  const model::Json& c = j["configurations"][0];
  CHECK(c["latest"]["run_id"] == "r2");
  CHECK(c["latest"]["report"]["points"][0]["output_throughput_tps"] == 2);
  CHECK(c["history"].size() == 2);
  CHECK(c["economics"]["run"] == "r2");
}

TEST_CASE("loading 2,000 runs of 6 points takes well under a second per thousand", "[store][.slow]") {
  // Scaled-down form of the site's 10,000-run budget (2 s on 2 cores) for the test suite.
  test::ScratchDir scratch("dataset-speed");
  const path results = scratch / "results";
  std::vector<std::pair<model::Report, std::string>> reports;
  for (int i = 0; i < 2000; ++i) {
    model::Report r = data::synthetic_report(i % 2 ? "L40S" : "H200", data::run_id(i), 100.0 + i);
    const model::Point p = r.points[0];
    r.points.assign(6, p);
    reports.emplace_back(std::move(r), "synthetic");
  }
  REQUIRE(store::merge_reports(reports, results).ok());
  const auto start = std::chrono::steady_clock::now();
  const store::Dataset d = store::load_dataset(results);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(d.run_count() == 2000);
  WARN("loaded 2000 runs in " << seconds << " s");
}
