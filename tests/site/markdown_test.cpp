#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

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

TEST_CASE("markdown renders the same on several threads at once", "[site]") {
  // cmark-gfm's special-character table is global; parsers on two threads used to race on it
  // and leave ~~strikethrough~~ unrendered now and then.
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        const std::string html = sitegen::site::render_markdown("a ~~gone~~ word and a | b\n");
        if (html.find("<del>gone</del>") == std::string::npos) ++wrong;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(wrong == 0);
}
