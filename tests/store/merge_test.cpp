#include <catch2/catch.hpp>

#include <fstream>

#include "store/dataset.hpp"
#include "store/merge.hpp"
#include "store/synthetic.hpp"
#include "util/files.hpp"

using namespace sitegen;
namespace data = sitegen::test::store_data;
using test::fs::path;
using Kind = store::MergeOutcome::Kind;

namespace {

std::size_t count_files(const path& root, const std::string& needle) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().filename().string().find(needle) != std::string::npos) ++n;
  }
  return n;
}

// 4 GPUs x 75 runs = 300 reports, written as CI artifacts: one directory per runner.
path make_artifacts(const path& dir) {
  const std::vector<std::string> gpus = {"RTX A5000", "H100 SXM", "L40S", "DGX Spark"};
  for (std::size_t g = 0; g < gpus.size(); ++g) {
    for (int i = 0; i < 75; ++i) {
      const path file = dir / ("runner-" + std::to_string(g)) / ("job-" + std::to_string(i)) / "report.json";
      data::write_report(file, data::synthetic_report(gpus[g], data::run_id(i), 100.0 + i));
    }
  }
  std::ofstream(dir / "runner-0" / "other.json") << R"({"not": "a report"})";  // CI noise: skipped
  return dir;
}

}  // namespace

TEST_CASE("merging hundreds of reports is idempotent and leaves no temporary file", "[store]") {
  test::ScratchDir scratch("merge-many");
  const path artifacts = make_artifacts(scratch / "artifacts");
  const path results = scratch / "results";

  const store::MergeSummary first = store::merge_paths({artifacts}, results);
  CHECK(first.count(Kind::added) == 300);
  CHECK(first.ok());
  CHECK(count_files(results, "report.json") == 300);
  CHECK(count_files(results, ".sitegen-tmp-") == 0);

  const store::MergeSummary again = store::merge_paths({artifacts}, results);
  CHECK(again.count(Kind::unchanged) == 300);
  CHECK(again.count(Kind::added) == 0);
  std::ostringstream out;
  store::print_summary(again, out);
  CHECK(out.str() == "nothing changed: 300 report(s) already in the tree\n");

  const store::Dataset dataset = store::load_dataset(results);
  CHECK(dataset.configurations.size() == 4);
  CHECK(dataset.run_count() == 300);
  CHECK(dataset.problems.empty());
  for (const store::Configuration& c : dataset.configurations) {
    REQUIRE(c.latest_run());
    CHECK(c.latest_run()->summary.run_id == data::run_id(74));
  }
}

TEST_CASE("two different reports with the same run id and attempt are both kept and reported", "[store]") {
  test::ScratchDir scratch("merge-conflict");
  const path results = scratch / "results";
  const model::Report a = data::synthetic_report("RTX A5000", data::run_id(1), 100);
  const model::Report b = data::synthetic_report("RTX A5000", data::run_id(1), 999);  // same run, other numbers
  REQUIRE(store::merge_reports({{a, "runner-a"}}, results).ok());
  const store::MergeSummary s = store::merge_reports({{b, "runner-b"}}, results);
  REQUIRE(s.count(Kind::conflict) == 1);
  CHECK_FALSE(s.ok());
  const store::MergeOutcome& o = s.outcomes[0];
  CHECK(o.message.find("runner-b") != std::string::npos);
  CHECK(o.path.filename().string().rfind("report.conflict-", 0) == 0);
  // Neither is overwritten: report.json still holds a, the conflict file holds b.
  const path dir = o.path.parent_path();
  CHECK(model::read_report(dir / "report.json").points[0].output_throughput_tps == 100);
  CHECK(model::read_report(o.path).points[0].output_throughput_tps == 999);
  // Merging b again changes nothing on disk but is still a conflict.
  CHECK(store::merge_reports({{b, "runner-b"}}, results).count(Kind::conflict) == 1);
  CHECK(count_files(results, "report.conflict-") == 1);
  // The dataset keeps a and warns about the unresolved conflict.
  const store::Dataset d = store::load_dataset(results);
  CHECK(d.run_count() == 1);
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].message.find("unresolved merge conflict") != std::string::npos);
}

