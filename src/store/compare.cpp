#include "store/compare.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <span>
#include <sstream>

#include "model/json_io.hpp"
#include "stats/regression.hpp"
#include "stats/summary.hpp"
#include "store/layout.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/format.hpp"
#include "util/strings.hpp"

namespace sitegen::store {

namespace fs = std::filesystem;

namespace {

// Where a rule's figure lives in a point: an aggregate field, or a Stat with its samples.
struct MetricSource {
  std::optional<double> value;
  std::span<const double> samples;
};

MetricSource latency(const model::Stat& stat, const std::vector<double>& samples, double percent) {
  MetricSource s{stat.percentile(percent), samples};
  if (!s.value && !samples.empty()) s.value = stats::percentile(samples, percent);
  return s;
}

MetricSource metric_source(const std::string& name, const model::Point& p) {
  if (name == "output_throughput") return {p.output_throughput_tps, {}};
  if (name == "request_throughput") return {p.request_throughput_rps, {}};
  if (name == "failed_pct") {
    const double done = static_cast<double>(p.completed.value_or(0)), failed = static_cast<double>(p.failed.value_or(0));
    if ((!p.completed && !p.failed) || done + failed == 0) return {};
    return {failed / (done + failed) * 100.0, {}};
  }
  const double percent = name.ends_with("_p99") ? 99 : 50;
  if (name.starts_with("ttft")) return latency(p.ttft_ms, p.samples.ttft_ms, percent);
  if (name.starts_with("tpot")) return latency(p.tpot_ms, p.samples.tpot_ms, percent);
  if (name.starts_with("itl")) return latency(p.itl_ms, p.samples.itl_ms, percent);
  return latency(p.e2el_ms, p.samples.e2el_ms, percent);
}

std::string load_label(const model::Point& p, std::size_t index) {
  if (p.concurrency) return "concurrency " + std::to_string(*p.concurrency);
  if (p.request_rate_inf) return "rate inf";
  if (p.request_rate_rps) return "rate " + format::shortest(*p.request_rate_rps) + " rps";
  return "point " + std::to_string(index + 1);
}

std::string signed_delta(double delta, const std::string& unit) {
  const std::string text = format::fixed(delta, 1);
  return (delta > 0 && text != "0.0" ? "+" : "") + text + unit;
}

std::string p_text(double p) { return p < 0.001 ? "p<0.001" : "p=" + format::fixed(p, 3); }

// The rule: worse than the threshold, and (when both sides have enough samples) significant.
void decide(MetricDelta& d, const MetricRule& rule, const MetricSource& base, const MetricSource& cand,
            const CompareOptions& options) {
  d.base_samples = base.samples.size();
  d.candidate_samples = cand.samples.size();
  if (!d.base || !d.candidate) {
    d.verdict = std::string("n/a: not in ") + (d.base ? "candidate" : "base");
    return;
  }
  if (rule.in_points) {
    d.delta_unit = " pp";
    d.delta_pct = *d.candidate - *d.base;
  } else if (*d.base == 0) {
    d.verdict = "n/a: base is 0";
    return;
  } else {
    d.delta_pct = (*d.candidate - *d.base) / std::fabs(*d.base) * 100.0;
  }
  const bool testable = d.base_samples >= options.min_samples && d.candidate_samples >= options.min_samples;
  if (testable) {
    if (const auto t = stats::mann_whitney(base.samples, cand.samples)) d.p_value = t->p_value;
  }
  const double worse = rule.better == Better::lower ? *d.delta_pct : -*d.delta_pct;
  const std::string threshold = format::shortest(d.threshold_pct) + d.delta_unit;
  const std::string delta = signed_delta(*d.delta_pct, d.delta_unit);
  if (worse <= d.threshold_pct) {
    d.verdict = "ok: " + delta + (worse < 0 ? " (better)" : " within " + threshold);
    return;
  }
  const std::string beyond = delta + (rule.better == Better::lower ? " > " : " < -") + threshold;
  if (d.p_value) {
    d.regressed = *d.p_value < options.alpha;
    d.verdict = d.regressed ? "regressed: " + beyond + " and " + p_text(*d.p_value)
                            : "ok: " + beyond + " but " + p_text(*d.p_value) + " >= " +
                                  format::shortest(options.alpha) + " (noise)";
    return;
  }
  d.regressed = true;
  if (d.base_samples == 0 || d.candidate_samples == 0) {
    d.verdict = "regressed: " + beyond + " (threshold only: no per-request samples)";
  } else {
    d.verdict = "regressed: " + beyond + " (threshold only: " +
                std::to_string(std::min(d.base_samples, d.candidate_samples)) + " samples, the rank test needs " +
                std::to_string(options.min_samples) + ")";
  }
}

std::vector<MetricDelta> compare_point(const model::Point& base, const model::Point& cand,
                                       const CompareOptions& options) {
  std::vector<MetricDelta> out;
  for (const MetricRule& rule : default_rules()) {
    const MetricSource b = metric_source(rule.name, base), c = metric_source(rule.name, cand);
    if (!b.value && !c.value) continue;  // neither side measured it
    MetricDelta d;
    d.metric = rule.name;
    d.label = rule.label;
    d.base = b.value;
    d.candidate = c.value;
    d.threshold_pct = threshold_for(rule, options);
    decide(d, rule, b, c, options);
    out.push_back(std::move(d));
  }
  return out;
}

// A loaded report with the file it came from.
struct Run {
  model::Report report;
  std::string file;
};

struct Side {
  std::map<std::string, Run> latest;  // configuration id -> its latest run
  std::vector<std::string> problems;
};

// Later run ids win; a run with no successful request only when nothing better exists.
bool newer(const Run& a, const Run& b) {
  const bool a_ok = a.report.completed_requests() > 0, b_ok = b.report.completed_requests() > 0;
  if (a_ok != b_ok) return a_ok;
  const auto& pa = a.report.provenance;
  const auto& pb = b.report.provenance;
  return std::tie(pa.run_id, pa.attempt) > std::tie(pb.run_id, pb.attempt);
}

Side load_side(const fs::path& root, const char* which) {
  const files::Listing listing = files::list_recursive({root}, "report.json");
  Side side{{}, listing.problems};
  for (const fs::path& file : listing.files) {
    try {
      Run run{model::read_report(file), files::display(file)};
      const std::string id = config_key(run.report).id();
      auto it = side.latest.find(id);
      if (it == side.latest.end()) {
        side.latest.emplace(id, std::move(run));
      } else if (newer(run, it->second)) {
        it->second = std::move(run);
      }
    } catch (const Error& e) {
      side.problems.push_back(e.what());
    }
  }
  if (side.latest.empty()) {
    std::string message = std::string(which) + " " + files::display(root) + ": no report.json could be loaded";
    for (const std::string& p : side.problems) message += "\n  " + p;
    throw Error(message);
  }
  return side;
}

std::string md_code(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c != '`' && c != '\n') out += c;
  }
  return "`" + out + "`";
}

