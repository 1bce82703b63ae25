// The built pages pinned as golden HTML, the catalog's and settings' strings escaped, and the
// 404 page under --base-url.

#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "site/builder.hpp"
#include "site/site_support.hpp"
#include "support.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace fs = std::filesystem;
using namespace sitegen;
using sitegen::test::ScratchDir;

using test::contains;

TEST_CASE("the pages of a small site match their golden HTML", "[site]") {
  ScratchDir dir("pages-golden");
  test::small_tree(dir / "results");
  test::build_at(dir / "results", dir / "_site");
  // One page of each kind. A change to a template, a view or the catalog shows up here as a
  // diff to review; SITEGEN_UPDATE_GOLDEN=1 rewrites the files once the change is right.
  for (const std::string page : {"index.html", "index-by-name.html", "runs.html", "404.html",
                                 "configs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/index.html",
                                 "runs/model-a-bf16/rtx-a5000-1gpu/vllm/serving-random-in512-out128-conc/20260102-000000/index.html",
                                 "compare/model-a-rtx-a5000-1gpu-serving-random-in512-out128-conc.html"}) {
    INFO(page);
    std::string name = page;
    std::replace(name.begin(), name.end(), '/', '_');
    const std::string mismatch = test::golden_mismatch_at("site/" + name, files::read(dir / "_site" / page));
    CHECK(mismatch.empty());
    if (!mismatch.empty()) UNSCOPED_INFO(mismatch.substr(0, 400));
  }
}

TEST_CASE("strings from the catalog and the site settings are escaped on every page", "[site]") {
  ScratchDir dir("pages-catalog-escape");
  test::small_tree(dir / "results");
  fs::copy(test::source("site"), dir / "site", fs::copy_options::recursive);
  nlohmann::json catalog = nlohmann::json::parse(files::read(dir / "site/pricing.json"));
  for (auto& hw : catalog["hardware"]) {
    hw["name"] = "<script>alert('hw')</script>";
    if (hw.contains("own")) hw["own"]["source"] = "<img src=x onerror=alert('own')>";
    if (hw.contains("cloud")) hw["cloud"]["source"] = "<img src=x onerror=alert('cloud')>";
  }
  for (auto& api : catalog["api_models"]) {
    api["name"] = "<script>alert('api')</script>";
    api["provider"] = "<img src=x onerror=alert('provider')>";
  }
  files::write_atomic(dir / "site/pricing.json", catalog.dump(1));
  files::write_atomic(dir / "site/site.json",
                      R"({"title": "<script>alert('title')</script>", "description": "\"><script>alert('d')</script>",
                          "repo_url": "https://example.org/?q=<script>alert('repo')</script>", "footer": "<img src=x onerror=alert('footer')>"})");
  site::BuildOptions o;
  o.results = dir / "results";
  o.site = dir / "site";
  o.out = dir / "_site";
  const site::BuildSummary s = site::build_site(o);
  INFO(strings::join(s.problems, "\n"));
  REQUIRE(s.problems.empty());

  std::size_t escaped_catalog = 0;
  for (const auto& page : files::list_recursive({dir / "_site"}, ".html").files) {
    INFO(page.string());
    const std::string html = files::read(page);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img src=x") == std::string::npos);
    CHECK(html.find("href=\"javascript:") == std::string::npos);
    CHECK(contains(html, "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"));
    if (contains(html, "&lt;script&gt;alert(&#39;api&#39;)") ||
        contains(html, "&lt;script&gt;alert(&#39;hw&#39;)")) {
      ++escaped_catalog;
    }
  }
  // The catalog's names do reach pages (index, configuration pages), as text.
  CHECK(escaped_catalog > 0);

  // A link that is not http(s) would run script when clicked where no CSP applies: refused.
  files::write_atomic(dir / "site/site.json", R"j({"repo_url": "javascript:alert('repo')"})j");
  CHECK_THROWS_WITH(site::build_site(o), Catch::Contains("site.json") && Catch::Contains("repo_url"));
}

TEST_CASE("404.html links under --base-url, and a base URL that could leave its attribute is refused", "[site]") {
  ScratchDir dir("pages-404");
  test::small_tree(dir / "results");
  site::BuildOptions o;
  o.results = dir / "results";
  o.site = test::source("site");
  o.out = dir / "_site";
  o.base_url = "/bench";
  site::build_site(o);
  const std::string page = files::read(dir / "_site/404.html");
  CHECK(contains(page, "href=\"/bench/style.css\""));
  CHECK(contains(page, "href=\"/bench/index.html\""));
  CHECK(contains(page, "href=\"/bench/runs.html\""));
  // Other pages stay relative.
  CHECK(contains(files::read(dir / "_site/index.html"), "href=\"style.css\""));

  const auto before = test::read_tree(dir / "_site");
  for (const char* bad : {"javascript:alert(1)", "bench", "/a\"onmouseover=x", "//evil.example/"}) {
    INFO(bad);
    o.base_url = bad;
    CHECK_THROWS_WITH(site::build_site(o), Catch::Contains("--base-url"));
  }
  CHECK(test::read_tree(dir / "_site") == before);
}
