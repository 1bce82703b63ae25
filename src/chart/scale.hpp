#pragma once
// The one place that maps data to pixels: a linear or log10 scale with a domain and a range,
// nice() to extend the domain to round tick values, ticks() and tick labels that read like a
// person wrote them (0.3, never 0.30000000000000004; 2k, 10k, 1M for large values).

#include <string>
#include <vector>

namespace sitegen::chart {

class Scale {
 public:
  // Maps [d0, d1] to [r0, r1] linearly. An empty domain (d0 == d1) maps everything to the middle
  // of the range.
  static Scale linear(double d0, double d1, double r0, double r1);
  // Maps [d0, d1] to [r0, r1] in log10 space. Both ends must be > 0; a non-positive end is
  // replaced so the domain stays valid (callers drop non-positive data before).
  static Scale log(double d0, double d1, double r0, double r1);

  // The range position of v (v outside the domain extrapolates; v <= 0 on a log scale maps to the
  // range start).
  double operator()(double v) const;

  // Extends the domain outwards so both ends are tick values: multiples of the 1/2/5 x 10^k step
  // that ticks(count) would use (linear), or 1/2/5 x 10^k / powers of ten (log).
  Scale& nice(int count = 8);

  // About `count` round values inside the domain, ascending. Linear: multiples of a 1/2/5 x 10^k
  // step; log: powers of ten, with 2 and 5 between them when the domain spans three decades or less,
  // and every k-th power when it spans many.
  std::vector<double> ticks(int count = 8) const;

  // The label for a tick value, with the decimals the tick step needs and k/M/G/T for thousands
  // and up ("0.25", "1,500", "20k", "1.5M").
  std::string tick_label(double value, int count = 8) const;

  bool is_log() const { return m_log; }
  double domain_min() const { return m_d0; }
  double domain_max() const { return m_d1; }
  double range_min() const { return m_r0; }
  double range_max() const { return m_r1; }

 private:
  Scale(bool log, double d0, double d1, double r0, double r1);
  bool m_log = false;
  double m_d0 = 0, m_d1 = 1, m_r0 = 0, m_r1 = 1;
};

// A 1/2/5 x 10^k tick step for about `count` ticks over [start, stop], as d3's tickIncrement
// does it: a positive result is the step itself; a negative result -n means the step is 1/n,
// so tick values i / n are exact to the last digit. 0 when no step fits.
double tick_increment(double start, double stop, int count);

// A number as a label: `decimals` after the point, ',' between thousands, no "-0";
// very small or very large magnitudes in exponent form ("1e-9", "1e+18").
std::string number_label(double value, int decimals);

// value with a k/M/G/T suffix, choosing the unit from `magnitude` and the decimals from `step`
// (both in the value's units): si_label(1500, 500, 1500) == "1.5k".
std::string si_label(double value, double step, double magnitude);

}  // namespace sitegen::chart
