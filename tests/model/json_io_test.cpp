#include <catch2/catch.hpp>

#include "model/json_io.hpp"
#include "util/error.hpp"

using namespace sitegen;

TEST_CASE("a document nested deeper than 64 levels is refused naming the file, line and pointer", "[model]") {
  const std::string deep = "{\n \"a\": [0, {\"b~/c\": " + std::string(100000, '[') + std::string(100000, ']') + "}]\n}";
  CHECK_THROWS_WITH(model::parse_json(deep, "results/x/report.json"),
                    Catch::StartsWith("results/x/report.json: line 2, column ") &&
                        Catch::Contains(": /a/1/b~0~1c/0/0/") && Catch::Contains("more)") &&
                        Catch::Contains("nested deeper than 64 levels"));
  CHECK(model::nesting_problem(std::string(64, '[') + std::string(64, ']')).empty());
  CHECK(model::nesting_problem("{\"k\": \"[[[[[[\"}", 2).empty());  // brackets in a string
  CHECK(model::nesting_problem("{\"k\": \"\\\"[[[[[[\"}", 2).empty());  // after an escaped quote
  CHECK_THAT(model::nesting_problem("[[[1]]]", 2), Catch::Contains("line 1, column 3: /0/0: nested deeper than 2"));
}
