#include "chart/layout.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace sitegen::chart;
using namespace sitegen::chart::detail;

TEST_CASE("an axis over one value puts the value inside the domain", "[chart]") {
  const Axis linear;
  const Scale s = fit_scale(linear, {42}, 0, 100, 5);
  CHECK(s.domain_min() < 42);
  CHECK(s.domain_max() > 42);
  Axis log;
  log.log = true;
  const Scale l = fit_scale(log, {0.3, 0.3}, 0, 100, 5);
  CHECK(l.domain_min() < 0.3);
  CHECK(l.domain_max() > 0.3);
  // A single load level of 1 gets 0..2, not 0.4..1.6.
  const Scale one = fit_scale(linear, {1}, 0, 100, 5);
  CHECK(one.domain_min() == 0);
  CHECK(one.domain_max() == 2);
  CHECK(one(1) == Approx(50));
  const Scale zero = fit_scale(linear, {0, 0}, 0, 100, 5);
  CHECK(zero.domain_min() < zero.domain_max());
}

TEST_CASE("pinned axis ends are kept and the free end is made nice", "[chart]") {
  Axis cdf;
  cdf.min = 0;
  cdf.max = 1;
  const Scale s = fit_scale(cdf, {0.013, 0.5, 0.97}, 0, 100, 5);
  CHECK(s.domain_min() == 0);
  CHECK(s.domain_max() == 1);
  Axis from_zero;
  from_zero.include_zero = true;
  const Scale z = fit_scale(from_zero, {512, 1234}, 0, 100, 5);
  CHECK(z.domain_min() == 0);
  CHECK(z.domain_max() == 1400);
}

TEST_CASE("an axis ignores values it cannot draw", "[chart]") {
  Axis log;
  log.log = true;
  const Scale s = fit_scale(log, {-1, 0, std::nan(""), 5, 50}, 0, 100, 5);
  CHECK(s.domain_min() == Approx(5));
  CHECK(s.domain_max() == Approx(50));
  CHECK_FALSE(usable(0, true));
  CHECK_FALSE(usable(1e200, false));
  CHECK(usable(-3, false));
}