// Text for markdown outside code spans: the characters that would start markup are escaped.
std::string md_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') { out += ' '; continue; }
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

void markdown_config(std::ostringstream& md, const ConfigComparison& c) {
  md << "### " << c.config << "\n\n"
     << "Base run " << md_code(c.base_run) << " (" << md_code(c.base_file) << ") · candidate run "
     << md_code(c.candidate_run) << " (" << md_code(c.candidate_file) << ")\n\n";
  if (!c.compared) {
    md << "**Not comparable: " << md_escape(strings::join(c.mismatches, "; ")) << ".** Runs of different workloads or "
       << "engines are different configurations; nothing is judged a regression (`--allow-mismatch` compares them "
       << "anyway).\n\n";
    return;
  }
  if (!c.mismatches.empty())
    md << "Compared despite a mismatch (`--allow-mismatch`): " << md_escape(strings::join(c.mismatches, "; ")) << ".\n\n";
  md << "| load | metric | base | candidate | delta | verdict |\n"
     << "| --- | --- | ---: | ---: | ---: | --- |\n";
  for (const PointComparison& p : c.points) {
    if (!p.in_base || !p.in_candidate) {
      md << "| " << p.load << " | all | " << (p.in_base ? "measured" : "—") << " | "
         << (p.in_candidate ? "measured" : "—") << " |  | missing in " << (p.in_base ? "candidate" : "base")
         << " |\n";
      continue;
    }
    for (const MetricDelta& d : p.metrics) {
      md << "| " << p.load << " | " << d.label << " | " << (d.base ? format::human(*d.base) : "—") << " | "
         << (d.candidate ? format::human(*d.candidate) : "—") << " | "
         << (d.delta_pct ? signed_delta(*d.delta_pct, d.delta_unit) : "") << " | "
         << (d.regressed ? "**" + d.verdict + "**" : d.verdict) << " |\n";
    }
  }
  md << "\n";
}

void markdown_list(std::ostringstream& md, const std::string& title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  md << title << " (" << items.size() << "):\n\n";
  for (const std::string& item : items) md << "- " << md_code(item) << "\n";
  md << "\n";
}

}  // namespace

