// The files the site publishes for other tools: the Atom feed, the Open Graph and Twitter tags,
// the shields.io badges and the github-action-benchmark JSON.

#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "site/builder.hpp"
#include "site/share.hpp"
#include "site/site_support.hpp"
#include "support.hpp"
#include "util/files.hpp"
#include "util/format.hpp"

namespace fs = std::filesystem;
using namespace sitegen;
using sitegen::test::ScratchDir;
using test::contains;

namespace {

const std::string k_hostile = "<script>alert(\"x\")</script> & 'q'";

// A minimal XML well-formedness check: one root element, tags nested and closed in order,
// attribute values quoted, no '<' in text or attributes, every '&' an entity XML predefines.
// Returns "" when the document passes, else what is wrong and where.
std::string xml_problem(const std::string& x) {
  std::vector<std::string> open;
  bool had_root = false;
  auto entity_ok = [&](std::size_t at) {
    for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      if (x.compare(at, std::string(e).size(), e) == 0) return true;
    }
    return false;
  };
  std::size_t i = 0;
  while (i < x.size()) {
    if (x[i] == '&' && !entity_ok(i)) return "bare & at " + std::to_string(i);
    if (x[i] == '>') return "bare > in text at " + std::to_string(i);
    if (x[i] != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(x[i]))) return "text outside the root at " + std::to_string(i);
      ++i;
      continue;
    }
    if (x.compare(i, 2, "<?") == 0) {
      const std::size_t end = x.find("?>", i);
      if (end == std::string::npos) return "unclosed <?";
      i = end + 2;
      continue;
    }
    const bool closing = x.compare(i, 2, "</") == 0;
    std::size_t j = i + (closing ? 2 : 1);
    std::string name;
    while (j < x.size() && (std::isalnum(static_cast<unsigned char>(x[j])) || x[j] == ':' || x[j] == '-')) name += x[j++];
    if (name.empty()) return "tag without a name at " + std::to_string(i);
    // Attributes: name="value" pairs up to > or />.
    while (j < x.size() && x[j] != '>' && x[j] != '/') {
      if (std::isspace(static_cast<unsigned char>(x[j]))) { ++j; continue; }
      while (j < x.size() && x[j] != '=' && x[j] != '>') ++j;
      if (j + 1 >= x.size() || x[j] != '=' || x[j + 1] != '"') return "unquoted attribute in <" + name + ">";
      const std::size_t end = x.find('"', j + 2);
      if (end == std::string::npos) return "unclosed attribute in <" + name + ">";
      for (std::size_t k = j + 2; k < end; ++k) {
        if (x[k] == '<') return "< in an attribute of <" + name + ">";
        if (x[k] == '&' && !entity_ok(k)) return "bare & in an attribute of <" + name + ">";
      }
      j = end + 1;
    }
    if (j >= x.size()) return "unclosed tag <" + name + ">";
    const bool empty = x[j] == '/';
    if (empty && (j + 1 >= x.size() || x[j + 1] != '>')) return "stray / in <" + name + ">";
    i = j + (empty ? 2 : 1);
    if (closing) {
      if (open.empty() || open.back() != name) return "</" + name + "> closes " + (open.empty() ? "nothing" : open.back());
      open.pop_back();
    } else {
      if (open.empty() && had_root) return "a second root <" + name + ">";
      had_root = true;
      if (!empty) open.push_back(name);
    }
  }
  if (!open.empty()) return "<" + open.back() + "> is never closed";
  return had_root ? "" : "no root element";
}

// The texts of every <tag>...</tag> in document order.
std::vector<std::string> elements(const std::string& x, const std::string& tag) {
  std::vector<std::string> out;
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  for (std::size_t at = x.find(open); at != std::string::npos; at = x.find(open, at + 1)) {
    const std::size_t from = at + open.size();
    out.push_back(x.substr(from, x.find(close, from) - from));
  }
  return out;
}

// The values of every href="..." inside <entry> elements.
std::vector<std::string> entry_links(const std::string& feed) {
  std::vector<std::string> out;
  for (const std::string& entry : elements(feed, "entry")) {
    const std::size_t at = entry.find("href=\"");
    if (at != std::string::npos) out.push_back(entry.substr(at + 6, entry.find('"', at + 6) - at - 6));
  }
  return out;
}

model::Report dated(model::Report r, const std::string& started_at) {
  r.provenance.started_at = started_at;
  return r;
}

