#include "ingest/crosscheck.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/report.hpp"
#include "stats/summary.hpp"
#include "util/format.hpp"

namespace sitegen::ingest {

model::Stat summarize(std::span<const double> samples, const std::vector<double>& percents) {
  model::Stat s;
  if (samples.empty()) return s;
  std::vector<double> sorted(samples.begin(), samples.end());
  std::sort(sorted.begin(), sorted.end());
  s.mean = stats::mean(sorted);
  s.median = stats::percentile_sorted(sorted, 50);
  s.std = stats::stddev(sorted);
  s.min = sorted.front();
  s.max = sorted.back();
  s.count = static_cast<long long>(sorted.size());
  for (const double p : percents) s.set_percentile(p, *stats::percentile_sorted(sorted, p));
  return s;
}

namespace {

struct Checker {
  const std::string& file;
  std::string where;
  std::vector<std::string>& warnings;
  std::size_t compared = 0;

  void compare(const std::string& what, const std::optional<double>& stated, const std::optional<double>& computed) {
    if (!stated || !computed) return;
    ++compared;
    if (stats::relative_difference(*stated, *computed) > k_cross_check_tolerance) {
      warnings.push_back(file + ": " + where + what + ": the file says " + format::shortest(*stated) +
                         ", its per-request samples give " + format::shortest(*computed));
    }
  }

  void stat(const std::string& name, const model::Stat& stated, const std::vector<double>& samples,
            const CheckOptions& options) {
    if (samples.empty() || stated.empty()) return;
    std::vector<double> percents;
    for (const auto& [p, v] : stated.percentiles) percents.push_back(p);
    const model::Stat computed = summarize(samples, percents);
    compare(name + "/mean", stated.mean, computed.mean);
    compare(name + "/min", stated.min, computed.min);
    compare(name + "/max", stated.max, computed.max);
    if (options.std) compare(name + "/std", stated.std, computed.std);
    if (options.percentiles) {
      compare(name + "/median", stated.median, computed.median);
      for (const auto& [p, v] : stated.percentiles) {
        compare(name + "/" + model::percentile_key(p), v, computed.percentile(p));
      }
    }
  }
};

std::optional<double> total(const std::vector<long long>& v) {
  if (v.empty()) return std::nullopt;
  return static_cast<double>(std::accumulate(v.begin(), v.end(), 0LL));
}

std::optional<double> as_double(const std::optional<long long>& v) {
  if (!v) return std::nullopt;
  return static_cast<double>(*v);
}

}  // namespace

std::size_t cross_check(const model::Point& point, std::size_t index, const std::string& file,
                        const CheckOptions& options, std::vector<std::string>& warnings) {
  Checker c{file, "/points/" + std::to_string(index) + "/", warnings};
  const model::Samples& s = point.samples;
  if (point.ttft_ms.definition.empty()) c.stat("ttft_ms", point.ttft_ms, s.ttft_ms, options);
  if (point.tpot_ms.definition.empty()) c.stat("tpot_ms", point.tpot_ms, s.tpot_ms, options);
  if (point.itl_ms.definition.empty()) c.stat("itl_ms", point.itl_ms, s.itl_ms, options);
  if (point.e2el_ms.definition.empty()) c.stat("e2el_ms", point.e2el_ms, s.e2el_ms, options);
  c.compare("input_tokens", as_double(point.input_tokens), total(s.input_tokens));
  c.compare("output_tokens", as_double(point.output_tokens), total(s.output_tokens));
  return c.compared;
}

void fill_from_samples(model::Point& point) {
  const std::vector<double> percents = {50, 90, 99};
  const auto fill = [&](model::Stat& stat, const std::vector<double>& samples) {
    if (stat.empty() && !samples.empty()) stat = summarize(samples, percents);
  };
  fill(point.ttft_ms, point.samples.ttft_ms);
  fill(point.tpot_ms, point.samples.tpot_ms);
  fill(point.itl_ms, point.samples.itl_ms);
  fill(point.e2el_ms, point.samples.e2el_ms);
}

}  // namespace sitegen::ingest
