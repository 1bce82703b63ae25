#pragma once
// Helpers for the site tests: small reports written into a results tree, a link checker and
// file-tree comparison.

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "model/report.hpp"
#include "site/builder.hpp"
#include "store/layout.hpp"
#include "support.hpp"
#include "util/files.hpp"

namespace sitegen::test {

// A complete report of a concurrency sweep with plausible (clearly synthetic) figures.
inline model::Report sample_report(const std::string& model_id, const std::string& gpu, const std::string& engine,
                                   const std::string& run_id, double scale = 1.0) {
  model::Report r;
  r.provenance.tool = "sitegen";
  r.provenance.tool_version = "test";
  r.provenance.run_id = run_id;
  r.provenance.started_at = "2026-01-02T03:04:05Z";
  r.provenance.command = "sitegen bench --concurrency 1,4,16";
  r.system.gpu.model = gpu;
  r.system.gpu.count = 1;
  r.system.engine.name = engine;
  r.system.model.id = model_id;
  r.system.model.precision = "bf16";
  r.workload.benchmark = "serving";
  r.workload.dataset = "random";
  r.workload.input_len = 512;
  r.workload.output_len = 128;
  r.workload.slo_ttft_ms = 500;
  r.workload.slo_tpot_ms = 50;
  int i = 0;
  for (long long c : {1, 4, 16}) {
    model::Point p;
    p.concurrency = c;
    p.completed = 100;
    p.failed = 0;
    p.duration_s = 60;
    p.output_throughput_tps = scale * 40.0 * double(c) / (1 + 0.1 * double(c));
    p.total_throughput_tps = *p.output_throughput_tps * 5;
    p.request_throughput_rps = *p.output_throughput_tps / 128;
    p.input_tokens = 51200;
    p.output_tokens = 12800;
    p.ttft_ms.mean = 100.0 * double(c);
    p.ttft_ms.median = 90.0 * double(c);
    p.ttft_ms.set_percentile(99, 200.0 * double(c));
    p.tpot_ms.mean = 20.0 + double(i) * 10;
    p.tpot_ms.median = 20.0 + double(i) * 10;
    p.tpot_ms.set_percentile(99, 30.0 + double(i) * 15);
    r.points.push_back(p);
    ++i;
  }
  return r;
}

// Writes the report where the store would put it and returns the file.
inline std::filesystem::path write_report(const std::filesystem::path& results, const model::Report& r) {
  const std::filesystem::path file = results / store::relative_dir(r) / "report.json";
  files::write_atomic(file, model::dump(r));
  return file;
}

// Two engines of one model on one GPU (a comparison page), and a second run of one of them.
inline void small_tree(const std::filesystem::path& results) {
  write_report(results, sample_report("org/Model-A", "RTX A5000", "vllm", "20260101-000000"));
  write_report(results, sample_report("org/Model-A", "RTX A5000", "vllm", "20260102-000000", 1.1));
  write_report(results, sample_report("org/Model-A", "RTX A5000", "sglang", "20260101-000500", 0.9));
}

// Builds results into out with the repository's site/ settings and catalog.
inline site::BuildSummary build_at(const std::filesystem::path& results, const std::filesystem::path& out,
                                   const std::filesystem::path& templates = {}, bool clean = false) {
  site::BuildOptions o;
  o.results = results;
  o.site = source("site");
  o.out = out;
  o.templates = templates;
  o.clean = clean;
  return site::build_site(o);
}

// Every file under root with its bytes, keyed by relative path.
inline std::map<std::string, std::string> read_tree(const std::filesystem::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& f : files::list_recursive({root}, "").files) out[files::display(f, root)] = files::read(f);
  return out;
}

// Relative href/src values in every HTML file under root that do not resolve to a file, as
// "page: link"; absolute URLs with a scheme are skipped, root-absolute ("/x") links are broken.
inline std::vector<std::string> broken_links(const std::filesystem::path& root) {
  std::vector<std::string> broken;
  static const std::regex k_attr(R"re((?:href|src)="([^"]*)")re");
  for (const auto& page : files::list_recursive({root}, ".html").files) {
    const std::string html = files::read(page);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), k_attr); it != std::sregex_iterator(); ++it) {
      std::string link = (*it)[1];
      if (link.empty() || link[0] == '#') continue;
      if (link.find("://") != std::string::npos || link.starts_with("mailto:") || link.starts_with("data:")) continue;
      const std::string where = files::display(page, root) + ": " + link;
      if (link[0] == '/') {
        broken.push_back(where + " (absolute)");
        continue;
      }
      link = link.substr(0, link.find_first_of("#?"));
      std::error_code ec;
      if (!std::filesystem::is_regular_file(page.parent_path() / link, ec)) broken.push_back(where);
    }
  }
  return broken;
}

// The HTML pages under root that no chain of links from index.html reaches (404.html aside): a
// page the site builds but never links to, or a section that never renders its links.
inline std::vector<std::string> unreachable_pages(const std::filesystem::path& root) {
  static const std::regex k_href(R"re(href="([^"#?]*\.html)[^"]*")re");
  std::set<std::string> reached;
  std::vector<std::filesystem::path> todo = {root / "index.html"};
  while (!todo.empty()) {
    const std::filesystem::path page = todo.back().lexically_normal();
    todo.pop_back();
    std::error_code ec;
    if (!reached.insert(page.generic_string()).second || !std::filesystem::is_regular_file(page, ec)) continue;
    const std::string html = files::read(page);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), k_href); it != std::sregex_iterator(); ++it) {
      const std::string link = (*it)[1];
      if (link.find("://") == std::string::npos && !link.starts_with("/")) todo.push_back(page.parent_path() / link);
    }
  }
  std::vector<std::string> unreached;
  for (const auto& page : files::list_recursive({root}, ".html").files) {
    if (page.filename() == "404.html" && page.parent_path() == root) continue;
    if (!reached.count(page.lexically_normal().generic_string())) unreached.push_back(files::display(page, root));
  }
  return unreached;
}

}  // namespace sitegen::test
