#include "ingest/import.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "ingest/fields.hpp"
#include "ingest/registry.hpp"
#include "model/json_io.hpp"
#include "model/validate.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace sitegen::ingest {

namespace fs = std::filesystem;

bool ImportResult::ok() const {
  return std::none_of(files.begin(), files.end(), [](const FileOutcome& f) { return !f.error.empty(); });
}

// ---- metadata: --set, --meta and meta.json beside the file ----

namespace {

Json parse_set_value(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  if (text == "null") return nullptr;
  long long i = 0;
  if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
      ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
    return i;
  }
  double d = 0;
  if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
    return d;
  }
  return text;
}

void set_path(Json& doc, const std::string& path, const Json& value, const std::string& what) {
  const std::vector<std::string> parts = strings::split(path, '.');
  // A report is a few levels deep; a longer path would only build a value too deep to write.
  if (parts.size() > 16) throw Error(what + ": path '" + path.substr(0, 80) + "...' has more than 16 segments");
  Json* node = &doc;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) throw Error(what + ": empty segment in path '" + path + "'");
    if (!node->is_object()) throw Error(what + ": '" + walked + "' is not an object, cannot set '" + path + "'");
    walked += (walked.empty() ? "" : ".") + parts[i];
    if (i + 1 == parts.size()) {
      if (value.is_null()) node->erase(parts[i]);
      else (*node)[parts[i]] = value;
    } else {
      node = &(*node)[parts[i]];
      if (node->is_null()) *node = Json::object();
    }
  }
}

void merge_meta(Json& doc, const Json& meta, const std::string& prefix, const std::string& file) {
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    const std::string path = prefix + it.key();
    if (it->is_object()) merge_meta(doc, *it, path + ".", file);
    else set_path(doc, path, *it, file);
  }
}

}  // namespace

void apply_set(Json& report_json, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw Error("--set '" + assignment + "': expected PATH=VALUE, e.g. system.gpu.model=\"RTX A5000\"");
  }
  set_path(report_json, assignment.substr(0, eq), parse_set_value(assignment.substr(eq + 1)),
           "--set '" + assignment + "'");
}

void apply_meta(Json& report_json, const Json& meta, const std::string& file) {
  if (!meta.is_object()) throw Error(file + ": expected a JSON object of report paths and values");
  merge_meta(report_json, meta, "", file);
}

// ---- one file ----

// Some producers record where the weights were on disk: "/models/models--openai--gpt-oss-120b/
// snapshots/<sha>/" is Hugging Face's cache layout for openai/gpt-oss-120b; another path gives its
// last segment. The path is kept in system.extra.model_path.
void model_id_from_path(model::System& system) {
  const std::string id = system.model.id;
  if (id.empty() || (id.front() != '/' && id.find("models--") == std::string::npos)) return;
  system.extra["model_path"] = id;
  const auto cache = id.find("models--");
  if (cache != std::string::npos) {
    std::string name = id.substr(cache + 8, id.find('/', cache) - cache - 8);
    if (const auto sep = name.find("--"); sep != std::string::npos) name.replace(sep, 2, "/");
    system.model.id = name;
    return;
  }
  std::vector<std::string> parts;
  for (const std::string& p : strings::split(id, '/')) {
    if (!p.empty()) parts.push_back(p);
  }
  system.model.id = parts.empty() ? "" : parts.back();
}

Conversion import_text(const std::string& text, const std::string& file, const fs::path& path,
                       const std::string& format) {
  Source source;
  source.file = file;
  source.path = path;
  source.content_hash = short_hash(text);
  // A text format (MLPerf's summary) is recognised before the file is parsed as JSON.
  const Importer* importer = format.empty() ? detect_text_format(text) : &importer_named(format);
  if (importer && importer->reads_text()) {
    source.text = text;
  } else {
    source.values = read_values(text, file);
    if (!importer) importer = &detect_format(source.values.front().value, file);
  }
  Conversion c = importer->convert(source);
  if (c.reports.empty()) throw Error(file + ": no benchmark results found in it");
  for (model::Report& r : c.reports) model_id_from_path(r.system);
  return c;
}

