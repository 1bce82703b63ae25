#include <catch2/catch.hpp>

#include "site/raw_data.hpp"

using sitegen::site::csv_text;

TEST_CASE("CSV fields are quoted per RFC 4180", "[site]") {
  CHECK(csv_text("plain") == "plain");
  CHECK(csv_text("a,b") == "\"a,b\"");
  CHECK(csv_text("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_text("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("CSV text that a spreadsheet would run as a formula is defused", "[site]") {
  CHECK(csv_text("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(csv_text("+1") == "'+1");
  CHECK(csv_text("-cmd") == "'-cmd");
  CHECK(csv_text("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_text("llama-3") == "llama-3");
}