const std::vector<MetricRule>& default_rules() {
  static const std::vector<MetricRule> rules{
      {"output_throughput", "output throughput (tok/s)", Better::higher, 5},
      {"request_throughput", "request throughput (req/s)", Better::higher, 5},
      {"ttft_p50", "TTFT p50 (ms)", Better::lower, 10},
      {"ttft_p99", "TTFT p99 (ms)", Better::lower, 20},
      {"tpot_p50", "TPOT p50 (ms)", Better::lower, 10},
      {"tpot_p99", "TPOT p99 (ms)", Better::lower, 20},
      {"itl_p50", "ITL p50 (ms)", Better::lower, 10},
      {"itl_p99", "ITL p99 (ms)", Better::lower, 20},
      {"e2el_p50", "E2E latency p50 (ms)", Better::lower, 10},
      {"e2el_p99", "E2E latency p99 (ms)", Better::lower, 20},
      {"failed_pct", "failed requests (%)", Better::lower, 1, true},
  };
  return rules;
}

void set_threshold(CompareOptions& options, std::string_view spec) {
  const std::size_t eq = spec.find('=');
  if (eq == std::string_view::npos) {
    throw Error("--threshold " + std::string(spec) + ": expected METRIC=PERCENT, e.g. ttft_p99=15");
  }
  const std::string name(strings::trim(spec.substr(0, eq)));
  std::string_view pct = strings::trim(spec.substr(eq + 1));
  if (pct.ends_with('%')) pct.remove_suffix(1);
  std::vector<std::string> names;
  for (const MetricRule& r : default_rules()) names.push_back(r.name);
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    const std::string close = strings::closest(name, names);
    throw Error("--threshold " + std::string(spec) + ": unknown metric '" + name + "'" +
                (close.empty() ? "" : " (did you mean '" + close + "'?)") + "; metrics: " +
                strings::join(names, ", "));
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(pct.data(), pct.data() + pct.size(), value);
  if (pct.empty() || ec != std::errc() || end != pct.data() + pct.size() || !std::isfinite(value) || value < 0) {
    throw Error("--threshold " + std::string(spec) + ": expected a non-negative percentage after '='");
  }
  options.thresholds[name] = value;
}

double threshold_for(const MetricRule& rule, const CompareOptions& options) {
  const auto it = options.thresholds.find(rule.name);
  return it == options.thresholds.end() ? rule.threshold_pct : it->second;
}

std::size_t Comparison::regressions() const {
  std::size_t n = 0;
  for (const auto& c : configs)
    for (const auto& p : c.points)
      for (const auto& m : p.metrics) n += m.regressed ? 1 : 0;
  return n;
}

std::size_t Comparison::not_comparable() const {
  return static_cast<std::size_t>(
      std::count_if(configs.begin(), configs.end(), [](const ConfigComparison& c) { return !c.compared; }));
}

std::size_t Comparison::missing_points() const {
  std::size_t n = 0;
  for (const auto& c : configs)
    for (const auto& p : c.points) n += (p.in_base && !p.in_candidate) ? 1 : 0;
  return n;
}

ConfigComparison compare_reports(const model::Report& base, const model::Report& candidate,
                                 const CompareOptions& options) {
  ConfigComparison out;
  const ConfigKey base_key = config_key(base), cand_key = config_key(candidate);
  const std::string base_id = base_key.id(), cand_id = cand_key.id();
  out.config = base_id == cand_id ? base_id : base_id + " -> " + cand_id;
  out.base_run = base.provenance.run_id;
  out.candidate_run = candidate.provenance.run_id;
  out.mismatches = mismatches(base_key, cand_key);
  out.compared = out.mismatches.empty() || options.allow_mismatch;
  if (!out.compared) return out;
  // Points in BASE order, then those only the candidate has.
  std::vector<std::string> cand_loads;
  for (std::size_t i = 0; i < candidate.points.size(); ++i) cand_loads.push_back(load_label(candidate.points[i], i));
  std::vector<bool> matched(candidate.points.size(), false);
  for (std::size_t i = 0; i < base.points.size(); ++i) {
    PointComparison pc{load_label(base.points[i], i), true, false, {}};
    const auto it = std::find(cand_loads.begin(), cand_loads.end(), pc.load);
    if (it != cand_loads.end() && !matched[it - cand_loads.begin()]) {
      const std::size_t j = static_cast<std::size_t>(it - cand_loads.begin());
      matched[j] = true;
      pc.in_candidate = true;
      pc.metrics = compare_point(base.points[i], candidate.points[j], options);
    }
    out.points.push_back(std::move(pc));
  }
  for (std::size_t j = 0; j < candidate.points.size(); ++j) {
    if (!matched[j]) out.points.push_back({cand_loads[j], false, true, {}});
  }
  return out;
}