TEST_CASE("a conflict makes `sitegen merge` exit 1 and name both sides", "[store]") {
  test::ScratchDir scratch("merge-cli");
  const path one = data::write_report(scratch / "a" / "report.json", data::synthetic_report("L40S", "r1", 1));
  const path two = data::write_report(scratch / "b" / "report.json", data::synthetic_report("L40S", "r1", 2));
  const std::string into = (scratch / "results").string();
  CHECK(test::run_cli({"merge", one.string(), "--into", into}).code == 0);
  const test::CliResult r = test::run_cli({"merge", two.string(), "--into", into});
  CHECK(r.code == 1);
  CHECK(r.out.find("conflict: ") != std::string::npos);
  CHECK(r.out.find(two.string()) != std::string::npos);
  CHECK(r.out.find("1 conflict(s)") != std::string::npos);
}

TEST_CASE("a higher attempt of a run is kept beside the earlier one", "[store]") {
  test::ScratchDir scratch("merge-attempt");
  const path results = scratch / "results";
  const model::Report first = data::synthetic_report("H200", "run-7", 100);
  const model::Report retry = data::synthetic_report("H200", "run-7", 120, 100, 2);
  const store::MergeSummary s = store::merge_reports({{first, "a"}, {retry, "b"}}, results);
  CHECK(s.count(Kind::added) == 2);
  CHECK(s.outcomes[1].path.parent_path().filename() == "run-7.attempt-2");
  const store::Dataset d = store::load_dataset(results);
  REQUIRE(d.configurations.size() == 1);
  CHECK(d.configurations[0].runs.size() == 2);
  CHECK(d.configurations[0].latest_run()->summary.attempt == 2);
}

TEST_CASE("names that would leave the tree are refused with an error", "[store]") {
  test::ScratchDir scratch("merge-unsafe");
  const path results = scratch / "results";
  std::vector<std::pair<model::Report, std::string>> bad;
  model::Report r = data::synthetic_report("L40S", "ok-1", 1);
  r.provenance.run_id = "../../etc";
  bad.emplace_back(r, "dots");
  r = data::synthetic_report("L40S", "ok-2", 1);
  r.workload.benchmark = "a/b";
  bad.emplace_back(r, "separator");
  r = data::synthetic_report("L40S", "ok-3", 1);
  r.system.gpu.model = "L40S\n";
  bad.emplace_back(r, "control");
  r = data::synthetic_report("L40S", "ok-4", 1);
  r.system.model.id = "/abs/model";
  bad.emplace_back(r, "absolute");
  r = data::synthetic_report("L40S", "ok-5", 1);
  r.system.model.id = "org/../../model";
  bad.emplace_back(r, "dotdot-in-model");
  const store::MergeSummary s = store::merge_reports(bad, results);
  CHECK(s.count(Kind::refused) == 5);
  CHECK(s.outcomes[0].message.find("leave the results tree") != std::string::npos);
  CHECK(s.outcomes[1].message.find("/workload/benchmark") != std::string::npos);
  CHECK(s.outcomes[2].message.find("control character") != std::string::npos);
  CHECK(s.outcomes[3].message.find("absolute path") != std::string::npos);
  CHECK(s.outcomes[4].message.find("'..'") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(results));
  CHECK_FALSE(std::filesystem::exists(scratch / "etc"));
}

