#include "site/builder.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "site/inputs.hpp"
#include "site/markdown.hpp"
#include "site/output.hpp"
#include "site/raw_data.hpp"
#include "site/share.hpp"
#include "site/templates.hpp"
#include "site/views.hpp"
#include "util/embedded.hpp"
#include "util/files.hpp"
#include "util/hash.hpp"

namespace sitegen::site {

namespace fs = std::filesystem;

namespace {

// Renders one page: its own template into the body, then the layout around it. One per thread
// (each has its own compiled templates).
class PageWriter {
 public:
  PageWriter(const SiteModel& model, const fs::path& templates_dir, const std::string& base_url, StagedOutput& out,
             std::atomic<std::size_t>& pages)
      : m_model(model), m_templates(templates_dir), m_base_url(base_url), m_out(out), m_pages(pages) {}

  void write(const std::string& path, const std::string& tmpl, const std::string& title, const View& view,
             std::uint64_t key = 0) {
    // A view with its own "root" (404.html) overrides the relative one.
    const std::string root = view.has("root") ? view.text("root") : root_of(path);
    View page = View().set("root", root).set("title", title);
    // og:url only where the site's address is known: a relative one means nothing to a crawler.
    if (absolute_base(m_base_url)) page.set("page_url", m_base_url + path);
    const View& common = common_for(root);
    // The page's template sees its view, then root and title, then the common view; the layout
    // sees the rendered body instead of the view.
    const View body = View().set("body", m_templates.render(tmpl, {&view, &page, &common}));
    m_out.write(path, m_templates.render("layout", {&body, &page, &common}), key);
    ++m_pages;
  }
  // A page kept from the previous build, unrendered, because its inputs did not change.
  bool keep(const std::string& path, std::uint64_t key) {
    if (!m_out.keep(path, key)) return false;
    ++m_pages;
    return true;
  }
  Templates& templates() { return m_templates; }

 private:
  // The common view is the same for every page at one depth: built once per root.
  const View& common_for(const std::string& root) {
    auto it = m_common.find(root);
    if (it == m_common.end()) it = m_common.emplace(root, common_view(m_model, root)).first;
    return it->second;
  }

  const SiteModel& m_model;
  Templates m_templates;
  const std::string& m_base_url;
  StagedOutput& m_out;
  std::atomic<std::size_t>& m_pages;
  std::map<std::string, View> m_common;
};

using Task = std::function<void(PageWriter&)>;

// Runs the tasks on `threads` workers, each with its own PageWriter. The first exception stops
// the others from taking new tasks and is rethrown here.
void run_tasks(const std::vector<Task>& tasks, unsigned threads, const SiteModel& model, const fs::path& templates,
               const std::string& base_url, StagedOutput& out, std::atomic<std::size_t>& pages) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    try {
      PageWriter writer(model, templates, base_url, out, pages);
      for (std::size_t i = next++; i < tasks.size() && !failed; i = next++) tasks[i](writer);
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  threads = static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(1, tasks.size() / 8)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

std::string schema_text(const fs::path& site_dir) {
  std::error_code ec;
  if (fs::is_regular_file(site_dir / "schema/report-v1.schema.json", ec)) {
    return files::read(site_dir / "schema/report-v1.schema.json");
  }
  auto embedded = embedded::find("site/schema/report-v1.schema.json");
  return embedded ? std::string(*embedded) : std::string("{}\n");
}

// What every kept page depends on besides its own inputs: this sitegen binary (a rebuilt binary
// may render differently; known by its size and modification time) and the templates.
std::uint64_t build_key(Templates& templates) {
  hash::Hasher h;
  struct stat st {};
  if (::stat("/proc/self/exe", &st) == 0) {
    h.add(std::uint64_t(st.st_size)).add(std::uint64_t(st.st_mtim.tv_sec)).add(std::uint64_t(st.st_mtim.tv_nsec));
  }
  h.add(SITEGEN_VERSION);
  h.add(templates.fingerprint());
  return h.value();
}

}  // namespace

BuildSummary build_site(const BuildOptions& options) {
  BuildSummary summary;
  auto since = std::chrono::steady_clock::now();
  auto phase = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    summary.phases.emplace_back(name, std::chrono::duration<double>(now - since).count());
    since = now;
  };
  const Inputs inputs = load_inputs(options.results, options.site);
  phase("load");
  const SiteModel model = make_model(inputs);
  phase("model");
  StagedOutput out(options.out, options.clean, {options.results, options.site, options.templates});
  std::atomic<std::size_t> pages{0};
  const unsigned threads = options.threads ? options.threads : std::clamp(std::thread::hardware_concurrency(), 1u, 8u);

