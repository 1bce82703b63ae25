#include "stats/regression.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <vector>

using sitegen::stats::mann_whitney;

// Reference values: R's wilcox.test documentation example (x = permeability at term, y = at
// 12-26 weeks), U = W = 35; the asymptotic two-sided p with continuity correction is 0.24462,
// which is also scipy.stats.mannwhitneyu(x, y, method="asymptotic").
TEST_CASE("rank test matches the textbook statistic and p-value", "[stats][regression]") {
  const std::vector<double> x{0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
  const std::vector<double> y{1.15, 0.88, 0.90, 0.74, 1.21};
  const auto t = mann_whitney(y, x);
  REQUIRE(t);
  CHECK(t->n_base == 5);
  CHECK(t->n_candidate == 10);
  CHECK(t->u_candidate == Approx(35));
  CHECK(t->z == Approx(1.1635076278).epsilon(1e-9));
  CHECK(t->p_value == Approx(0.2446236051).epsilon(1e-9));
  CHECK(t->superiority == Approx(0.7));
  CHECK(t->rank_biserial == Approx(0.4));
}

TEST_CASE("rank test corrects the variance for ties", "[stats][regression]") {
  // Counted pair by pair with ties as one half (independently of ranking): U = 50, z = 2.55038.
  const std::vector<double> base{1, 2, 2, 3, 3, 3, 4};
  const std::vector<double> candidate{3, 3, 4, 4, 5, 5, 6, 6};
  const auto t = mann_whitney(base, candidate);
  REQUIRE(t);
  CHECK(t->u_candidate == Approx(50));
  CHECK(t->z == Approx(2.5503834830).epsilon(1e-9));
  CHECK(t->p_value == Approx(0.01076044857859623).epsilon(1e-9));
}

TEST_CASE("rank test is symmetric: swapping sides keeps p and flips the effect", "[stats][regression]") {
  const std::vector<double> a{10, 12, 11, 13, 15, 14, 9};
  const std::vector<double> b{16, 18, 17, 12, 19, 20};
  const auto ab = mann_whitney(a, b);
  const auto ba = mann_whitney(b, a);
  REQUIRE(ab);
  REQUIRE(ba);
  CHECK(ab->p_value == Approx(ba->p_value));
  CHECK(ab->rank_biserial == Approx(-ba->rank_biserial));
  CHECK(ab->rank_biserial > 0.5);
}

TEST_CASE("identical samples give p = 1 and no effect", "[stats][regression]") {
  const std::vector<double> a{5, 1, 4, 2, 3, 6, 8, 7};
  const auto t = mann_whitney(a, a);
  REQUIRE(t);
  CHECK(t->p_value == Approx(1.0));
  CHECK(t->superiority == Approx(0.5));
}

TEST_CASE("all-tied samples have no variance and give p = 1", "[stats][regression]") {
  const std::vector<double> a{3, 3, 3};
  const std::vector<double> b{3, 3};
  const auto t = mann_whitney(a, b);
  REQUIRE(t);
  CHECK(t->p_value == 1.0);
  CHECK(t->rank_biserial == 0.0);
}

TEST_CASE("a clear shift in large samples is significant", "[stats][regression]") {
  std::vector<double> base, candidate;
  for (int i = 0; i < 200; ++i) {
    const double v = 100.0 + (i * 37 % 101) * 0.5;  // deterministic spread 100..150
    base.push_back(v);
    candidate.push_back(v * 1.3);
  }
  const auto t = mann_whitney(base, candidate);
  REQUIRE(t);
  CHECK(t->p_value < 1e-6);
  CHECK(t->superiority > 0.9);
}

TEST_CASE("rank test skips non-finite values and needs both sides", "[stats][regression]") {
  const std::vector<double> empty;
  const std::vector<double> some{1, 2, 3};
  CHECK_FALSE(mann_whitney(empty, some));
  CHECK_FALSE(mann_whitney(some, empty));
  const std::vector<double> with_nan{1, 2, std::numeric_limits<double>::quiet_NaN(), 3};
  const auto t = mann_whitney(with_nan, some);
  REQUIRE(t);
  CHECK(t->n_base == 3);
  CHECK(t->p_value == Approx(1.0));
}
