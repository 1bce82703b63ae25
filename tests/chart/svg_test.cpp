#include "chart/svg.hpp"

#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <limits>

#include "chart_check.hpp"

using namespace sitegen::chart;

TEST_CASE("escape makes markup in names inert text", "[chart]") {
  CHECK(escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(escape("a & b \"c\" 'd'") == "a &amp; b &quot;c&quot; &#39;d&#39;");
  CHECK(escape("Qwen3 \xE2\x80\x94 8\xC3\x97H100") == "Qwen3 \xE2\x80\x94 8\xC3\x97H100");  // UTF-8 kept
}

TEST_CASE("escape replaces invalid UTF-8 and drops control characters XML forbids", "[chart]") {
  CHECK(escape("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // an overlong '/'
  CHECK(escape(std::string("a\0b\x01\tc\n", 8)) == "ab\tc\n");
}

TEST_CASE("numbers in SVG are short, deterministic and never nan, inf or -0", "[chart]") {
  CHECK(num(12.5) == "12.5");
  CHECK(num(100.0) == "100");
  CHECK(num(1.0 / 3) == "0.33");
  CHECK(num(-0.001) == "0");
  CHECK(num(std::nan("")) == "0");
  CHECK(num(std::numeric_limits<double>::infinity()) == "0");
  CHECK(num(1e300).size() > 300);  // huge but finite: still digits, not "inf"
}

TEST_CASE("ellipsize cuts long labels at a character boundary with an ellipsis", "[chart]") {
  CHECK(ellipsize("short", 10) == "short");
  CHECK(ellipsize("exactly10!", 10) == "exactly10!");
  CHECK(ellipsize("a much longer label", 10) == "a much lo\xE2\x80\xA6");
  // Multi-byte characters are never split.
  CHECK(ellipsize("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3) == "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
  CHECK(text_width("\xC3\xA9\xC3\xA9", 10) == Approx(12));
}

TEST_CASE("the writer escapes attributes and text and closes what it opened", "[chart]") {
  SvgWriter svg;
  svg.open("svg", {{"class", "a\"b"}, {"width", 12.345}});
  svg.text("text", {{"x", 1}}, "<b>&</b>");
  svg.leaf("rect", {{"title", "x<y"}});
  svg.open("g");
  const std::string out = svg.str();
  CHECK(out ==
        "<svg class=\"a&quot;b\" width=\"12.35\">\n<text x=\"1\">&lt;b&gt;&amp;&lt;/b&gt;</text>\n"
        "<rect title=\"x&lt;y\"/>\n<g>\n</g>\n</svg>\n");
  CHECK(sitegen::test::xml_problem(out) == "");
}

namespace {

// What num() must print: the exact value rounded to two decimals by to_chars, trailing zeros and
// a lone sign dropped.
std::string reference_num(double value) {
  char buffer[400];
  auto r = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 2);
  char* end = r.ptr;
  while (end[-1] == '0') --end;
  if (end[-1] == '.') --end;
  const std::string text(buffer, end);
  return text == "-0" ? "0" : text;
}

}  // namespace

TEST_CASE("num's fast path prints exactly what to_chars would, ties included", "[chart]") {
  // Ties and near-ties (0.125 and 2.675 are exact or just below in binary), signs, large values.
  for (double v : {0.125, 0.375, -0.125, 2.675, 1.005, 1.015, 0.005, -0.005, 0.0049999, 123456.785, 999999999.995,
                   1e9, 1e12, -1e12, 0.1, 0.7, 99.995, -99.995, 1.0 / 3, 2.0 / 3, 1e-9, -1e-9}) {
    INFO(v);
    CHECK(num(v) == reference_num(v));
  }
  // A deterministic sweep over magnitudes from 1e-4 to 1e10.
  std::uint64_t state = 42;
  int mismatches = 0;
  for (int i = 0; i < 200000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const double unit = static_cast<double>(state >> 11) / 9007199254740992.0;  // [0, 1)
    const double v = (i % 2 ? -1 : 1) * std::pow(10.0, -4 + 14 * unit) * unit;
    if (num(v) != reference_num(v)) ++mismatches;
  }
  CHECK(mismatches == 0);
}
