#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "util/format.hpp"

using namespace sitegen;

TEST_CASE("fixed never prints negative zero", "[util]") {
  CHECK(format::fixed(-0.0001, 2) == "0.00");
  CHECK(format::fixed(-0.0, 1) == "0.0");
  CHECK(format::fixed(-1.5, 1) == "-1.5");
  CHECK(format::fixed(1234.5, 2) == "1234.50");
}

TEST_CASE("non-finite numbers print as n/a", "[util]") {
  CHECK(format::fixed(std::nan(""), 2) == "n/a");
  CHECK(format::human(std::numeric_limits<double>::infinity()) == "n/a");
  CHECK(format::shortest(std::nan("")) == "n/a");
}

TEST_CASE("human figures keep three significant digits and group thousands", "[util]") {
  CHECK(format::human(0.04851) == "0.0485");
  CHECK(format::human(12.345) == "12.3");
  CHECK(format::human(1234.4) == "1,234");
  CHECK(format::human(448000000) == "448,000,000");
  CHECK(format::human(0.1) == "0.1");
  CHECK(format::human(0) == "0");
}

TEST_CASE("shortest round-trips doubles without noise digits", "[util]") {
  CHECK(format::shortest(0.1) == "0.1");
  CHECK(format::shortest(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format::shortest(99.9) == "99.9");
}
