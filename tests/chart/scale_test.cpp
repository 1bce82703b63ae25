#include "chart/scale.hpp"

#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

using sitegen::chart::Scale;

namespace {

// Domains a chart meets: tiny, huge, negative, fractional, nearly equal.
const std::vector<std::pair<double, double>> k_domains = {
    {0, 1},     {0.1, 0.7},   {0, 0.3},  {-3.7, 12.2}, {0, 1234},       {0.0013, 0.0071}, {17, 23},
    {0, 2.5e6}, {-1e-3, 1e-3}, {1, 1.001}, {1e9, 3e9},  {0.07, 0.31},    {-50, -10},       {3, 3.000001}};

// Reads a tick label back as a number: "1,500" -> 1500, "2.5k" -> 2500.
double read_label(std::string label) {
  double unit = 1;
  const char last = label.back();
  if (last == 'k') unit = 1e3;
  else if (last == 'M') unit = 1e6;
  else if (last == 'G') unit = 1e9;
  else if (last == 'T') unit = 1e12;
  if (unit != 1) label.pop_back();
  std::string digits;
  for (char c : label)
    if (c != ',') digits += c;
  double v = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), v);
  return v * unit;
}

}  // namespace

TEST_CASE("linear ticks stay inside the domain and are evenly stepped", "[chart]") {
  for (auto [lo, hi] : k_domains) {
    const Scale s = Scale::linear(lo, hi, 0, 500);
    const auto ticks = s.ticks(8);
    INFO(lo << ".." << hi);
    REQUIRE(ticks.size() >= 2);
    CHECK(ticks.size() <= 20);
    for (double t : ticks) {
      CHECK(t >= lo);
      CHECK(t <= hi);
      CHECK(s(t) >= 0);
      CHECK(s(t) <= 500);
    }
    for (std::size_t i = 2; i < ticks.size(); ++i)
      CHECK(ticks[i] - ticks[i - 1] == Approx(ticks[1] - ticks[0]).epsilon(1e-6));
  }
}

TEST_CASE("nice() extends the domain outwards to tick values", "[chart]") {
  for (auto [lo, hi] : k_domains) {
    Scale s = Scale::linear(lo, hi, 0, 500);
    s.nice(8);
    INFO(lo << ".." << hi << " -> " << s.domain_min() << ".." << s.domain_max());
    CHECK(s.domain_min() <= lo);
    CHECK(s.domain_max() >= hi);
    const auto ticks = s.ticks(8);
    REQUIRE(!ticks.empty());
    CHECK(ticks.front() == s.domain_min());
    CHECK(ticks.back() == s.domain_max());
  }
  Scale s = Scale::linear(0, 1234, 0, 1);
  s.nice(8);
  CHECK(s.domain_max() == 1400);
  CHECK(s.domain_min() == 0);
  // 0.3 * 10 is 3.0000000000000004 in binary; the domain must not grow to 0.4 because of it.
  Scale f = Scale::linear(0.1, 0.3, 0, 1);
  f.nice(2);
  CHECK(f.domain_max() == Approx(0.3));
}

TEST_CASE("tick labels read like a person wrote them, never 0.30000000000000004", "[chart]") {
  for (auto [lo, hi] : k_domains) {
    Scale s = Scale::linear(lo, hi, 0, 500);
    s.nice(8);
    for (double t : s.ticks(8)) {
      const std::string label = s.tick_label(t, 8);
      INFO(lo << ".." << hi << ": " << label);
      CHECK(label.size() <= 12);
      CHECK(label.find("00000000000") == std::string::npos);
      CHECK(label.find("9999") == std::string::npos);
      CHECK(label.find("nan") == std::string::npos);
      if (label.find('e') == std::string::npos) CHECK(read_label(label) == Approx(t).margin(1e-12));
    }
  }
  Scale s = Scale::linear(0, 1, 0, 100);
  std::vector<std::string> labels;
  for (double t : s.ticks(10)) labels.push_back(s.tick_label(t, 10));
  CHECK(labels == std::vector<std::string>{"0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0"});
}

