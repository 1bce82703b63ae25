#include "store/migrate.hpp"

#include <catch2/catch.hpp>

#include "model/json_io.hpp"
#include "store/dataset.hpp"
#include "store/layout.hpp"
#include "support.hpp"
#include "util/files.hpp"

using namespace sitegen;
using sitegen::test::run_cli;
using sitegen::test::ScratchDir;
namespace fs = std::filesystem;

namespace {

model::Report run(const std::string& run_id, long long input_len) {
  model::Report r;
  r.provenance.tool = "test";
  r.provenance.run_id = run_id;
  r.system.model.id = "Qwen/Qwen2.5-7B-Instruct";
  r.system.model.precision = "bf16";
  r.system.gpu.model = "DGX Spark GB10";
  r.system.gpu.count = 1;
  r.system.engine.name = "vllm";
  r.workload.benchmark = "serving";
  r.workload.input_len = input_len;
  r.workload.output_len = 128;
  model::Point p;
  p.concurrency = 1;
  p.completed = 10;
  p.output_throughput_tps = input_len == 64 ? 705 : 128;
  r.points.push_back(p);
  return r;
}

// Where the layout before the workload joined the key put a report.
fs::path old_dir(const model::Report& r) {
  return fs::path("qwen2.5-7b-instruct-bf16/dgx-spark-gb10-1gpu") / r.workload.benchmark / r.provenance.run_id;
}

// A history entry as prune wrote it then: the old key (no workload fields).
model::Json old_entry(const std::string& run_id) {
  return {{"config",
           {{"model", "qwen2.5-7b-instruct"}, {"precision", "bf16"}, {"hardware", "dgx-spark-gb10"}, {"gpus", 1},
            {"engine", "vllm"}, {"benchmark", "serving"}}},
          {"run_id", run_id}, {"attempt", 1}, {"status", "complete"}, {"completed", 10}, {"failed", 0},
          {"points", 1}, {"max_output_tps", 700}};
}

std::size_t count_files(const fs::path& root) {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) n += e.is_regular_file() ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("migrate moves an old tree to the new layout without losing a file, and history follows",
          "[store][migrate]") {
  ScratchDir dir("migrate");
  const fs::path root = dir / "results";
  const model::Report a = run("20260410-163141", 64);
  const model::Report b = run("20260411-090000", 64);
  files::write_atomic(root / old_dir(a) / "report.json", model::dump(a));
  files::write_atomic(root / old_dir(a) / "notes.md", "# the first run\n");
  files::write_atomic(root / old_dir(b) / "report.json", model::dump(b));
  model::Json history = model::Json::array({old_entry("20260101-000000")});
  files::write_atomic(root / "qwen2.5-7b-instruct-bf16/dgx-spark-gb10-1gpu/serving/history.json", history.dump(2));
  const std::size_t before = count_files(root);

  const auto dry = run_cli({"migrate", root.string(), "--dry-run"});
  CHECK(dry.code == 0);
  CHECK_THAT(dry.out, Catch::Contains("2 run(s) would be moved"));
  CHECK(count_files(root) == before);
  CHECK(fs::exists(root / old_dir(a) / "report.json"));

  const auto done = run_cli({"migrate", root.string()});
  INFO(done.out << done.err);
  CHECK(done.code == 0);
  CHECK(count_files(root) == before);  // moved, not copied or lost
  const fs::path config = root / store::config_key(a).id();
  CHECK(files::read(config / a.provenance.run_id / "notes.md") == "# the first run\n");
  CHECK(fs::exists(config / b.provenance.run_id / "report.json"));
  CHECK_FALSE(fs::exists(root / "qwen2.5-7b-instruct-bf16/dgx-spark-gb10-1gpu/serving"));  // emptied, removed

  // The pruned run's history is in the one configuration its directory's runs moved to.
  const store::Dataset ds = store::load_dataset(root);
  CHECK(ds.problems.empty());
  REQUIRE(ds.configurations.size() == 1);
  const store::Configuration& c = ds.configurations.front();
  REQUIRE(c.history.size() == 3);
  CHECK(c.history.front().run_id == "20260101-000000");
  CHECK(c.history.front().pruned);

  const auto again = run_cli({"migrate", root.string()});
  CHECK(again.code == 0);
  CHECK_THAT(again.out, Catch::Contains("0 run(s) moved, 2 already in place"));
}

TEST_CASE("migrate splits a configuration whose runs had different workloads", "[store][migrate]") {
  ScratchDir dir("migrate-split");
  const fs::path root = dir / "results";
  const model::Report small = run("20260410-163141", 64);
  const model::Report large = run("20260412-000000", 2048);
  files::write_atomic(root / old_dir(small) / "report.json", model::dump(small));
  files::write_atomic(root / old_dir(large) / "report.json", model::dump(large));
  files::write_atomic(root / "qwen2.5-7b-instruct-bf16/dgx-spark-gb10-1gpu/serving/history.json",
                      model::Json::array({old_entry("20260101-000000")}).dump(2));
  const auto done = run_cli({"migrate", root.string()});
  CHECK(done.code == 0);
  const store::Dataset ds = store::load_dataset(root);
  CHECK(ds.problems.empty());
  // Two workloads, two histories; the pruned run, whose workload nobody knows, is not given to
  // either: it keeps a configuration of its own, "workload not stated".
  REQUIRE(ds.configurations.size() == 3);
  std::vector<std::string> ids;
  for (const auto& c : ds.configurations) ids.push_back(c.id);
  CHECK(ids == std::vector<std::string>{
                   "qwen2.5-7b-instruct-bf16/dgx-spark-gb10-1gpu/vllm/serving-in2048-out128-conc",
                   "qwen2.5-7b-instruct-bf16/dgx-spark-gb10-1gpu/vllm/serving-in64-out128-conc",
                   "qwen2.5-7b-instruct-bf16/dgx-spark-gb10-1gpu/vllm/serving-workload-not-stated"});
  CHECK(ds.configurations[0].history.size() == 1);
  CHECK(ds.configurations[2].runs.empty());
  REQUIRE(ds.configurations[2].history.size() == 1);
  CHECK(ds.configurations[2].history[0].pruned);
}

TEST_CASE("migrate never overwrites: a different report at the target stays where it is", "[store][migrate]") {
  ScratchDir dir("migrate-conflict");
  const fs::path root = dir / "results";
  const model::Report a = run("20260410-163141", 64);
  model::Report other = a;
  other.points[0].output_throughput_tps = 1;
  files::write_atomic(root / old_dir(a) / "report.json", model::dump(a));
  files::write_atomic(root / store::relative_dir(a) / "report.json", model::dump(other));
  const auto done = run_cli({"migrate", root.string()});
  CHECK(done.code == 1);
  CHECK_THAT(done.err, Catch::Contains("holds different files; left in place"));
  CHECK(model::read_report(root / old_dir(a) / "report.json").points[0].output_throughput_tps == 705);
  CHECK(model::read_report(root / store::relative_dir(a) / "report.json").points[0].output_throughput_tps == 1);

  // An identical copy at the target: the old one goes, nothing is lost.
  files::write_atomic(root / store::relative_dir(a) / "report.json", model::dump(a));
  const auto second = run_cli({"migrate", root.string()});
  CHECK(second.code == 0);
  CHECK_FALSE(fs::exists(root / old_dir(a)));
  CHECK(fs::exists(root / store::relative_dir(a) / "report.json"));
}
