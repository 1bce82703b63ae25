#include "site/builder.hpp"

#include "site/inputs.hpp"
#include "site/markdown.hpp"
#include "site/output.hpp"
#include "site/raw_data.hpp"
#include "site/templates.hpp"
#include "site/views.hpp"
#include "util/embedded.hpp"
#include "util/files.hpp"

namespace sitegen::site {

namespace fs = std::filesystem;

namespace {

// Renders one page: its own template into the body, then the layout around it.
class PageWriter {
 public:
  PageWriter(const SiteModel& model, Templates& templates, StagedOutput& out)
      : m_model(model), m_templates(templates), m_out(out) {}

  void write(const std::string& path, const std::string& tmpl, const std::string& title, Json view) {
    Json page = common_view(m_model, path, title);
    for (auto it = page.begin(); it != page.end(); ++it) {
      if (!view.contains(it.key())) view[it.key()] = it.value();
    }
    page["body"] = m_templates.render(tmpl, view);
    m_out.write(path, m_templates.render("layout", page));
    ++m_pages;
  }
  std::size_t pages() const { return m_pages; }

 private:
  const SiteModel& m_model;
  Templates& m_templates;
  StagedOutput& m_out;
  std::size_t m_pages = 0;
};

std::string schema_text(const fs::path& site_dir) {
  std::error_code ec;
  if (fs::is_regular_file(site_dir / "schema/report-v1.schema.json", ec)) {
    return files::read(site_dir / "schema/report-v1.schema.json");
  }
  auto embedded = embedded::find("site/schema/report-v1.schema.json");
  return embedded ? std::string(*embedded) : std::string("{}\n");
}

}  // namespace

BuildSummary build_site(const BuildOptions& options) {
  const Inputs inputs = load_inputs(options.results, options.site);
  const SiteModel model = make_model(inputs);
  Templates templates(options.templates);
  StagedOutput out(options.out);
  PageWriter pages(model, templates, out);

  // One stylesheet: the site's and the charts'.
  std::string css = templates.text("style.css");
  if (templates.has("chart.css")) {
    css.push_back('\n');
    css.append(templates.text("chart.css"));
  }
  out.write("style.css", css);

  for (const auto& [order, label] : index_orders()) {
    pages.write(index_file(order), "index", "Results", index_view(model, order));
  }
  pages.write("runs.html", "runs", "All runs", runs_view(model));
  for (const store::Configuration& c : inputs.dataset.configurations) {
    pages.write(config_path(c), "config", c.id, config_view(model, c));
    for (const store::Run& run : c.runs) {
      pages.write(run_path(model, run), "run", "Run " + run.report.provenance.run_id, run_view(model, c, run));
      out.copy(run_dir(model, run) + "/report.json", run.path);
    }
  }
  for (const auto& [key, configs] : model.engine_groups) {
    const Json view = engine_compare_view(model, key, configs);
    pages.write("compare/" + key + ".html", "compare", view["title"].get<std::string>(), view);
  }
  for (const auto& [key, variants] : model.variant_groups) {
    const Json view = variant_compare_view(model, key, variants);
    pages.write("compare/variants-" + key + ".html", "variants", view["title"].get<std::string>(), view);
  }
  for (const Page& p : inputs.pages) {
    pages.write(p.slug + ".html", "page", p.title, Json{{"html", render_markdown(p.markdown)}});
  }

  out.write("data/benchmark-results.json", dataset_document(model));
  out.write("data/points.csv", points_csv(model));
  out.write("schema/report-v1.schema.json", schema_text(options.site));

  BuildSummary summary;
  summary.runs = inputs.dataset.run_count();
  summary.configurations = inputs.dataset.configurations.size();
  summary.pages = pages.pages();
  summary.files = out.files();
  summary.problems = inputs.problems;
  out.commit();
  return summary;
}

}  // namespace sitegen::site