// An in-memory site of one configuration with the given runs (the last one latest).
struct OneConfig {
  site::Inputs inputs;
  site::SiteModel model;
  explicit OneConfig(const std::vector<model::Report>& reports, const std::string& id = "org-model/gpu-1gpu/vllm/serving") {
    store::Configuration c;
    c.id = id;
    for (const model::Report& r : reports) {
      store::Run run;
      run.report = r;
      run.relative = id + "/" + r.provenance.run_id;
      c.runs.push_back(run);
    }
    if (!c.runs.empty()) c.latest = c.runs.size() - 1;
    inputs.dataset.configurations.push_back(std::move(c));
    model.inputs = &inputs;
  }
  const store::Configuration& config() const { return inputs.dataset.configurations.front(); }
};

}  // namespace

TEST_CASE("run times in the feed are RFC 3339 UTC, from started_at else the run id", "[site][share]") {
  CHECK(site::rfc3339_utc("2026-01-02T03:04:05Z", "") == "2026-01-02T03:04:05Z");
  CHECK(site::rfc3339_utc("2026-01-02T03:04:05.123456+00:00", "") == "2026-01-02T03:04:05Z");
  CHECK(site::rfc3339_utc("2026-01-02 03:04:05", "") == "2026-01-02T03:04:05Z");
  // A time in another zone, or no time at all: the run id says when.
  CHECK(site::rfc3339_utc("2026-01-02T03:04:05+02:00", "20251231-235959") == "2025-12-31T23:59:59Z");
  CHECK(site::rfc3339_utc("", "20260101-120000-a1") == "2026-01-01T12:00:00Z");
  CHECK(site::rfc3339_utc("yesterday", "run-7").empty());
  CHECK(site::rfc3339_utc("2026-13-02T03:04:05Z", "20261302-000000").empty());
}

