// The sitegen bundle the benchmark workflows hand from the build job to the GPU runners
// (.github/scripts/sitegen_bundle.sh) and the bench job's own checks (.github/scripts/bench_job.sh).

#include <catch2/catch.hpp>

#include "ci/ci_support.hpp"
#include "support.hpp"
#include "util/files.hpp"

using namespace sitegen;
using namespace sitegen::test;

namespace {

CommandResult bundle(const std::string& args) {
  if (!on_path("patchelf")) FAIL("patchelf is not installed: run `sh .ci/install --with-bundle`");
  return run_command("timeout 60 sh " + shell_quote(source(".github/scripts/sitegen_bundle.sh").string()) + " " + args);
}

}  // namespace

TEST_CASE("the runner bundle carries cmark-gfm, says what else it needs, and runs", "[ci][bundle]") {
  ScratchDir dir("bundle");
  const fs::path out = dir / "sitegen-bin";
  const CommandResult made = bundle("make " + shell_quote(SITEGEN_BINARY) + " " + shell_quote(out.string()));
  INFO(made.output);
  REQUIRE(made.code == 0);
  CHECK(fs::exists(out / "sitegen"));
  const auto libs = files::list_recursive({out / "lib"}, "").files;
  CHECK(libs.size() == 2);  // libcmark-gfm and its extensions
  const std::string runtime = files::read(out / "RUNTIME.txt");
  CHECK_THAT(runtime, Catch::Contains("glibc 2.") && Catch::Contains("libcurl.so.4: libcurl4"));
  CHECK_THAT(runtime, Catch::Contains("libcmark-gfm-extensions.so.0.29.0.gfm.6"));
  // The binary finds its libraries in lib/ (RUNPATH $ORIGIN/lib) wherever the bundle is put.
  CHECK_THAT(run_command("readelf -d " + shell_quote((out / "sitegen").string())).output,
             Catch::Contains("[$ORIGIN/lib]"));
  fs::rename(out, dir / "moved");
  const CommandResult check = bundle("check " + shell_quote((dir / "moved/sitegen").string()));
  INFO(check.output);
  CHECK(check.code == 0);
  CHECK_THAT(check.output, Catch::Contains("ok: sitegen "));
}

TEST_CASE("a runner without a library sitegen needs is told which one and what to install", "[ci][bundle]") {
  ScratchDir dir("bundle-missing");
  const fs::path out = dir / "sitegen-bin";
  REQUIRE(bundle("make " + shell_quote(SITEGEN_BINARY) + " " + shell_quote(out.string())).code == 0);
  // A machine without libcurl, planted: the binary asks for a library no system has.
  const std::string binary = shell_quote((out / "sitegen").string());
  REQUIRE(run_command("patchelf --replace-needed libcurl.so.4 libcurl-gone.so.4 " + binary).code == 0);
  const CommandResult r = bundle("check " + binary);
  CHECK(r.code == 1);
  CHECK_THAT(r.output, Catch::Contains("sitegen needs libcurl-gone.so.4, which this runner lacks"));

  const CommandResult none = bundle("check " + shell_quote((dir / "nowhere/sitegen").string()));
  CHECK(none.code == 1);
  CHECK_THAT(none.output, Catch::Contains("no such file (was the sitegen artifact downloaded?)"));
}

TEST_CASE("a bench job given an incomplete plan entry says which field and leaves its status", "[ci][bundle]") {
  ScratchDir dir("bench-job");
  const CommandResult r = run_command("cd " + shell_quote(dir.path().string()) +
                                      " && env -i PATH=\"$PATH\" HOME=" + shell_quote(dir.path().string()) +
                                      " MODEL=m PRECISION=bf16 ENGINE=vllm HARDWARE=h GPUS=1 BENCHMARK=serving"
                                      " PORT=8000 OUT=out timeout 30 sh " +
                                      shell_quote(source(".github/scripts/bench_job.sh").string()));
  CHECK(r.code == 2);
  CHECK_THAT(files::read(dir / "out/bench-status.txt"), Catch::Equals("the plan entry gave no SERVE_CMD\n"));
}
