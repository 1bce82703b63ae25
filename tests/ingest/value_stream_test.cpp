#include <catch2/catch.hpp>

#include <cmath>

#include "ingest/value_stream.hpp"
#include "util/error.hpp"

using sitegen::Error;
using sitegen::ingest::finite_copy;
using sitegen::ingest::read_values;

namespace {

std::string error_of(const std::string& text) {
  try {
    read_values(text, "x.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("concatenated values and JSONL lines are read one by one with their line", "[ingest]") {
  const auto values = read_values("{\"a\": 1}\n{\"a\": 2}{\"a\": 3}\n\n  [4]\n", "f.json");
  REQUIRE(values.size() == 4);
  CHECK(values[1].value["a"] == 2);
  CHECK(values[2].value["a"] == 3);
  CHECK(values[0].line == 1);
  CHECK(values[2].line == 2);
  CHECK(values[3].line == 4);
  CHECK(values[3].value.is_array());
}

TEST_CASE("bare Infinity, -Infinity and NaN outside strings are read, inside strings left alone", "[ingest]") {
  const auto values =
      read_values(R"({"rate": Infinity, "low": -Infinity, "x": NaN, "s": "Infinity NaN", "l": [NaN, 1]})", "s.jsonl");
  const auto& v = values.at(0).value;
  CHECK(std::isinf(v["rate"].get<double>()));
  CHECK(v["rate"].get<double>() > 0);
  CHECK(v["low"].get<double>() < 0);
  CHECK(v["x"].is_null());
  CHECK(v["s"] == "Infinity NaN");
  CHECK(v["l"][0].is_null());
  CHECK(v["l"][1] == 1);
  const auto copy = finite_copy(v);
  CHECK(copy["rate"] == "inf");
  CHECK(copy["low"] == "-inf");
}

TEST_CASE("an empty or blank file is an error naming the file", "[ingest]") {
  CHECK_THAT(error_of(""), Catch::Contains("x.json") && Catch::Contains("empty"));
  CHECK_THAT(error_of("  \n\n "), Catch::Contains("empty"));
}

TEST_CASE("truncated JSON is an error with the line and column where the value starts", "[ingest]") {
  CHECK_THAT(error_of("{\"a\": 1}\n  {\"b\": [1, 2,\n"),
             Catch::Contains("x.json: line 2, column 3") && Catch::Contains("not complete"));
  CHECK_THAT(error_of("{\"a\": \"unterminated"), Catch::Contains("line 1, column 1"));
}

TEST_CASE("binary junk is refused as not text", "[ingest]") {
  const std::string junk("\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10);
  CHECK_THAT(error_of(junk), Catch::Contains("x.json: line 1, column 5") && Catch::Contains("not a text file"));
  CHECK_THAT(error_of("{\"a\": \"\xff\xfe\"}"), Catch::Contains("not UTF-8"));
  // The bad byte's place, past a valid two-byte character before it.
  CHECK_THAT(error_of("{\"a\": \"\xc3\xa9\",\n \"b\": \"\xff\"}"),
             Catch::Contains("x.json: line 2, column 8: not UTF-8"));
}

TEST_CASE("a syntax error after a substituted literal points at the right column", "[ingest]") {
  // "Infinity" is rewritten before parsing; the reported column must still be the file's.
  CHECK_THAT(error_of("{\"r\": Infinity, \"x\": tru}"), Catch::Contains("x.json: line 1, column 25: invalid JSON"));
  CHECK_THAT(error_of("{\"a\": 1} {\"b\": 2,}"), Catch::Contains("line 1, column 18: invalid JSON"));
}

TEST_CASE("a number beyond a double's range is an error at its place, not an internal error", "[ingest]") {
  // Found by tools/mutate_imports.py: "-1e999" in a real SGLang file stopped the whole import with
  // "internal: [json.exception.out_of_range.406] ...".
  CHECK_THAT(error_of("{\"a\": 1}\n{\"rate\": Infinity, \"b\": -1e999}"),
             Catch::Contains("x.json: line 2, column 25: invalid JSON: number -1e999 is out of range"));
  CHECK_THAT(error_of("[1e999]"), Catch::Contains("x.json: line 1, column 2: invalid JSON: number 1e999"));
}

TEST_CASE("a value nested deeper than sitegen reads is refused with the line and the pointer", "[ingest]") {
  const std::string deep = "{\"a\": {\"list\": [1, " + std::string(100000, '[') + std::string(100000, ']') + "]}}";
  const std::string e = error_of(deep);
  CHECK_THAT(e, Catch::Contains("x.json: line 1, column ") && Catch::Contains("/a/list/1/0/0/") &&
                    Catch::Contains("nested deeper than 64 levels"));
  // Brackets inside strings are text, not nesting.
  CHECK(read_values("{\"s\": \"" + std::string(1000, '[') + "\"}", "x.json").size() == 1);
  const std::string just_enough = std::string(64, '[') + std::string(64, ']');
  CHECK(read_values(just_enough, "x.json").size() == 1);
  CHECK_THAT(error_of(std::string(65, '[') + std::string(65, ']')), Catch::Contains("nested deeper than 64"));
}

TEST_CASE("what extra keeps of a value is bounded in depth and size, and says what was dropped", "[ingest]") {
  // 40 levels: readable, but only 16 are kept.
  sitegen::model::Json deep = 1;
  for (int i = 0; i < 40; ++i) deep = sitegen::model::Json::array({deep});
  std::string dropped;
  const sitegen::model::Json kept = finite_copy(deep, &dropped);
  CHECK_THAT(dropped, Catch::Contains("nested deeper than 16 levels"));
  CHECK_THAT(kept.dump(), Catch::Contains("(dropped by sitegen: nested deeper than 16 levels)"));
  CHECK(kept.dump().size() < 200);
  // Two million numbers would be tens of MB in a report: the value is dropped whole.
  sitegen::model::Json big = sitegen::model::Json::array();
  for (int i = 0; i < 2000000; ++i) big.push_back(i);
  dropped.clear();
  CHECK(finite_copy(big, &dropped) == "(dropped by sitegen: larger than 1 MiB)");
  CHECK_THAT(dropped, Catch::Contains("larger than 1 MiB"));
  // An ordinary value is kept whole and nothing is said.
  dropped.clear();
  CHECK(finite_copy(sitegen::model::Json{{"a", {1, 2, {{"b", "c"}}}}}, &dropped) ==
        sitegen::model::Json{{"a", {1, 2, {{"b", "c"}}}}});
  CHECK(dropped.empty());
}