namespace {

std::vector<std::string> unknown_fields(const model::Report& r) {
  std::vector<std::string> out;
  if (r.system.gpu.model.empty()) out.push_back("system.gpu.model");
  if (!r.system.gpu.count) out.push_back("system.gpu.count");
  if (r.system.engine.name.empty()) out.push_back("system.engine.name");
  if (r.system.engine.version.empty()) out.push_back("system.engine.version");
  if (r.system.model.precision.empty()) out.push_back("system.model.precision");
  return out;
}

// What the schema and validate_report require of a point's samples: finite numbers, counts >= 0,
// and one value per request in ttft_ms, e2el_ms, input_tokens and output_tokens. One
// "\n  file: /points/i/samples/key: what" per problem.
std::string sample_problems(const model::Samples& s, std::size_t point, const std::string& file) {
  const std::string at = "\n  " + file + ": /points/" + std::to_string(point) + "/samples/";
  std::string out;
  const std::pair<const char*, const std::vector<double>*> times[] = {
      {"ttft_ms", &s.ttft_ms}, {"tpot_ms", &s.tpot_ms}, {"itl_ms", &s.itl_ms}, {"e2el_ms", &s.e2el_ms}};
  for (const auto& [key, values] : times) {
    const auto bad = std::find_if(values->begin(), values->end(), [](double v) { return !std::isfinite(v); });
    if (bad != values->end()) out += at + key + "/" + std::to_string(bad - values->begin()) + ": not a finite number";
  }
  const std::pair<const char*, const std::vector<long long>*> counts[] = {{"input_tokens", &s.input_tokens},
                                                                           {"output_tokens", &s.output_tokens}};
  for (const auto& [key, values] : counts) {
    const auto bad = std::find_if(values->begin(), values->end(), [](long long v) { return v < 0; });
    if (bad != values->end()) {
      out += at + key + "/" + std::to_string(bad - values->begin()) + ": must be >= 0, got " + std::to_string(*bad);
    }
  }
  const std::pair<const char*, std::size_t> sizes[] = {{"ttft_ms", s.ttft_ms.size()},
                                                        {"e2el_ms", s.e2el_ms.size()},
                                                        {"input_tokens", s.input_tokens.size()},
                                                        {"output_tokens", s.output_tokens.size()}};
  const char* first = nullptr;
  std::size_t n = 0;
  for (const auto& [key, size] : sizes) {
    if (size == 0) continue;
    if (!first) {
      first = key;
      n = size;
    } else if (size != n) {
      out += at + key + ": has " + std::to_string(size) + " values but " + first + " has " + std::to_string(n) +
             "; samples must align per request";
    }
  }
  return out;
}

// Applies metadata to a report and checks it against the schema; throws Error listing problems.
model::Report finish(model::Report report, const std::vector<std::pair<Json, std::string>>& metas,
                     const std::vector<std::string>& sets, const std::string& file) {
  // Per-request samples can be millions of numbers: they are numbers by construction, so they
  // skip the round trip through JSON.
  std::vector<model::Samples> samples;
  for (model::Point& p : report.points) {
    samples.push_back(std::move(p.samples));
    p.samples = {};
  }
  Json j = model::to_json(report);
  for (const auto& [meta, meta_file] : metas) apply_meta(j, meta, meta_file);
  for (const std::string& s : sets) apply_set(j, s);
  std::string problems;
  for (const Problem& p : model::validate_report(j, file)) {
    if (p.severity == Problem::Severity::error) problems += "\n  " + p.str();
  }
  if (!problems.empty()) throw Error(file + ": the imported report is not valid:" + problems);
  model::Report out = model::from_json(j, file);
  for (std::size_t i = 0; i < out.points.size() && i < samples.size(); ++i) out.points[i].samples = std::move(samples[i]);
  // The samples skipped the schema above; they get its rules here (the writers check the whole
  // text again, as `sitegen validate` would, before anything is written).
  problems.clear();
  for (std::size_t i = 0; i < out.points.size(); ++i) problems += sample_problems(out.points[i].samples, i, file);
  if (!problems.empty()) throw Error(file + ": the imported report is not valid:" + problems);
  return out;
}

std::vector<std::pair<fs::path, std::string>> expand(const std::vector<fs::path>& paths,
                                                     std::vector<FileOutcome>& failures) {
  std::vector<std::pair<fs::path, std::string>> out;
  for (const fs::path& root : paths) {
    std::error_code ec;
    if (!fs::exists(root, ec)) {
      failures.push_back({root.generic_string(), "", "no such file or directory", 0, {}, {}});
      continue;
    }
    const files::Listing listing = files::list_recursive({root}, "");
    for (const std::string& problem : listing.problems) failures.push_back({problem, "", problem, 0, {}, {}});
    const bool dir = fs::is_directory(root, ec);
    for (const fs::path& f : listing.files) {
      // In a directory only JSON files and MLPerf summaries are results; meta.json beside them is
      // metadata.
      if (dir && f.filename() == "meta.json") continue;
      const std::string ext = f.extension().string();
      if (dir && ext != ".json" && ext != ".jsonl" && ext != ".ndjson" && f.filename() != "mlperf_log_summary.txt") {
        continue;
      }
      out.emplace_back(f, f.generic_string());
    }
  }
  return out;
}

}  // namespace

