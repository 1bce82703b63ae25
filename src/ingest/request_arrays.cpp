#include "ingest/request_arrays.hpp"

#include <cmath>
#include <type_traits>

namespace sitegen::ingest {

namespace {

template <typename T>
std::vector<T> array_of(Fields& f, const char* key, std::size_t& length, bool& ok) {
  std::vector<T> out;
  const Json* v = f.raw(key);
  if (!v) return out;
  if (!v->is_array()) {
    f.unreadable(key, "expected an array");
    ok = false;
    return out;
  }
  out.reserve(v->size());
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& x = (*v)[i];
    // Checked before any conversion: an infinite or negative count must not become a number.
    const double d = x.is_number() ? x.get<double>() : 0;
    const char* bad = !x.is_number()                                    ? "expected an array of numbers"
                      : !std::isfinite(d)                               ? "expected finite numbers"
                      : d < 0                                           ? "expected numbers >= 0"
                      : std::is_integral_v<T> && (d != std::floor(d) || d > 9e15) ? "expected whole numbers"
                                                                        : nullptr;
    if (bad) {
      f.unreadable(key, std::string(bad) + ", entry " + std::to_string(i) + " is " + x.dump());
      ok = false;
      return {};
    }
    out.push_back(std::is_integral_v<T> ? T(static_cast<long long>(d)) : x.get<T>());
  }
  if (length == 0) length = out.size();
  else if (out.size() != length) {
    f.unreadable(key, "has " + std::to_string(out.size()) + " entries, other per-request arrays have " +
                          std::to_string(length));
    ok = false;
  }
  return out;
}

// One array of gaps per request (seconds); a row that is not an array counts as no gaps.
std::vector<std::vector<double>> gaps_of(Fields& f, std::size_t& n, bool& ok) {
  std::vector<std::vector<double>> itls;
  const Json* v = f.raw("itls");
  if (!v) return itls;
  if (!v->is_array() || (n && v->size() != n)) {
    f.unreadable("itls", "expected one array of gaps per request");
    ok = false;
    return itls;
  }
  for (const Json& row : *v) {
    std::vector<double> gaps;
    if (row.is_array()) {
      for (const Json& g : row) {
        if (!g.is_number()) continue;
        if (!std::isfinite(g.get<double>())) {
          f.unreadable("itls", "expected finite gaps, got " + g.dump());
          ok = false;
          return {};
        }
        gaps.push_back(g.get<double>());
      }
    }
    itls.push_back(std::move(gaps));
  }
  if (!n) n = itls.size();
  return itls;
}

std::vector<bool> successes(Fields& f, const model::Point& p, std::size_t n, const std::vector<long long>& output) {
  std::vector<bool> success(n, true);
  if (const Json* errors = f.raw("errors")) {
    if (errors->is_array() && errors->size() == n) {
      for (std::size_t i = 0; i < n; ++i) success[i] = (*errors)[i].is_string() && (*errors)[i].get<std::string>().empty();
    } else {
      f.unreadable("errors", "expected one entry per request");
    }
  } else if (!output.empty() && p.completed && static_cast<std::size_t>(*p.completed) < n) {
    for (std::size_t i = 0; i < n; ++i) success[i] = output[i] > 0;  // failures have 0 output tokens
  }
  return success;
}

}  // namespace

void read_request_arrays(Fields& f, model::Point& p, const RequestArrayOptions& options) {
  std::size_t n = 0;
  bool ok = true;
  const auto input = array_of<long long>(f, "input_lens", n, ok);
  const auto output = array_of<long long>(f, "output_lens", n, ok);
  const auto ttfts = array_of<double>(f, "ttfts", n, ok);
  const auto latencies = array_of<double>(f, "latencies", n, ok);
  const auto itls = gaps_of(f, n, ok);
  const std::vector<bool> success = successes(f, p, n, output);
  if (f.has("generated_texts")) f.unreadable("generated_texts", "the generated texts are not kept");
  if (!ok) return;
  model::Samples& s = p.samples;
  for (std::size_t i = 0; i < n; ++i) {
    if (!success[i]) continue;
    if (!input.empty()) s.input_tokens.push_back(input[i]);
    if (!output.empty()) s.output_tokens.push_back(output[i]);
    std::optional<double> ttft, latency;
    if (!ttfts.empty()) {
      ttft = ttfts[i];
      s.ttft_ms.push_back(ttfts[i] * 1000);
    }
    double gap_sum = 0;
    if (!itls.empty()) {
      for (const double g : itls[i]) {
        s.itl_ms.push_back(g * 1000);
        gap_sum += g;
      }
    }
    if (!latencies.empty()) latency = latencies[i];
    else if (options.latency_from_gaps && ttft && !itls.empty()) latency = *ttft + gap_sum;
    if (latency) s.e2el_ms.push_back(*latency * 1000);
    if (latency && ttft && !output.empty() && output[i] > 1) {
      s.tpot_ms.push_back((*latency - *ttft) / static_cast<double>(output[i] - 1) * 1000);
    }
  }
}

}  // namespace sitegen::ingest
