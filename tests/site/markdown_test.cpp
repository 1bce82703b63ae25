#include <catch2/catch.hpp>

#include "site/markdown.hpp"

using sitegen::site::render_markdown;

TEST_CASE("markdown renders GFM tables, strikethrough, autolinks and task lists", "[site]") {
  const std::string html = render_markdown(
      "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ see https://example.org\n\n- [x] done\n- [ ] todo\n");
  CHECK(html.find("<table>") != std::string::npos);
  CHECK(html.find("<td>1</td>") != std::string::npos);
  CHECK(html.find("<del>gone</del>") != std::string::npos);
  CHECK(html.find("<a href=\"https://example.org\">") != std::string::npos);
  CHECK(html.find("type=\"checkbox\"") != std::string::npos);
}

TEST_CASE("markdown drops raw HTML so notes cannot run script", "[site]") {
  const std::string html = render_markdown(
      "Hello <img src=x onerror=alert(1)>\n\n<script>alert(2)</script>\n\n<div onclick=\"x()\">block</div>\n");
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("onerror") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("onclick") == std::string::npos);
  CHECK(html.find("Hello") != std::string::npos);
}

TEST_CASE("markdown empties javascript: links", "[site]") {
  const std::string html = render_markdown("[click](javascript:alert(1)) ![i](javascript:alert(2))");
  CHECK(html.find("javascript:") == std::string::npos);
  CHECK(html.find("click") != std::string::npos);
}

TEST_CASE("markdown survives invalid UTF-8 and empty input", "[site]") {
  CHECK(render_markdown("").empty());
  const std::string html = render_markdown(std::string("bad \xff\xfe bytes"));
  CHECK(html.find("bytes") != std::string::npos);
}