ImportResult import_paths(const std::vector<fs::path>& paths, const ImportOptions& options) {
  if (!options.format.empty()) importer_named(options.format);  // fail early on a typo
  std::vector<std::pair<Json, std::string>> given_meta;
  if (!options.meta_file.empty()) {
    given_meta.emplace_back(model::read_json_file(options.meta_file), options.meta_file);
    if (!given_meta.back().first.is_object()) throw Error(options.meta_file + ": expected a JSON object");
  }
  for (const std::string& s : options.sets) {
    Json probe = Json::object();
    apply_set(probe, s);
  }

  ImportResult result;
  std::vector<FileOutcome> listing_failures;
  const auto inputs = expand(paths, listing_failures);
  std::vector<Conversion> conversions(inputs.size());
  std::set<std::string> consumed;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& [path, file] = inputs[i];
    FileOutcome outcome;
    outcome.file = file;
    try {
      const std::string text = files::read(path);
      conversions[i] = import_text(text, file, path, options.format);
      for (const std::string& c : conversions[i].account.consumed) consumed.insert(fs::weakly_canonical(c).string());
    } catch (const Error& e) {
      outcome.error = e.what();
      if (path.extension() == ".csv") outcome.error += " (a CSV export: import the JSON export written beside it)";
    }
    result.files.push_back(std::move(outcome));
  }

  std::vector<model::Report> reports;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    FileOutcome& outcome = result.files[i];
    const fs::path& path = inputs[i].first;
    // A companion another file read (per-request records, an MLPerf system description) is not an
    // input of its own, even when it holds no results by itself.
    if (consumed.count(fs::weakly_canonical(path).string()) && conversions[i].account.consumed.empty()) {
      outcome.format = "(read along with its summary file)";
      outcome.error.clear();
      continue;
    }
    if (!outcome.error.empty()) continue;
    Conversion& c = conversions[i];
    outcome.account = c.account;
    outcome.format = c.reports.front().provenance.source_format;
    std::vector<std::pair<Json, std::string>> metas;
    const fs::path beside = path.parent_path() / "meta.json";
    try {
      if (std::error_code ec; fs::is_regular_file(beside, ec)) {
        metas.emplace_back(model::read_json_file(beside), beside.generic_string());
      }
      metas.insert(metas.end(), given_meta.begin(), given_meta.end());
      std::vector<model::Report> done;
      for (model::Report& r : c.reports) done.push_back(finish(std::move(r), metas, options.sets, outcome.file));
      for (const model::Report& r : done) {
        for (const std::string& u : unknown_fields(r)) note(outcome.unknown, u);
      }
      outcome.reports = done.size();
      reports.insert(reports.end(), std::make_move_iterator(done.begin()), std::make_move_iterator(done.end()));
    } catch (const Error& e) {
      outcome.error = e.what();
      outcome.reports = 0;
    }
  }
  result.files.insert(result.files.end(), listing_failures.begin(), listing_failures.end());
  result.reports = options.combine_sweeps ? combine_sweeps(std::move(reports)) : std::move(reports);
  std::stable_sort(result.reports.begin(), result.reports.end(), [](const model::Report& a, const model::Report& b) {
    return a.provenance.run_id < b.provenance.run_id;
  });
  return result;
}

// ---- sweeps ----

