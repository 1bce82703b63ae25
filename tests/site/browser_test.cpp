// The browser test: builds the committed results/, serves the site on 127.0.0.1 and loads pages
// in headless Chromium at desktop and phone width. Fails on a console error or exception, a page
// wider than the viewport, or a chart that is empty, zero-sized or off-screen; saves screenshots.

#include <catch2/catch.hpp>

#include "site/builder.hpp"
#include "site/cdp_client.hpp"
#include "site/http_server.hpp"
#include "support.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace fs = std::filesystem;
using namespace sitegen;
using Json = nlohmann::json;

namespace {

const char* k_chromium = "/usr/bin/chromium";

// Measures the page in the browser: widths, and every chart's box and drawn marks.
const char* k_probe = R"js(JSON.stringify({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  height: document.documentElement.scrollHeight,
  charts: Array.from(document.querySelectorAll('svg')).map(function (s) {
    var r = s.getBoundingClientRect();
    var marks = Array.from(s.querySelectorAll('.marker, .line, .bar, path.frontier')).filter(function (m) {
      var b = m.getBoundingClientRect(); return b.width > 0 || b.height > 0; }).length;
    return {id: s.id || (s.getAttribute('aria-labelledby') || ''), width: r.width, height: r.height,
            left: r.left, right: r.right, marks: marks};
  })
}))js";

struct PageCheck {
  std::vector<std::string> failures;
  std::size_t charts = 0;
};

std::string first_page(const fs::path& root, const std::string& under) {
  const auto pages = files::list_recursive({root / under}, "index.html").files;
  return pages.empty() ? "" : files::display(pages.front(), root);
}

PageCheck check_page(test::Chromium& browser, const std::string& url, int width, const fs::path& shot) {
  PageCheck out;
  const Json target = browser.call("Target.createTarget", {{"url", "about:blank"}}, "");
  const std::string target_id = target["targetId"];
  const Json attached = browser.call("Target.attachToTarget", {{"targetId", target_id}, {"flatten", true}}, "");
  const std::string session = attached["sessionId"];
  browser.call("Runtime.enable", Json::object(), session);
  browser.call("Log.enable", Json::object(), session);
  browser.call("Page.enable", Json::object(), session);
  browser.call("Emulation.setDeviceMetricsOverride",
               {{"width", width}, {"height", 900}, {"deviceScaleFactor", 1}, {"mobile", width < 600}}, session);
  browser.events().clear();
  browser.call("Page.navigate", {{"url", url}}, session);
  browser.wait_event("Page.loadEventFired", session, 60);
  const Json probe = browser.call("Runtime.evaluate", {{"expression", k_probe}, {"returnByValue", true}}, session);
  const Json m = Json::parse(probe["result"]["value"].get<std::string>());
  const std::string where = url + " at " + std::to_string(width) + " px: ";
  if (m["scrollWidth"].get<double>() > m["innerWidth"].get<double>()) {
    out.failures.push_back(where + "page is " + m["scrollWidth"].dump() + " px wide in a " + m["innerWidth"].dump() +
                           " px viewport");
  }
  for (const Json& c : m["charts"]) {
    ++out.charts;
    const std::string id = c["id"].get<std::string>();
    if (c["width"].get<double>() < 1 || c["height"].get<double>() < 1) out.failures.push_back(where + "chart " + id + " has zero size");
    if (c["marks"].get<int>() == 0) out.failures.push_back(where + "chart " + id + " draws no marks");
    if (c["left"].get<double>() < -1 || c["right"].get<double>() > m["innerWidth"].get<double>() + 1) {
      out.failures.push_back(where + "chart " + id + " is placed off-screen");
    }
  }
  // Screenshot of the whole page (capped so a huge table cannot exhaust memory).
  const int height = std::min(8000, std::max(900, int(m["height"].get<double>())));
  browser.call("Emulation.setDeviceMetricsOverride",
               {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", width < 600}}, session);
  const Json png = browser.call("Page.captureScreenshot", {{"format", "png"}}, session, 60);
  files::write_atomic(shot, test::base64_decode(png["data"].get<std::string>()));
  for (const Json& e : browser.events()) {
    if (e.value("sessionId", "") != session) continue;
    const std::string method = e["method"];
    if (method == "Runtime.exceptionThrown") out.failures.push_back(where + "exception: " + e["params"].dump());
    if (method == "Runtime.consoleAPICalled" && (e["params"]["type"] == "error" || e["params"]["type"] == "assert")) {
      out.failures.push_back(where + "console error: " + e["params"]["args"].dump());
    }
    if (method == "Log.entryAdded" && e["params"]["entry"]["level"] == "error") {
      out.failures.push_back(where + "console error: " + e["params"]["entry"]["text"].get<std::string>() + " " +
                             e["params"]["entry"].value("url", ""));
    }
  }
  browser.call("Target.closeTarget", {{"targetId", target_id}}, "");
  return out;
}

}  // namespace

TEST_CASE("the built site renders in Chromium without errors at desktop and phone width", "[site][browser]") {
  if (!fs::exists(k_chromium)) {
    FAIL("Chromium is not installed: the browser test needs /usr/bin/chromium (apt-get install chromium)");
  }
  test::ScratchDir dir("browser");
  site::BuildOptions o;
  o.results = test::source("results");
  o.site = test::source("site");
  o.out = dir / "_site";
  site::build_site(o);
  const std::string config = first_page(dir / "_site", "configs");
  const std::string run = first_page(dir / "_site", "runs");
  // The comparison page of the model measured on the most hardware (MLPerf's Llama-2-70B Server).
  std::string compare;
  for (const fs::path& f : files::list_recursive({dir / "_site/compare"}, ".html").files)
    if (compare.empty() && f.filename().string().starts_with("llama-2-70b")) compare = files::display(f, dir / "_site");
  REQUIRE(!config.empty());
  REQUIRE(!run.empty());
  REQUIRE(!compare.empty());

  test::StaticHttpServer server(dir / "_site");
  test::Chromium browser(k_chromium, dir / "profile");
  const fs::path shots = fs::path(SITEGEN_BINARY).parent_path() / "screenshots";
  std::vector<std::string> failures;
  std::size_t charts = 0;
  for (const auto& [name, page] : std::vector<std::pair<std::string, std::string>>{{"index", "index.html"},
                                                                                  {"index-by-name", "index-by-name.html"},
                                                                                  {"config", config},
                                                                                  {"compare", compare},
                                                                                  {"run", run}}) {
    for (int width : {1280, 375}) {
      const PageCheck c = check_page(browser, server.url(page), width,
                                     shots / (name + "-" + std::to_string(width) + ".png"));
      failures.insert(failures.end(), c.failures.begin(), c.failures.end());
      charts += c.charts;
    }
  }
  INFO(strings::join(failures, "\n"));
  CHECK(failures.empty());
  CHECK(charts >= 6);  // the index has two charts, a configuration page at least one, at two widths
  CHECK(fs::file_size(shots / "index-1280.png") > 1000);
}