Comparison compare_paths(const fs::path& base, const fs::path& candidate, const CompareOptions& options) {
  const Side b = load_side(base, "BASE");
  const Side c = load_side(candidate, "CANDIDATE");
  Comparison out{files::display(base), files::display(candidate), {}, {}, {}, b.problems};
  out.problems.insert(out.problems.end(), c.problems.begin(), c.problems.end());
  auto add = [&](const Run& br, const Run& cr) {
    ConfigComparison cc = compare_reports(br.report, cr.report, options);
    cc.base_file = br.file;
    cc.candidate_file = cr.file;
    out.configs.push_back(std::move(cc));
  };
  if (b.latest.size() == 1 && c.latest.size() == 1 && !options.same_config_only) {
    add(b.latest.begin()->second, c.latest.begin()->second);
    return out;
  }
  for (const auto& [id, run] : b.latest) {
    const auto it = c.latest.find(id);
    if (it == c.latest.end()) out.only_in_base.push_back(id);
    else add(run, it->second);
  }
  for (const auto& [id, run] : c.latest) {
    if (!b.latest.count(id)) out.only_in_candidate.push_back(id);
  }
  return out;
}

std::string to_markdown(const Comparison& comparison, const CompareOptions& options) {
  std::ostringstream md;
  const std::size_t regressions = comparison.regressions(), missing = comparison.missing_points();
  md << "## Benchmark comparison: "
     << (regressions ? std::to_string(regressions) + " regression" + (regressions == 1 ? "" : "s")
                     : std::string("no regressions"))
     << (missing ? ", " + std::to_string(missing) + " point" + (missing == 1 ? "" : "s") + " missing" : "")
     << (comparison.not_comparable() ? ", " + std::to_string(comparison.not_comparable()) + " not comparable" : "")
     << "\n\nBase " << md_code(comparison.base_path) << " · candidate " << md_code(comparison.candidate_path)
     << ". A metric regresses when it is worse than its threshold and, where both runs kept at least "
     << options.min_samples << " per-request samples, a Mann-Whitney U test gives p < "
     << format::shortest(options.alpha) << ".\n\n";
  for (const ConfigComparison& c : comparison.configs) markdown_config(md, c);
  if (comparison.configs.empty()) md << "No configuration is in both.\n\n";
  markdown_list(md, "Only in base, not compared", comparison.only_in_base);
  markdown_list(md, "Only in candidate, not compared", comparison.only_in_candidate);
  markdown_list(md, "Skipped files", comparison.problems);
  return md.str();
}

model::Json to_json(const Comparison& comparison) {
  using model::Json;
  auto opt = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
  Json configs = Json::array();
  for (const ConfigComparison& c : comparison.configs) {
    Json points = Json::array();
    for (const PointComparison& p : c.points) {
      Json metrics = Json::array();
      for (const MetricDelta& d : p.metrics) {
        metrics.push_back({{"metric", d.metric}, {"base", opt(d.base)}, {"candidate", opt(d.candidate)},
                           {"delta_pct", opt(d.delta_pct)}, {"delta_unit", d.delta_unit == "%" ? "percent" : "points"},
                           {"threshold_pct", d.threshold_pct},
                           {"p_value", opt(d.p_value)}, {"base_samples", d.base_samples},
                           {"candidate_samples", d.candidate_samples}, {"regressed", d.regressed},
                           {"verdict", d.verdict}});
      }
      points.push_back({{"load", p.load}, {"in_base", p.in_base}, {"in_candidate", p.in_candidate},
                        {"metrics", metrics}});
    }
    configs.push_back({{"config", c.config}, {"base_file", c.base_file}, {"base_run", c.base_run},
                       {"candidate_file", c.candidate_file}, {"candidate_run", c.candidate_run},
                       {"comparable", c.mismatches.empty()}, {"compared", c.compared},
                       {"mismatches", c.mismatches}, {"points", points}});
  }
  return Json{{"base", comparison.base_path}, {"candidate", comparison.candidate_path},
              {"regressions", comparison.regressions()}, {"missing_points", comparison.missing_points()},
              {"not_comparable", comparison.not_comparable()},
              {"configurations", configs}, {"only_in_base", comparison.only_in_base},
              {"only_in_candidate", comparison.only_in_candidate}, {"problems", comparison.problems}};
}

}  // namespace sitegen::store
