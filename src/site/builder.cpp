#include "site/builder.hpp"

#include "model/json_io.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace sitegen::site {

namespace {

std::string escape_html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

// Minimal first version: an index listing every valid run. The full site replaces it.
BuildSummary build_site(const BuildOptions& options) {
  BuildSummary summary;
  const files::Listing listing = files::list_recursive({options.results}, "report.json");
  summary.problems = listing.problems;
  std::string rows;
  for (const auto& path : listing.files) {
    try {
      const model::Report r = model::read_report(path);
      rows += "<tr><td>" + escape_html(r.system.model.id) + "</td><td>" + escape_html(r.system.gpu.model) +
              "</td><td>" + escape_html(r.provenance.run_id) + "</td><td>" + std::to_string(r.points.size()) +
              "</td></tr>\n";
      ++summary.runs;
    } catch (const Error& e) {
      summary.problems.push_back(e.what());
    }
  }
  const std::string html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sitegen</title></head><body>\n"
                           "<h1>Benchmark runs</h1>\n<table><tr><th>Model</th><th>GPU</th><th>Run</th><th>Points</th></tr>\n" +
                           rows + "</table>\n</body></html>\n";
  const std::filesystem::path staging = options.out.string() + ".building";
  std::filesystem::remove_all(staging);
  files::write_atomic(staging / "index.html", html);
  std::filesystem::remove_all(options.out);
  std::filesystem::rename(staging, options.out);
  summary.pages = 1;
  return summary;
}

}  // namespace sitegen::site
