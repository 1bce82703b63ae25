#pragma once
// Synthetic reports for store tests: clearly invented, never published. Each is the minimal
// fixture report with a different configuration, run id and throughput.

#include <cstdio>
#include <fstream>
#include <string>

#include "model/json_io.hpp"
#include "support.hpp"

namespace sitegen::test::store_data {

inline model::Report synthetic_report(const std::string& gpu, const std::string& run_id, double tps,
                                      long long completed = 100, long long attempt = 1) {
  static const model::Report base = model::read_report(source("tests/model/data/minimal_report.json"));
  model::Report r = base;
  r.system.gpu.model = gpu;
  r.provenance.run_id = run_id;
  r.provenance.attempt = attempt;
  r.provenance.tool = "synthetic test data";
  r.points[0].output_throughput_tps = tps;
  r.points[0].completed = completed;
  r.points[0].failed = completed == 0 ? 10 : 0;
  return r;
}

// "20260101-000007" for i = 7: sortable run ids.
inline std::string run_id(int i) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "20260101-%06d", i);
  return buffer;
}

// Writes a report as a file (for merge_paths and the CLI).
inline fs::path write_report(const fs::path& path, const model::Report& r) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << model::dump(r);
  return path;
}

}  // namespace sitegen::test::store_data
