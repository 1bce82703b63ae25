#include <catch2/catch.hpp>

#include "support.hpp"
#include "site/templates.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

using sitegen::site::Json;
using sitegen::site::Templates;

TEST_CASE("templates escape every {{value}} for HTML text and attributes", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-escape");
  sitegen::files::write_atomic(dir / "t.mustache", "<p title=\"{{v}}\">{{v}}</p>");
  Templates t(dir.path());
  const std::string out = t.render("t", Json{{"v", "<script>alert('x')</script>\"&"}});
  CHECK(out == "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;\">"
               "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;</p>");
}

TEST_CASE("a template directory overrides the built-in templates file by file", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-override");
  sitegen::files::write_atomic(dir / "page.mustache", "MINE {{{html}}}");
  Templates t(dir.path());
  CHECK(t.render("page", Json{{"html", "<b>x</b>"}}) == "MINE <b>x</b>");
  // layout.mustache is not in the directory: the embedded one is used.
  CHECK(t.text("layout.mustache").find("<!doctype html>") != std::string::npos);
  CHECK(t.has("style.css"));
}

TEST_CASE("a template that does not parse is an error naming the file", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-bad");
  sitegen::files::write_atomic(dir / "page.mustache", "{{#open}} never closed");
  Templates t(dir.path());
  try {
    t.render("page", Json::object());
    FAIL("expected an error");
  } catch (const sitegen::Error& e) {
    CHECK(std::string(e.what()).find("templates/page.mustache") != std::string::npos);
  }
}

TEST_CASE("a missing template is an error naming it", "[site]") {
  Templates t;
  CHECK_THROWS_WITH(t.text("nope.mustache"), Catch::Contains("nope.mustache"));
}

TEST_CASE("an empty string is false in a section and renders as nothing", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-empty");
  sitegen::files::write_atomic(dir / "t.mustache", "[{{#v}}at {{v}}{{/v}}{{^v}}none{{/v}}|{{v}}]");
  Templates t(dir.path());
  CHECK(t.render("t", Json{{"v", ""}}) == "[none|]");
  CHECK(t.render("t", Json{{"v", "32"}}) == "[at 32|32]");
}