TEST_CASE("the feed lists runs newest first and links each to its page", "[site][share]") {
  ScratchDir dir("share-feed");
  test::write_report(dir / "results", dated(test::sample_report("org/Model-A", "RTX A5000", "vllm", "20260101-000000"), ""));
  test::write_report(dir / "results",
                     dated(test::sample_report("org/Model-A", "RTX A5000", "vllm", "20260103-000000", 1.1), "2026-01-03T10:00:00Z"));
  test::write_report(dir / "results", dated(test::sample_report("org/Model-A", "RTX A5000", "sglang", "20260102-000000"), ""));
  test::build_at(dir / "results", dir / "_site");
  const std::string feed = files::read(dir / "_site/feed.xml");
  INFO(feed);
  CHECK(xml_problem(feed).empty());
  CHECK(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
  CHECK(elements(feed, "updated") ==
        std::vector<std::string>{"2026-01-03T10:00:00Z", "2026-01-03T10:00:00Z", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"});
  const auto titles = elements(feed, "title");
  REQUIRE(titles.size() == 4);
  CHECK(contains(titles[1], "org/Model-A · vllm · 1× RTX A5000 — run 20260103-000000"));
  CHECK(contains(titles[2], "sglang"));
  // Without --base-url the links are relative to the feed, which sits at the site root.
  const auto links = entry_links(feed);
  REQUIRE(links.size() == 3);
  for (const std::string& link : links) {
    CHECK(link.starts_with("runs/"));
    CHECK(fs::is_regular_file(dir / "_site" / link));
  }
  for (const std::string& id : elements(feed, "id")) CHECK(id.starts_with("tag:sitegen,2026:"));
  CHECK(contains(elements(feed, "summary").at(0), "Peak output " + format::human(40.0 * 16 / 2.6 * 1.1) + " tokens/s at load 16"));
  // Every page names the feed in its head.
  CHECK(contains(files::read(dir / "_site/index.html"),
                 "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"LLM serving benchmarks: new runs\" href=\"feed.xml\">"));
  CHECK(contains(files::read(dir / "_site" / links[0]), "href=\"../../../../../../feed.xml\""));
}

TEST_CASE("the feed holds the newest 50 runs", "[site][share]") {
  std::vector<model::Report> reports;
  for (int day = 1; day <= 28; ++day) {
    for (int hour : {1, 2}) {
      const std::string id = "202602" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "-0" + std::to_string(hour) + "0000";
      reports.push_back(dated(test::sample_report("org/Model", "GPU", "vllm", id), ""));
    }
  }
  OneConfig site(reports);
  const std::string feed = site::atom_feed(site.model, "");
  CHECK(xml_problem(feed).empty());
  const auto updated = elements(feed, "updated");
  REQUIRE(updated.size() == 51);  // the feed's own, then 50 entries
  CHECK(updated[0] == "2026-02-28T02:00:00Z");
  CHECK(updated[1] == "2026-02-28T02:00:00Z");
  CHECK(updated[50] == "2026-02-04T01:00:00Z");
}

TEST_CASE("a hostile model name is escaped in the feed, the badges and the benchmark JSON", "[site][share]") {
  OneConfig site({test::sample_report(k_hostile, "GPU & <b>", "vllm", "20260101-000000")});
  site.inputs.settings.title = k_hostile;
  const std::string feed = site::atom_feed(site.model, "");
  INFO(feed);
  CHECK(xml_problem(feed).empty());
  CHECK_FALSE(contains(feed, "<script>"));
  CHECK(contains(feed, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;"));

  for (bool bigger : {true, false}) {
    const std::string text = site::benchmark_json(site.model, bigger);
    CHECK_FALSE(contains(text, "<"));
    CHECK_FALSE(contains(text, "&"));
    const auto doc = nlohmann::json::parse(text);
    REQUIRE(!doc.empty());
    // The escapes read back as the model's own name.
    CHECK(doc[0]["extra"].get<std::string>().starts_with(k_hostile + " · vllm · 1× GPU & <b>; run 20260101-000000"));
  }
  const std::string badge = site::badge_json(site.config());
  CHECK_FALSE(contains(badge, "<"));
}

TEST_CASE("Open Graph and Twitter tags escape the site's strings and give og:url only for an absolute base", "[site][share]") {
  ScratchDir dir("share-og");
  test::small_tree(dir / "results");
  fs::copy(test::source("site"), dir / "site", fs::copy_options::recursive);
  files::write_atomic(dir / "site/site.json", nlohmann::json({{"title", k_hostile}, {"description", "\"><script>alert('d')</script>"}}).dump());
  site::BuildOptions o;
  o.results = dir / "results";
  o.site = dir / "site";
  o.out = dir / "_site";
  site::build_site(o);
  const std::string index = files::read(dir / "_site/index.html");
  CHECK(contains(index, "<meta property=\"og:title\" content=\"Results\">"));
  CHECK(contains(index, "<meta property=\"og:type\" content=\"website\">"));
  CHECK(contains(index, "<meta property=\"og:description\" content=\"&quot;&gt;&lt;script&gt;alert(&#39;d&#39;)&lt;/script&gt;\">"));
  CHECK(contains(index, "<meta name=\"twitter:card\" content=\"summary\">"));
  CHECK(contains(index, "<meta name=\"twitter:title\" content=\"Results · &lt;script&gt;"));
  CHECK_FALSE(contains(index, "og:url"));
  CHECK_FALSE(contains(index, "<script>"));

  // An absolute base URL: every page names its own address, the feed's ids and links are absolute.
  o.base_url = "https://example.org/bench";
  o.clean = true;
  site::build_site(o);
  const std::string run_page = "runs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000/index.html";
  CHECK(contains(files::read(dir / "_site" / run_page),
                 "<meta property=\"og:url\" content=\"https://example.org/bench/" + run_page + "\">"));
  CHECK(contains(files::read(dir / "_site/index.html"), "<meta property=\"og:url\" content=\"https://example.org/bench/index.html\">"));
  const std::string feed = files::read(dir / "_site/feed.xml");
  CHECK(xml_problem(feed).empty());
  CHECK(elements(feed, "id").at(0) == "https://example.org/bench/feed.xml");
  CHECK(contains(feed, "<id>https://example.org/bench/" + run_page + "</id>"));
  CHECK(contains(feed, "href=\"https://example.org/bench/" + run_page + "\""));
}

TEST_CASE("each configuration has a shields.io endpoint badge with its peak output", "[site][share]") {
  ScratchDir dir("share-badges");
  test::small_tree(dir / "results");
  model::Report blind = test::sample_report("org/Model-B", "RTX A5000", "vllm", "20260101-000000");
  for (model::Point& p : blind.points) p.output_throughput_tps.reset();
  test::write_report(dir / "results", blind);
  test::build_at(dir / "results", dir / "_site");

  const auto badge = nlohmann::json::parse(
      files::read(dir / "_site/data/badges/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc.json"));
  CHECK(badge["schemaVersion"] == 1);
  CHECK(badge["label"] == "peak output");
  // The latest run (scale 1.1) peaks at concurrency 16.
  CHECK(badge["message"] == format::human(40.0 * 16 / 2.6 * 1.1) + " tok/s");
  CHECK(badge["color"] == "blue");
  CHECK(badge.size() == 4);

  const auto none = nlohmann::json::parse(
      files::read(dir / "_site/data/badges/model-b-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc.json"));
  CHECK(none["message"] == "unavailable");
  CHECK(none["color"] == "lightgrey");
}

TEST_CASE("benchmark JSON for github-action-benchmark has unique names and numeric values", "[site][share]") {
  ScratchDir dir("share-bench");
  test::small_tree(dir / "results");
  test::write_report(dir / "results", test::sample_report("org/Model-A", "RTX 4090", "vllm", "20260101-000000"));
  test::build_at(dir / "results", dir / "_site");
  const std::string conf = "model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc";
  std::map<std::string, double> bigger, smaller;
  for (auto [file, into] : {std::pair{"benchmark-bigger.json", &bigger}, std::pair{"benchmark-smaller.json", &smaller}}) {
    const auto doc = nlohmann::json::parse(files::read(dir / "_site/data" / file));
    REQUIRE(doc.is_array());
    for (const auto& e : doc) {
      INFO(e.dump());
      CHECK(e.size() == 4);
      CHECK(e["name"].is_string());
      CHECK(e["unit"].is_string());
      CHECK(e["extra"].is_string());
      REQUIRE(e["value"].is_number());
      CHECK(into->emplace(e["name"].get<std::string>(), e["value"].get<double>()).second);  // unique
    }
  }
  // The latest run of each configuration, every load level.
  CHECK(bigger.at(conf + " output tokens/s @ concurrency 16") == Approx(40.0 * 16 / 2.6 * 1.1));
  CHECK(bigger.at(conf + " total tokens/s @ concurrency 1") == Approx(40.0 / 1.1 * 1.1 * 5));
  CHECK(smaller.at(conf + " TTFT p50 @ concurrency 4") == Approx(360));
  CHECK(smaller.at(conf + " TPOT p99 @ concurrency 16") == Approx(60));
  // The catalog prices an RTX 4090 but has no purchase price for an RTX A5000: its cost is left
  // out, never written as 0.
  CHECK(smaller.at("model-a-bf16/rtx-4090-1gpu/vllm/serving-random-in512-out128-conc owned USD/1M tokens @ concurrency 16") > 0);
  CHECK(smaller.count(conf + " owned USD/1M tokens @ concurrency 16") == 0);
  CHECK(bigger.size() == 3 * 3 * 3);  // three configurations, three load levels, three figures
  for (const auto& [name, value] : bigger) CHECK_FALSE(contains(name, "TTFT"));
}

TEST_CASE("two load levels with one label get distinct benchmark names", "[site][share]") {
  model::Report r = test::sample_report("org/Model", "GPU", "vllm", "20260101-000000");
  for (model::Point& p : r.points) p.concurrency.reset();  // "load not stated" for each
  OneConfig site({r});
  std::set<std::string> names;
  for (const auto& e : nlohmann::json::parse(site::benchmark_json(site.model, true))) names.insert(e["name"].get<std::string>());
  CHECK(names.size() == 9);
  CHECK(names.count("org-model/gpu-1gpu/vllm/serving output tokens/s @ load not stated (point 3)") == 1);
}

TEST_CASE("the shared files are byte-identical across builds", "[site][share]") {
  ScratchDir dir("share-determinism");
  test::small_tree(dir / "results");
  test::build_at(dir / "results", dir / "a");
  test::build_at(dir / "results", dir / "b");
  const auto a = test::read_tree(dir / "a"), b = test::read_tree(dir / "b");
  std::size_t shared = 0;
  for (const auto& [path, bytes] : a) {
    if (path == "feed.xml" || path.starts_with("data/badges/") || path == "data/benchmark-bigger.json" ||
        path == "data/benchmark-smaller.json") {
      INFO(path);
      REQUIRE(b.count(path));
      CHECK(b.at(path) == bytes);
      ++shared;
    }
  }
  CHECK(shared == 1 + 2 + 2);  // the feed, two badges, two benchmark files
}
