#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

#include "bench/provenance.hpp"
#include "bench/telemetry.hpp"
#include "support.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

using namespace sitegen::bench;

TEST_CASE("nvidia-smi's inventory CSV gives the GPU model, count, memory and driver", "[bench]") {
  const auto inv = parse_gpu_inventory("NVIDIA H100 80GB HBM3, 81559, 550.54.15\nNVIDIA H100 80GB HBM3, 81559, 550.54.15\n");
  REQUIRE(inv);
  CHECK(inv->model == "NVIDIA H100 80GB HBM3");
  CHECK(inv->count == 2);
  CHECK(inv->memory_gb == Approx(79.647).epsilon(0.001));
  CHECK(inv->driver == "550.54.15");
  CHECK_FALSE(parse_gpu_inventory(""));
  CHECK_FALSE(parse_gpu_inventory("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."));
}

TEST_CASE("GPU samples give average power, energy, J/token and peak memory", "[bench]") {
  // Two GPUs, three complete sampling rounds; a round with a line nvidia-smi could not read and the
  // unfinished last round are left out of the averages (they would understate the power).
  const std::string csv =
      "0, 300.00, 40000, 90\n1, 100.00, 20000, 50\n"
      "0, 320.00, 41000, 95\n1, 120.00, 20480, 55\n"
      "0, [N/A], 41000, 95\n1, 110.00, 20000, 50\n"
      "0, 280.00, 39000, 85\n1, 80.00, 19000, 45\n"
      "0, 290.00, 39000, 85\n";  // the round the loop was stopped in
  const auto t = summarize_gpu_samples(csv, 10.0, 4000);
  CHECK(t.source == "nvidia-smi");
  CHECK(*t.avg_power_w == Approx(400));  // (400 + 440 + 360) / 3
  CHECK(*t.energy_j == Approx(4000));
  CHECK(*t.joules_per_token == Approx(1.0));
  CHECK(*t.peak_memory_gb == Approx(61480.0 / 1024));
  CHECK(*t.avg_gpu_util_pct == Approx(70));
  CHECK(summarize_gpu_samples("", 10, 10).empty());
}

TEST_CASE("a sampler without nvidia-smi yields nothing and no error", "[bench]") {
  GpuSampler sampler(50);
  sampler.start();
  const std::string out = sampler.stop();
  // On a machine with a GPU this holds samples; without one, nothing: either parses without error.
  CHECK_NOTHROW(summarize_gpu_samples(out, 1, 1));
}

TEST_CASE("the CI environment fills the provenance", "[bench]") {
  static std::map<std::string, std::string> env = {{"GITHUB_ACTIONS", "true"}, {"GITHUB_SHA", "abc123"},
                                                   {"GITHUB_REF", "refs/heads/main"}, {"GITHUB_RUN_ID", "42"},
                                                   {"GITHUB_RUN_ATTEMPT", "2"}, {"RUNNER_NAME", "gpu-box"}};
  sitegen::model::Provenance p;
  apply_ci_environment(p, [](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  CHECK(p.ci_provider == "github-actions");
  CHECK(p.git_sha == "abc123");
  CHECK(p.git_ref == "refs/heads/main");
  CHECK(p.ci_run_id == "42");
  CHECK(p.ci_attempt == 2);
  CHECK(p.attempt == 2);
  CHECK(p.ci_runner == "gpu-box");
}

TEST_CASE("set overrides report fields by dotted path and refuses bad ones", "[bench]") {
  sitegen::model::Report r;
  r.provenance.tool = "sitegen";
  r.provenance.run_id = "20260101-000000";
  const auto out = apply_overrides(r, {"system.gpu.model=RTX A5000", "system.gpu.count=2", "system.model.precision=bf16"});
  CHECK(out.system.gpu.model == "RTX A5000");
  CHECK(out.system.gpu.count == 2);
  CHECK(out.system.model.precision == "bf16");
  CHECK_THROWS_WITH(apply_overrides(r, {"system.gpu.model"}), Catch::Contains("PATH=VALUE"));
  CHECK_THROWS_AS(apply_overrides(r, {"system.gpu.count=-3"}), sitegen::Error);
  CHECK_THROWS_WITH(apply_overrides(r, {"provenance.tool.x=1"}), Catch::Contains("not inside an object"));
}

TEST_CASE("a /v1/models body gives the model ids, anything else is a clear error", "[bench]") {
  CHECK(parse_models(R"({"object":"list","data":[{"id":"a","object":"model"},{"id":"b"}]})", "u") ==
        std::vector<std::string>{"a", "b"});
  CHECK_THROWS_WITH(parse_models("<html>", "http://x/v1/models"), Catch::Contains("http://x/v1/models: not JSON"));
  CHECK_THROWS_WITH(parse_models(R"({"models":[]})", "u"), Catch::Contains("model list"));
}

TEST_CASE("run ids are the UTC start time", "[bench]") {
  CHECK(run_id_for(1779460201) == "20260522-143001");
  CHECK(iso_utc(1779460201) == "2026-05-22T14:30:01Z");
}

TEST_CASE("the sampler runs nvidia-smi's query loop, collects what it prints and stops it", "[bench]") {
  // A stand-in nvidia-smi first on PATH: it records its arguments and prints two GPUs' samples in
  // nvidia-smi's CSV form every 20 ms until it is killed. (No GPU is lent to this machine; the
  // parsing of real output is pinned by the cases above.)
  sitegen::test::ScratchDir dir("gpu-sampler");
  sitegen::files::write_atomic(dir / "nvidia-smi",
                               "#!/bin/sh\n"
                               "echo \"$@\" > \"$(dirname \"$0\")/args\"\n"
                               "while true; do\n"
                               "  echo '0, 300.00, 40000, 90'\n"
                               "  echo '1, 100.00, 20000, 50'\n"
                               "  sleep 0.02\n"
                               "done\n");
  std::filesystem::permissions(dir / "nvidia-smi", std::filesystem::perms::owner_all);
  const char* old_path = std::getenv("PATH");
  const std::string saved = old_path ? old_path : "";
  ::setenv("PATH", ((dir.path()).string() + ":" + saved).c_str(), 1);
  std::string out;
  {
    GpuSampler sampler(20);
    sampler.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    out = sampler.stop();
  }
  ::setenv("PATH", saved.c_str(), 1);
  const std::string args = sitegen::files::read(dir / "args");
  CHECK(args.find("--query-gpu=index,power.draw,memory.used,utilization.gpu") != std::string::npos);
  CHECK(args.find("--format=csv,noheader,nounits") != std::string::npos);
  CHECK(args.find("-lms 20") != std::string::npos);
  const auto t = summarize_gpu_samples(out, 2.0, 1000);
  REQUIRE(t.avg_power_w);
  CHECK(*t.avg_power_w == Approx(400));
  CHECK(*t.energy_j == Approx(800));
  CHECK(*t.joules_per_token == Approx(0.8));
}