TEST_CASE("an invalid file is refused and the others are still merged", "[store]") {
  test::ScratchDir scratch("merge-invalid");
  data::write_report(scratch / "in" / "good" / "report.json", data::synthetic_report("L40S", "r1", 1));
  std::filesystem::create_directories(scratch / "in" / "bad");
  std::ofstream(scratch / "in" / "bad" / "report.json") << R"({"schema": "sitegen.report/v1", "points": [)";
  const store::MergeSummary s = store::merge_paths({scratch / "in"}, scratch / "results");
  CHECK(s.count(Kind::added) == 1);
  REQUIRE(s.count(Kind::refused) == 1);
  const std::string message = std::find_if(s.outcomes.begin(), s.outcomes.end(), [](const auto& o) {
                                return o.kind == Kind::refused;
                              })->message;
  CHECK(message.find("bad/report.json") != std::string::npos);
  CHECK(message.find("truncated") != std::string::npos);
}

TEST_CASE("notes.md beside a merged report travels with it", "[store]") {
  test::ScratchDir scratch("merge-notes");
  const path file = data::write_report(scratch / "in" / "report.json", data::synthetic_report("L40S", "r1", 1));
  files::write_atomic(scratch / "in" / "notes.md", "Driver 550, fans at 100%.\n");
  REQUIRE(std::filesystem::is_regular_file(file.parent_path() / "notes.md"));
  const store::MergeSummary s = store::merge_paths({file}, scratch / "results");
  REQUIRE(s.count(Kind::added) == 1);
  CHECK(std::filesystem::exists(s.outcomes[0].path.parent_path() / "notes.md"));
  const store::Dataset d = store::load_dataset(scratch / "results");
  REQUIRE(d.run_count() == 1);
  CHECK(d.configurations[0].runs[0].notes_md == "Driver 550, fans at 100%.\n");
}

TEST_CASE("a merge removes the temporaries a killed merge left, and only those", "[store]") {
  test::ScratchDir scratch("merge-stale");
  const path results = scratch / "results";
  const path run = results / "m-bf16/gpu-1gpu/serving/20260101-000000";
  const std::string dead = std::to_string(test::dead_pid());
  files::write_atomic(run / ("report.json.tmp." + dead + ".0"), "{\"schema\": \"sitegen.rep");
  files::write_atomic(run / (".report.json.sitegen-tmp-" + dead + "-4"), "{");
  files::write_atomic(run / ("mine.json.tmp." + dead + ".0"), "a user's file");
  const path artifact = scratch / "in/report.json";
  data::write_report(artifact, data::synthetic_report("RTX A5000", data::run_id(1), 100.0));
  const store::MergeSummary summary = store::merge_paths({artifact}, results);
  CHECK(summary.count(Kind::added) == 1);
  CHECK(summary.stale_removed.size() == 2);
  CHECK_FALSE(std::filesystem::exists(run / ("report.json.tmp." + dead + ".0")));
  CHECK_FALSE(std::filesystem::exists(run / (".report.json.sitegen-tmp-" + dead + "-4")));
  CHECK(files::read(run / ("mine.json.tmp." + dead + ".0")) == "a user's file");
  std::ostringstream out;
  store::print_summary(summary, out, results);
  CHECK(test::contains(out.str(), "removed m-bf16/gpu-1gpu/serving/20260101-000000/report.json.tmp." + dead + ".0"));
}

TEST_CASE("a report that would not validate is refused with its problems and not filed", "[store]") {
  test::ScratchDir scratch("merge-invalid");
  model::Report report = data::synthetic_report("RTX A5000", data::run_id(2), 100.0);
  report.points.at(0).samples.ttft_ms = {10, 11, 12};
  report.points.at(0).samples.output_tokens = {100, -5};  // one short, and negative
  const store::MergeSummary summary = store::merge_reports({{report, "<import of x.json>"}}, scratch / "results");
  REQUIRE(summary.outcomes.size() == 1);
  CHECK(summary.outcomes[0].kind == Kind::refused);
  CHECK_FALSE(summary.ok());
  CHECK_THAT(summary.outcomes[0].message, Catch::Contains("<import of x.json>: not a valid report, not filed") &&
                                              Catch::Contains("/points/0/samples/output_tokens"));
  CHECK(files::list_recursive({scratch / "results"}, "").files.empty());
}
