#include <catch2/catch.hpp>

#include "util/strings.hpp"

using namespace sitegen;

TEST_CASE("slug keeps path segments inside the tree", "[util]") {
  CHECK(strings::slug("Llama-3.1-8B-Instruct") == "llama-3.1-8b-instruct");
  CHECK(strings::slug("../../etc/passwd") == "etc-passwd");
  CHECK(strings::slug("RTX A5000") == "rtx-a5000");
  CHECK(strings::slug("") == "unknown");
  CHECK(strings::slug("..") == "unknown");
  CHECK(strings::slug("a\nb\x01" "c") == "a-b-c");
  CHECK(strings::slug(std::string(200, 'x')).size() == 80);
}

TEST_CASE("invalid UTF-8 is detected", "[util]") {
  CHECK(strings::is_valid_utf8("plain ascii"));
  CHECK(strings::is_valid_utf8("create\xe2\x86\x92ready"));  // U+2192
  CHECK_FALSE(strings::is_valid_utf8("\xff\xfe"));
  CHECK_FALSE(strings::is_valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(strings::is_valid_utf8("\xed\xa0\x80"));      // surrogate
  CHECK_FALSE(strings::is_valid_utf8("\xe2\x86"));          // truncated sequence
  // The offset of the first bad byte, past valid multi-byte characters before it.
  CHECK(strings::first_invalid_utf8("caf\xc3\xa9 \xe2\x86\x92 ok") == std::string_view::npos);
  CHECK(strings::first_invalid_utf8("caf\xc3\xa9 \xff") == 6);
  CHECK(strings::first_invalid_utf8("ab\xe2\x86") == 2);
}

TEST_CASE("a bad byte is found at every offset in long ASCII text", "[util]") {
  // ASCII is skipped eight bytes at a time; a bad byte or a multi-byte character may sit anywhere.
  for (std::size_t at = 0; at < 40; ++at) {
    std::string text(48, 'a');
    text[at] = '\xff';
    CHECK(strings::first_invalid_utf8(text) == at);
    text.replace(at, 1, "\xe2\x86\x92");  // U+2192 is fine there
    CHECK(strings::first_invalid_utf8(text) == std::string_view::npos);
    text.resize(at + 2);  // ...but cut short it is not
    CHECK(strings::first_invalid_utf8(text) == at);
  }
}

TEST_CASE("closest suggests a near spelling and nothing for far ones", "[util]") {
  const std::vector<std::string> words = {"build", "bench", "import", "merge"};
  CHECK(strings::closest("bulid", words) == "build");
  CHECK(strings::closest("improt", words) == "import");
  CHECK(strings::closest("xyzzy", words).empty());
}

TEST_CASE("split keeps empty pieces and join inverts it", "[util]") {
  const auto parts = strings::split("a,,b", ',');
  REQUIRE(parts.size() == 3);
  CHECK(parts[1].empty());
  CHECK(strings::join(parts, ",") == "a,,b");
  CHECK(strings::trim("  x \r\n") == "x");
}