  // Templates are parsed here first, so a broken one fails before any work is spread out.
  Templates main_templates(options.templates);
  const std::string base_url = checked_base_url(options.base_url);
  // Pages name their own absolute URL (og:url) when the base URL is absolute, so it is part of
  // what a kept page depends on.
  const std::uint64_t key = hash::Hasher().add(build_key(main_templates)).add(base_url).value();

  std::vector<Task> tasks;
  // The files made from every run first: each is one long task, and one taken last would leave
  // the other workers idle while it runs.
  tasks.push_back([&](PageWriter&) { out.write("data/benchmark-results.json", dataset_document(model)); });
  tasks.push_back([&](PageWriter&) { out.write("data/points.csv", points_csv(model)); });
  tasks.push_back([&](PageWriter&) { out.write("feed.xml", atom_feed(model, base_url)); });
  tasks.push_back([&](PageWriter&) {
    out.write("data/benchmark-bigger.json", benchmark_json(model, true));
    out.write("data/benchmark-smaller.json", benchmark_json(model, false));
    for (const store::Configuration& c : inputs.dataset.configurations) out.write(badge_path(c), badge_json(c));
  });
  tasks.push_back([&](PageWriter&) { out.write("schema/report-v1.schema.json", schema_text(options.site)); });
  tasks.push_back([&](PageWriter& w) {
    // One stylesheet: the site's and the charts'.
    std::string css = w.templates().text("style.css");
    if (w.templates().has("chart.css")) {
      css.push_back('\n');
      css.append(w.templates().text("chart.css"));
    }
    out.write("style.css", css);
  });
  for (const auto& [order, label] : index_orders()) {
    tasks.push_back([&, order = order](PageWriter& w) {
      w.write(index_file(order), "index", "Results", index_view(model, order));
    });
  }
  tasks.push_back([&](PageWriter& w) { w.write("runs.html", "runs", "All runs", runs_view(model)); });
  tasks.push_back([&](PageWriter& w) {
    w.write("404.html", "not_found", "Page not found", not_found_view(base_url));
  });
  for (const store::Configuration& c : inputs.dataset.configurations) {
    tasks.push_back([&](PageWriter& w) { w.write(config_path(c), "config", c.id, config_view(model, c)); });
    for (const store::Run& run : c.runs) {
      tasks.push_back([&](PageWriter& w) {
        const std::string path = run_path(model, run);
        const std::string title = "Run " + run.report.provenance.run_id;
        const std::uint64_t page_key = hash::Hasher()
                                           .add(key)
                                           .add(run_page_key(model, c, run))
                                           .add(common_key(model, root_of(path), title))
                                           .value();
        if (!w.keep(path, page_key)) w.write(path, "run", title, run_view(model, c, run), page_key);
        out.copy(run_dir(model, run) + "/report.json", run.path, run.fingerprint);
      });
    }
  }
  // Bindings captured by name: clang 14 (the sanitizer and fuzz build) cannot capture a structured
  // binding.
  for (const auto& [group, configs] : model.engine_groups) {
    tasks.push_back([&, &group = group, &configs = configs](PageWriter& w) {
      const View view = engine_compare_view(model, group, configs);
      w.write("compare/" + group + ".html", "compare", view.text("title"), view);
    });
  }
  for (const auto& [group, variants] : model.variant_groups) {
    tasks.push_back([&, &group = group, &variants = variants](PageWriter& w) {
      const View view = variant_compare_view(model, group, variants);
      w.write("compare/variants-" + group + ".html", "variants", view.text("title"), view);
    });
  }
  for (const Page& p : inputs.pages) {
    tasks.push_back([&](PageWriter& w) {
      w.write(p.slug + ".html", "page", p.title, View().set("html", render_markdown(p.markdown)));
    });
  }

  for (const char* name : {"layout", "index", "runs", "not_found", "config", "run", "compare", "variants", "page"}) {
    main_templates.compile(name);
  }
  run_tasks(tasks, threads, model, options.templates, base_url, out, pages);
  phase("render");

  summary.runs = inputs.dataset.run_count();
  summary.configurations = inputs.dataset.configurations.size();
  summary.pages = pages;
  summary.files = out.files();
  summary.written = out.changed();
  summary.incremental = out.incremental();
  summary.problems = inputs.problems;
  out.commit();
  phase("commit");
  return summary;
}

}  // namespace sitegen::site