TEST_CASE("large values get k and M labels and thousands separators", "[chart]") {
  Scale s = Scale::linear(0, 2.5e6, 0, 100);
  s.nice(5);
  std::vector<std::string> labels;
  for (double t : s.ticks(5)) labels.push_back(s.tick_label(t, 5));
  CHECK(labels == std::vector<std::string>{"0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"});

  Scale t = Scale::linear(0, 40000, 0, 100);
  CHECK(t.tick_label(20000, 4) == "20k");
  Scale u = Scale::linear(0, 1500, 0, 100);
  CHECK(u.tick_label(1500, 3) == "1,500");
}

TEST_CASE("log ticks for 0.01..1000 are the powers of ten", "[chart]") {
  Scale s = Scale::log(0.01, 1000, 0, 500);
  s.nice(8);
  CHECK(s.domain_min() == Approx(0.01));
  CHECK(s.domain_max() == Approx(1000));
  std::vector<std::string> labels;
  for (double t : s.ticks(8)) labels.push_back(s.tick_label(t, 8));
  CHECK(labels == std::vector<std::string>{"0.01", "0.1", "1", "10", "100", "1k"});
  CHECK(s(0.01) == Approx(0));
  CHECK(s(1) == Approx(200));
  CHECK(s(1000) == Approx(500));
}

TEST_CASE("narrow log domains get 2 and 5 ticks and nice to 1-2-5 values", "[chart]") {
  Scale s = Scale::log(0.042, 15, 0, 500);
  s.nice(8);
  CHECK(s.domain_min() == Approx(0.02));
  CHECK(s.domain_max() == Approx(20));
  std::vector<std::string> labels;
  for (double t : s.ticks(8)) labels.push_back(s.tick_label(t, 8));
  CHECK(labels == std::vector<std::string>{"0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "20"});
}

TEST_CASE("log ticks thin out over many decades and stay inside the domain", "[chart]") {
  Scale s = Scale::log(1e-9, 1e12, 0, 500);
  s.nice(6);
  const auto ticks = s.ticks(6);
  CHECK(ticks.size() >= 4);
  CHECK(ticks.size() <= 12);
  for (double t : ticks) {
    CHECK(t >= 1e-9 * (1 - 1e-9));
    CHECK(t <= 1e12 * (1 + 1e-9));
    CHECK(s.tick_label(t, 6).find("nan") == std::string::npos);
  }
  CHECK(s.tick_label(1e-9, 6) == "1e-9");
}

TEST_CASE("a log scale never maps a bad value to NaN", "[chart]") {
  const Scale s = Scale::log(-5, 100, 0, 100);  // a non-positive end is replaced
  CHECK(std::isfinite(s(0)));
  CHECK(std::isfinite(s(-3)));
  CHECK(std::isfinite(s(50)));
  const Scale flat = Scale::linear(7, 7, 0, 100);
  CHECK(flat(7) == 50);
}

TEST_CASE("tick_increment picks 1, 2 or 5 times a power of ten", "[chart]") {
  using sitegen::chart::tick_increment;
  CHECK(tick_increment(0, 10, 10) == 1);
  CHECK(tick_increment(0, 100, 5) == 20);
  CHECK(tick_increment(0, 1, 10) == -10);  // step 1/10
  CHECK(tick_increment(0, 1, 2) == -2);    // step 1/2
  CHECK(tick_increment(5, 5, 10) == 0);
  CHECK(tick_increment(0, std::nan(""), 10) == 0);
}

TEST_CASE("number labels group thousands and never print -0", "[chart]") {
  using sitegen::chart::number_label;
  CHECK(number_label(1234567, 0) == "1,234,567");
  CHECK(number_label(-1234.5, 1) == "-1,234.5");
  CHECK(number_label(-0.0001, 2) == "0.00");
  CHECK(number_label(123, 0) == "123");
  CHECK(number_label(1e20, 0) == "1e+20");
}
