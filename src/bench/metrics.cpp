#include "bench/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "stats/summary.hpp"
#include "util/error.hpp"

namespace sitegen::bench {

namespace {

constexpr double k_ns_per_ms = 1e6;

double ms(std::int64_t ns) { return static_cast<double>(ns) / k_ns_per_ms; }

}  // namespace

Slo parse_slo(const std::vector<std::string>& items) {
  Slo slo;
  for (const std::string& item : items) {
    const std::size_t colon = item.find(':');
    const std::string name = item.substr(0, colon);
    double value = -1;
    if (colon != std::string::npos) {
      const char* first = item.data() + colon + 1;
      const char* last = item.data() + item.size();
      const auto [end, ec] = std::from_chars(first, last, value);
      if (ec != std::errc() || end != last) value = -1;
    }
    if (!(value > 0) || std::isinf(value))
      throw Error("--goodput: expected NAME:MILLISECONDS with a number > 0 (ttft:500 tpot:50 e2el:10000), got '" +
                  item + "'");
    if (name == "ttft") slo.ttft_ms = value;
    else if (name == "tpot") slo.tpot_ms = value;
    else if (name == "e2el") slo.e2el_ms = value;
    else throw Error("--goodput: unknown metric '" + name + "' (expected ttft, tpot or e2el)");
  }
  return slo;
}

model::Stat summarize(const std::vector<double>& values) {
  model::Stat s;
  if (values.empty()) return s;
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  s.mean = stats::mean(sorted);
  s.std = stats::stddev(sorted);
  s.median = stats::percentile_sorted(sorted, 50);
  s.min = sorted.front();
  s.max = sorted.back();
  for (double p : {50.0, 90.0, 95.0, 99.0, 99.9}) s.set_percentile(p, *stats::percentile_sorted(sorted, p));
  s.count = static_cast<long long>(sorted.size());
  return s;
}

namespace {

// Per-request figures of the successful requests, aligned by index.
struct Figures {
  std::vector<double> ttft, tpot, e2el, itl, itl_per_token, interactivity, queue, slip;
  std::vector<long long> input, output;
  std::map<std::string, long long> token_sources;
  long long good = 0;
};

void add_request(const RequestOutcome& o, const Slo& slo, Figures& f) {
  const StreamRecord& s = o.stream;
  const std::int64_t origin = o.intended_ns;
  const double ttft = ms(s.content_ns.front() - origin);
  const double e2el = ms(s.content_ns.back() - origin);
  const long long n = s.output_tokens;
  // vLLM gives requests of one token a TPOT of 0 (kept here so the samples stay aligned).
  const double tpot = n > 1 ? ms(s.content_ns.back() - s.content_ns.front()) / static_cast<double>(n - 1) : 0.0;
  f.ttft.push_back(ttft);
  f.e2el.push_back(e2el);
  f.tpot.push_back(tpot);
  if (n > 1 && tpot > 0) f.interactivity.push_back(1000.0 / tpot);
  for (std::size_t i = 1; i < s.content_ns.size(); ++i) {
    const double gap = ms(s.content_ns[i] - s.content_ns[i - 1]);
    f.itl.push_back(gap);
    const long long k = s.content_tokens[i];
    for (long long t = 0; t < k; ++t) f.itl_per_token.push_back(gap / static_cast<double>(k));
  }
  f.input.push_back(s.prompt_tokens.value_or(o.input_len));
  f.output.push_back(n);
  ++f.token_sources[token_source_name(s.token_source)];
  const double late = ms(o.sent_ns - o.intended_ns);
  (o.queued ? f.queue : f.slip).push_back(late);
  (o.queued ? f.slip : f.queue).push_back(0.0);
  const bool good = (!slo.ttft_ms || ttft <= *slo.ttft_ms) && (!slo.tpot_ms || tpot <= *slo.tpot_ms) &&
                    (!slo.e2el_ms || e2el <= *slo.e2el_ms);
  if (good) ++f.good;
}

bool p99_within(const model::Stat& stat, std::optional<double> limit) {
  if (!limit) return true;
  const std::optional<double> p99 = stat.percentile(99);
  return p99 && *p99 <= *limit;
}

}  // namespace

model::Point make_point(const LevelRun& run, const Slo& slo) {
  model::Point p;
  Figures f;
  long long completed = 0, failed = 0, cancelled = 0;
  for (const RequestOutcome& o : run.requests) {
    if (o.error_kind == "cancelled") {
      ++cancelled;
    } else if (!o.ok()) {
      ++failed;
      ++p.errors[o.error_kind];
    } else {
      ++completed;
      add_request(o, slo, f);
    }
  }
  if (run.level.open_loop()) {
    if (std::isinf(*run.level.rate)) p.request_rate_inf = true;
    else p.request_rate_rps = *run.level.rate;
    p.burstiness = run.burstiness;
  } else {
    p.concurrency = run.level.concurrency;
  }
  const double duration = static_cast<double>(run.end_ns - run.start_ns) / 1e9;
  p.duration_s = duration;
  p.completed = completed;
  p.failed = failed;
  long long in = 0, out = 0;
  for (long long v : f.input) in += v;
  for (long long v : f.output) out += v;
  p.input_tokens = in;
  p.output_tokens = out;
  if (duration > 0) {
    p.request_throughput_rps = static_cast<double>(completed) / duration;
    p.input_throughput_tps = static_cast<double>(in) / duration;
    p.output_throughput_tps = static_cast<double>(out) / duration;
    p.total_throughput_tps = static_cast<double>(in + out) / duration;
  }
  p.ttft_ms = summarize(f.ttft);
  p.tpot_ms = summarize(f.tpot);
  p.itl_ms = summarize(f.itl);
  p.e2el_ms = summarize(f.e2el);
  p.interactivity_tps = summarize(f.interactivity);
  if (!slo.empty()) {
    if (duration > 0) p.goodput_rps = static_cast<double>(f.good) / duration;
    p.slo_held = failed == 0 && completed > 0 && p99_within(p.ttft_ms, slo.ttft_ms) &&
                 p99_within(p.tpot_ms, slo.tpot_ms) && p99_within(p.e2el_ms, slo.e2el_ms);
  }
  p.samples.ttft_ms = f.ttft;
  p.samples.tpot_ms = f.tpot;
  p.samples.e2el_ms = f.e2el;
  p.samples.itl_ms = f.itl;
  p.samples.input_tokens = f.input;
  p.samples.output_tokens = f.output;

  model::Json& x = p.extra;
  x["latency_origin"] = run.level.open_loop() ? "intended_send_time" : "send_time";
  if (run.level.open_loop() && run.level.concurrency) x["max_concurrency"] = *run.level.concurrency;
  if (run.level.open_loop()) {
    x["client_queue_ms"] = model::stat_to_json(summarize(f.queue));
    x["schedule_slip_ms"] = model::stat_to_json(summarize(f.slip));
  }
  x["itl_per_token_ms"] = model::stat_to_json(summarize(f.itl_per_token));
  x["output_token_source"] = f.token_sources;
  x["warmups"] = run.warmups;
  if (run.warmup_failures) x["warmup_failures"] = run.warmup_failures;
  if (cancelled) x["cancelled"] = cancelled;
  if (run.interrupted) x["interrupted"] = true;
  return p;
}

}  // namespace sitegen::bench