namespace {

// Reports that may be one sweep share this text.
std::string sweep_key(model::Report& r) {
  std::vector<model::Point> points = std::move(r.points);  // (can be large) not part of the key
  r.points.clear();
  Json j = model::to_json(r);
  r.points = std::move(points);
  j["provenance"] = {{"tool", r.provenance.tool},
                     {"tool_version", r.provenance.tool_version},
                     {"format", r.provenance.source_format}};
  if (j.contains("workload")) {
    j["workload"].erase("num_prompts");
    j["workload"].erase("num_warmups");
  }
  return j.dump();
}

// Sort order of load levels: concurrency, then rate, then "all at once".
std::tuple<int, double> load_of(const model::Point& p) {
  if (p.concurrency) return {0, static_cast<double>(*p.concurrency)};
  if (p.request_rate_rps) return {1, *p.request_rate_rps};
  if (p.request_rate_inf) return {2, 0};
  return {3, 0};
}

model::Report join(std::vector<model::Report> group) {
  std::sort(group.begin(), group.end(), [](const model::Report& a, const model::Report& b) {
    return a.provenance.run_id < b.provenance.run_id;
  });
  model::Report out = group.front();
  out.points.clear();
  std::vector<std::pair<model::Point, std::string>> points;
  Json files = Json::array();
  bool same_prompts = true;
  for (const model::Report& r : group) {
    same_prompts = same_prompts && r.workload.num_prompts == out.workload.num_prompts;
    if (!r.provenance.started_at.empty() &&
        (out.provenance.started_at.empty() || r.provenance.started_at < out.provenance.started_at)) {
      out.provenance.started_at = r.provenance.started_at;
    }
    out.provenance.ended_at = std::max(out.provenance.ended_at, r.provenance.ended_at);
    std::string from = r.provenance.source_file;
    if (r.provenance.extra.contains("line")) from += ":" + r.provenance.extra["line"].dump();
    for (model::Point p : r.points) {
      if (r.workload.num_prompts) p.extra["num_prompts"] = *r.workload.num_prompts;
      p.extra["run_id"] = r.provenance.run_id;
      points.emplace_back(std::move(p), from);
    }
    if (std::find(files.begin(), files.end(), r.provenance.source_file) == files.end()) {
      files.push_back(r.provenance.source_file);
    }
  }
  std::stable_sort(points.begin(), points.end(),
                   [](const auto& a, const auto& b) { return load_of(a.first) < load_of(b.first); });
  Json from = Json::array();
  for (auto& [p, f] : points) {
    if (same_prompts) p.extra.erase("num_prompts");
    if (p.extra.empty()) p.extra = Json::object();
    out.points.push_back(std::move(p));
    from.push_back(f);
  }
  if (!same_prompts) out.workload.num_prompts.reset();
  out.provenance.extra.erase("line");
  if (files.size() > 1) out.provenance.extra["source_files"] = files;
  out.provenance.extra["points_from"] = from;
  return out;
}

bool distinct_loads(const std::vector<model::Report>& group) {
  std::set<std::tuple<int, double>> seen;
  for (const model::Report& r : group) {
    for (const model::Point& p : r.points) {
      const auto load = load_of(p);
      if (std::get<0>(load) == 3 || !seen.insert(load).second) return false;
    }
  }
  return true;
}

}  // namespace

std::vector<model::Report> combine_sweeps(std::vector<model::Report> reports) {
  std::map<std::string, std::vector<std::size_t>> groups;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    model::Report& r = reports[i];
    if (r.points.empty() || r.status != "complete" || !r.quality.empty() || !r.capacity.empty()) continue;
    const std::string key = sweep_key(r);
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(i);
  }
  std::vector<bool> taken(reports.size(), false);
  std::vector<model::Report> out;
  for (const std::string& key : order) {
    const std::vector<std::size_t>& idx = groups[key];
    if (idx.size() < 2) continue;
    std::vector<model::Report> group;
    for (const std::size_t i : idx) group.push_back(reports[i]);
    if (!distinct_loads(group)) continue;
    for (const std::size_t i : idx) taken[i] = true;
    out.push_back(join(std::move(group)));
  }
  for (std::size_t i = 0; i < reports.size(); ++i) {
    if (!taken[i]) out.push_back(std::move(reports[i]));
  }
  return out;
}

// ---- printing ----

namespace {

void print_list(std::ostream& out, const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  out << "  " << title << " (" << items.size() << "): " << strings::join(items, ", ") << "\n";
}

}  // namespace

void print_outcomes(const ImportResult& result, std::ostream& out) {
  std::size_t failed = 0, reports = 0;
  for (const FileOutcome& f : result.files) {
    if (!f.error.empty()) {
      ++failed;
      out << f.file << ": FAILED: " << f.error << "\n";
      continue;
    }
    if (f.reports == 0) {
      out << f.file << ": " << f.format << "\n";
      continue;
    }
    reports += f.reports;
    out << f.file << ": " << f.format << ", " << f.reports << " report(s)\n";
    print_list(out, "mapped", f.account.mapped);
    print_list(out, "kept in extra", f.account.extra);
    print_list(out, "could not read", f.account.unreadable);
    print_list(out, "read along", f.account.consumed);
    print_list(out, "unknown (set with --set or meta.json)", f.unknown);
    if (f.account.cross_checked) {
      out << "  cross-check: " << f.account.cross_checked << " value(s) recomputed from per-request samples\n";
    }
    for (const std::string& w : f.account.warnings) out << "  warning: " << w << "\n";
  }
  out << result.files.size() << " file(s): " << result.files.size() - failed << " imported, " << failed
      << " failed; " << result.reports.size() << " report(s) written";
  if (result.reports.size() != reports) out << " (sweeps combined from " << reports << ")";
  out << "\n";
}

void print_formats(std::ostream& out) {
  for (const auto& imp : importers()) out << imp->name() << "  " << imp->description() << "\n";
}

}  // namespace sitegen::ingest
