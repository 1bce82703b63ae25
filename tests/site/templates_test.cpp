#include <catch2/catch.hpp>

#include <stdexcept>

#include "support.hpp"
#include "site/templates.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

using sitegen::site::View;
using sitegen::site::Templates;

TEST_CASE("templates escape every {{value}} for HTML text and attributes", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-escape");
  sitegen::files::write_atomic(dir / "t.mustache", "<p title=\"{{v}}\">{{v}}</p>");
  Templates t(dir.path());
  const std::string out = t.render("t", View().set("v", "<script>alert('x')</script>\"&"));
  CHECK(out == "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;\">"
               "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;</p>");
}

TEST_CASE("a template directory overrides the built-in templates file by file", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-override");
  sitegen::files::write_atomic(dir / "page.mustache", "MINE {{{html}}}");
  Templates t(dir.path());
  CHECK(t.render("page", View().set("html", "<b>x</b>")) == "MINE <b>x</b>");
  // layout.mustache is not in the directory: the embedded one is used.
  CHECK(t.text("layout.mustache").find("<!doctype html>") != std::string::npos);
  CHECK(t.has("style.css"));
}

TEST_CASE("a template that does not parse is an error naming the file", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-bad");
  sitegen::files::write_atomic(dir / "page.mustache", "{{#open}} never closed");
  Templates t(dir.path());
  try {
    t.render("page", View());
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
  CHECK(t.render("t", View().set("v", "")) == "[none|]");
  CHECK(t.render("t", View().set("v", "32")) == "[at 32|32]");
}

TEST_CASE("a list in a view comes with a has_ flag a template can wrap its section in", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-has");
  sitegen::files::write_atomic(dir / "t.mustache", "{{#has_items}}<ul>{{#items}}<li>{{.}}</li>{{/items}}</ul>{{/has_items}}"
                                                   "{{^has_items}}none{{/has_items}}");
  Templates t(dir.path());
  View none;
  none.set("items", View::list());
  CHECK(t.render("t", none) == "none");
  View two;
  two.set("items", View::list().push("a").push("<b>"));
  CHECK(t.render("t", two) == "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
}

TEST_CASE("a list grows without losing or reordering its items", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-list");
  sitegen::files::write_atomic(dir / "t.mustache", "{{#items}}{{n}},{{/items}}");
  Templates t(dir.path());
  View items = View::list();
  std::string expected;
  for (int i = 0; i < 100; ++i) {
    items.push(View().set("n", std::to_string(i)));
    expected += std::to_string(i) + ",";
  }
  CHECK(items.size() == 100);
  View v;
  v.set("items", std::move(items));
  CHECK(t.render("t", v) == expected);
}

TEST_CASE("a page's view is looked up before the layers under it", "[site]") {
  sitegen::test::ScratchDir dir("tmpl-layers");
  sitegen::files::write_atomic(dir / "t.mustache", "{{title}}|{{root}}|{{site.title}}");
  Templates t(dir.path());
  const View page = View().set("title", "Run 7");
  const View common = View().set("title", "Common").set("root", "../").set("site", View().set("title", "Bench"));
  CHECK(t.render("t", {&page, &common}) == "Run 7|../|Bench");
}

TEST_CASE("no built-in template indexes a list, which mustache cannot do (the has_ flag is for that)", "[site]") {
  for (const sitegen::embedded::File& f : sitegen::embedded::files()) {
    if (!f.path.starts_with("templates/") || !f.path.ends_with(".mustache")) continue;
    INFO(f.path);
    CHECK(f.content.find(".0}}") == std::string_view::npos);
  }
}

TEST_CASE("a view refuses a key on a list and an item on an object", "[site]") {
  View list = View::list();
  CHECK_THROWS_AS(list.set("k", "v"), std::logic_error);
  CHECK_THROWS_AS(list.flag("k", true), std::logic_error);
  View object;
  CHECK_THROWS_AS(object.push("v"), std::logic_error);
  CHECK_THROWS_AS(object.push(View()), std::logic_error);
  CHECK(object.size() == 0);
  CHECK(list.push("a").size() == 1);
}
