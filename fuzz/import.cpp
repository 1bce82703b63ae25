// `sitegen import` on one file, as the command runs it (ingest::import_paths: read, detect or
// --format, convert, metadata, validation, sweeps combined). The property of the issue: the file
// fails with an error that names it, or every report it gives validates as `sitegen validate`
// would check the written file. Built once with detection (fuzz_import) and once per format with
// SITEGEN_FUZZ_FORMAT (fuzz_import_<format>), which also runs that importer's detect() on the
// file's first value.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_check.hpp"
#include "ingest/import.hpp"
#include "ingest/registry.hpp"
#include "model/json_io.hpp"
#include "model/validate.hpp"
#include "util/error.hpp"

#ifndef SITEGEN_FUZZ_FORMAT
#define SITEGEN_FUZZ_FORMAT ""
#endif

namespace {

namespace fs = std::filesystem;

// A private directory for the input file, so companion files and meta.json are never picked up.
// MLPerf summaries are read in their submission layout, with the system description beside them
// (SITEGEN_FUZZ_MLPERF_SYSTEM, a real one from tests/fixtures).
const fs::path& input_file() {
  static const fs::path file = [] {
    std::string dir = (fs::temp_directory_path() / "sitegen-fuzz-XXXXXX").string();
    if (!mkdtemp(dir.data())) sitegen::fuzz::fail("cannot make a temporary directory");
#ifdef SITEGEN_FUZZ_MLPERF_SYSTEM
    const fs::path closed = fs::path(dir) / "inference_results_v4.1" / "closed" / "NVIDIA";
    const fs::path system = SITEGEN_FUZZ_MLPERF_SYSTEM;
    fs::create_directories(closed / "systems");
    fs::copy_file(system, closed / "systems" / system.filename());
    const fs::path run = closed / "results" / system.stem() / "llama2-70b-99" / "Server" / "performance" / "run_1";
    fs::create_directories(run);
    return run / "mlperf_log_summary.txt";
#else
    return fs::path(dir) / "input.json";
#endif
  }();
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sitegen;
  const std::string format = SITEGEN_FUZZ_FORMAT;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!format.empty()) {
    try {
      const std::vector<ingest::StreamValue> values = ingest::read_values(text, "input.json");
      (void)ingest::importer_named(format).detect(values.front().value);
    } catch (const Error&) {
    }
  }

  const fs::path& file = input_file();
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) fuzz::fail("cannot write " + file.string());
  }
  ingest::ImportOptions options;
  options.format = format;
  const ingest::ImportResult result = ingest::import_paths({file}, options);
  fuzz::check(result.files.size() == 1, "one input file gave other than one outcome");
  const ingest::FileOutcome& outcome = result.files.front();
  if (!outcome.error.empty()) {
    fuzz::check_names_file(outcome.error, file.generic_string());
    fuzz::check(result.reports.empty(), "a failed file still gave reports");
    return 0;
  }
  for (const model::Report& report : result.reports) {
    // What `sitegen import --out` writes, read back as `sitegen validate` reads it.
    const std::string written = model::dump(report);
    for (const Problem& p : model::validate_report(model::parse_json(written, "report.json"), "report.json")) {
      fuzz::check(p.severity != Problem::Severity::error, "import gave a report that does not validate: " + p.str());
    }
  }
  return 0;
}
