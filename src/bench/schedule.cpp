#include "bench/schedule.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <random>

#include "util/error.hpp"
#include "util/format.hpp"
#include "util/strings.hpp"

namespace sitegen::bench {

std::vector<double> arrival_offsets(std::size_t count, double rate, double burstiness, std::uint64_t seed) {
  if (!(rate > 0)) throw Error("request rate must be > 0, got " + format::shortest(rate));
  if (!(burstiness > 0) || std::isinf(burstiness))
    throw Error("burstiness must be a finite number > 0, got " + format::shortest(burstiness));
  std::vector<double> offsets(count, 0.0);
  if (std::isinf(rate) || count == 0) return offsets;
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> gap(burstiness, 1.0 / (rate * burstiness));
  double t = 0;
  for (double& offset : offsets) {
    t += gap(rng);
    offset = t;
  }
  const double scale = (static_cast<double>(count) / rate) / offsets.back();
  for (double& offset : offsets) offset *= scale;
  return offsets;
}

std::string Level::label() const {
  if (!rate) return "c=" + std::to_string(concurrency.value_or(0));
  std::string s = std::isinf(*rate) ? "rate=inf" : "rate=" + format::shortest(*rate);
  if (concurrency) s += ",c=" + std::to_string(*concurrency);
  return s;
}

namespace {

std::vector<std::string> items(const std::string& list) {
  std::vector<std::string> out;
  for (const std::string& piece : strings::split(list, ',')) {
    const std::string_view t = strings::trim(piece);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

long long parse_concurrency(const std::string& s) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 1)
    throw Error("--max-concurrency: expected whole numbers >= 1 separated by commas, got '" + s + "'");
  return v;
}

double parse_rate(const std::string& s) {
  if (strings::lower(s) == "inf") return std::numeric_limits<double>::infinity();
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !(v > 0) || std::isinf(v))
    throw Error("--request-rate: expected numbers > 0 or 'inf' separated by commas, got '" + s + "'");
  return v;
}

}  // namespace

std::vector<Level> parse_sweep(const std::string& concurrency, const std::string& rates) {
  const std::vector<std::string> cs = items(concurrency), rs = items(rates);
  std::vector<Level> levels;
  if (rs.empty()) {
    if (cs.empty()) throw Error("give a sweep: --max-concurrency 1,4,16 or --request-rate 2,8,inf");
    for (const std::string& c : cs) levels.push_back({parse_concurrency(c), std::nullopt});
    return levels;
  }
  if (cs.size() > 1)
    throw Error("--max-concurrency: with --request-rate it caps every rate and takes one value, got '" +
                concurrency + "'");
  std::optional<long long> cap;
  if (!cs.empty()) cap = parse_concurrency(cs.front());
  for (const std::string& r : rs) levels.push_back({cap, parse_rate(r)});
  return levels;
}

}  // namespace sitegen::bench
