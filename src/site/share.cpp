#include "site/share.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "site/figures.hpp"
#include "util/format.hpp"

namespace sitegen::site {

namespace {

bool digits(std::string_view s, std::size_t from, std::size_t count) {
  if (s.size() < from + count) return false;
  for (std::size_t i = from; i < from + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// "YYYY-MM-DDTHH:MM:SS" with fields in range: the part of RFC 3339 we keep.
bool plausible_time(std::string_view t) {
  auto num = [&](std::size_t at, std::size_t n) { return std::stoi(std::string(t.substr(at, n))); };
  const int month = num(5, 2), day = num(8, 2), hour = num(11, 2), minute = num(14, 2), second = num(17, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60;
}

std::string from_started_at(const std::string& s) {
  if (!(s.size() >= 19 && digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 2) && s[7] == '-' && digits(s, 8, 2) &&
        (s[10] == 'T' || s[10] == ' ') && digits(s, 11, 2) && s[13] == ':' && digits(s, 14, 2) && s[16] == ':' &&
        digits(s, 17, 2))) {
    return "";
  }
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  }
  const std::string zone = s.substr(i);
  // started_at is UTC by the report format; a time in another zone is not trusted here.
  if (!(zone.empty() || zone == "Z" || zone == "z" || zone == "+00:00" || zone == "-00:00")) return "";
  std::string out = s.substr(0, 19) + "Z";
  out[10] = 'T';
  return plausible_time(out) ? out : "";
}

std::string from_run_id(const std::string& id) {
  if (!(digits(id, 0, 8) && id.size() >= 15 && id[8] == '-' && digits(id, 9, 6))) return "";
  if (id.size() > 15 && std::isdigit(static_cast<unsigned char>(id[15]))) return "";
  const std::string out = id.substr(0, 4) + "-" + id.substr(4, 2) + "-" + id.substr(6, 2) + "T" + id.substr(9, 2) +
                          ":" + id.substr(11, 2) + ":" + id.substr(13, 2) + "Z";
  return plausible_time(out) ? out : "";
}

// "org/Model-A · vllm · 1× RTX A5000": what a run measured, for people.
std::string run_subject(const model::Report& r) {
  std::vector<std::string> parts;
  if (!r.system.model.id.empty()) parts.push_back(r.system.model.id);
  if (!r.system.engine.name.empty()) parts.push_back(r.system.engine.name);
  if (!r.system.gpu.model.empty()) {
    parts.push_back((r.system.gpu.count ? std::to_string(*r.system.gpu.count) + "× " : std::string()) + r.system.gpu.model);
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : " · ") + p;
  return out;
}

std::string run_label(const model::Report& r) {
  std::string out = "run " + r.provenance.run_id;
  if (r.provenance.attempt > 1) out += " (attempt " + std::to_string(r.provenance.attempt) + ")";
  return out;
}

std::string summary_text(const model::Report& r) {
  const Headline h = headline(r);
  std::string out;
  if (h.peak_output_tps && std::isfinite(*h.peak_output_tps)) {
    out = "Peak output " + format::human(*h.peak_output_tps) + " tokens/s";
    if (!h.peak_load.empty()) out += " at load " + h.peak_load;
    out += ".";
  } else {
    out = "No output throughput measured.";
  }
  out += " " + std::to_string(r.points.size()) + (r.points.size() == 1 ? " load level" : " load levels");
  if (!r.status.empty()) out += ", status " + r.status;
  return out + ".";
}

// JSON text that is also safe inside HTML or XML: < > & only occur in strings, where \u escapes
// read the same.
std::string safe_dump(const nlohmann::json& doc) {
  const std::string text = doc.dump(1);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out + "\n";
}

}  // namespace

std::string xml_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

bool absolute_base(const std::string& base_url) {
  return base_url.starts_with("https://") || base_url.starts_with("http://");
}

std::string rfc3339_utc(const std::string& started_at, const std::string& run_id) {
  std::string t = from_started_at(started_at);
  return t.empty() ? from_run_id(run_id) : t;
}

std::string atom_feed(const SiteModel& m, const std::string& base_url) {
  struct Entry {
    std::string updated;
    const store::Configuration* config;
    const store::Run* run;
  };
  std::vector<Entry> entries;
  for (const store::Configuration& c : m.inputs->dataset.configurations) {
    for (const store::Run& run : c.runs) {
      const model::Provenance& p = run.report.provenance;
      std::string t = rfc3339_utc(p.started_at, p.run_id);
      entries.push_back({t.empty() ? "1970-01-01T00:00:00Z" : t, &c, &run});
    }
  }
  auto order = [](const Entry& e) {
    return std::tuple(e.updated, e.config->id, e.run->report.provenance.run_id, e.run->report.provenance.attempt);
  };
  std::sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) { return order(a) > order(b); });
  if (entries.size() > k_feed_entries) entries.resize(k_feed_entries);

  const bool absolute = absolute_base(base_url);
  const std::string& title = m.inputs->settings.title;
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  out += "<title>" + xml_text(title.empty() ? std::string("Benchmark results") : title) + " · runs</title>\n";
  if (!m.inputs->settings.description.empty()) out += "<subtitle>" + xml_text(m.inputs->settings.description) + "</subtitle>\n";
  out += "<id>" + xml_text(absolute ? base_url + "feed.xml" : "tag:sitegen,2026:feed") + "</id>\n";
  out += "<updated>" + (entries.empty() ? std::string("1970-01-01T00:00:00Z") : entries.front().updated) + "</updated>\n";
  out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml_text(base_url + "feed.xml") + "\"/>\n";
  out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_text(base_url + "index.html") + "\"/>\n";
  out += "<author><name>" + xml_text(title.empty() ? std::string("sitegen") : title) + "</name></author>\n";
  out += "<generator>sitegen</generator>\n";
  for (const Entry& e : entries) {
    const model::Report& r = e.run->report;
    const std::string page = run_path(m, *e.run);
    const std::string subject = run_subject(r);
    out += "<entry>\n";
    out += "<id>" + xml_text(absolute ? base_url + page : "tag:sitegen,2026:" + run_dir(m, *e.run)) + "</id>\n";
    out += "<title>" + xml_text((subject.empty() ? e.config->id : subject) + " — " + run_label(r)) + "</title>\n";
    out += "<updated>" + e.updated + "</updated>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_text(base_url + page) + "\"/>\n";
    out += "<category term=\"" + xml_text(e.config->id) + "\"/>\n";
    out += "<summary>" + xml_text(summary_text(r)) + "</summary>\n";
    out += "</entry>\n";
  }
  return out + "</feed>\n";
}

std::string badge_path(const store::Configuration& config) { return "data/badges/" + config.id + ".json"; }

std::string badge_json(const store::Configuration& config) {
  const store::Run* run = config.latest_run();
  std::optional<double> peak;
  if (run) peak = headline(run->report).peak_output_tps;
  const bool known = peak && std::isfinite(*peak);
  nlohmann::json doc = {{"schemaVersion", 1},
                        {"label", "peak output"},
                        {"message", known ? format::human(*peak) + " tok/s" : std::string("unavailable")},
                        {"color", known ? "blue" : "lightgrey"}};
  return safe_dump(doc);
}

std::string benchmark_json(const SiteModel& m, bool bigger) {
  struct Series {
    const char* name;
    const char* unit;
    std::optional<double> (*value)(const model::Point&);
  };
  static const std::vector<Series> k_bigger = {
      {"output tokens/s", "tokens/s", [](const model::Point& p) { return p.output_throughput_tps; }},
      {"total tokens/s", "tokens/s", [](const model::Point& p) { return p.total_throughput_tps; }},
      {"requests/s", "requests/s", [](const model::Point& p) { return p.request_throughput_rps; }},
  };
  static const std::vector<Series> k_smaller = {
      {"TTFT p50", "ms", [](const model::Point& p) { return p.ttft_ms.percentile(50); }},
      {"TTFT p99", "ms", [](const model::Point& p) { return p.ttft_ms.percentile(99); }},
      {"TPOT p50", "ms", [](const model::Point& p) { return p.tpot_ms.percentile(50); }},
      {"TPOT p99", "ms", [](const model::Point& p) { return p.tpot_ms.percentile(99); }},
      {"ITL p50", "ms", [](const model::Point& p) { return p.itl_ms.percentile(50); }},
      {"ITL p99", "ms", [](const model::Point& p) { return p.itl_ms.percentile(99); }},
  };
  nlohmann::json out = nlohmann::json::array();
  for (const store::Configuration& c : m.inputs->dataset.configurations) {
    const store::Run* run = c.latest_run();
    if (!run) continue;
    const model::Report& r = run->report;
    std::map<std::string, int> uses;
    std::vector<std::string> loads;
    for (const model::Point& p : r.points) {
      loads.push_back(p.concurrency ? "concurrency " + load_label(p) : load_label(p));
      ++uses[loads.back()];
    }
    for (std::size_t i = 0; i < loads.size(); ++i) {
      if (uses[loads[i]] > 1) loads[i] += " (point " + std::to_string(i + 1) + ")";
    }
    const std::string extra = run_subject(r) + "; " + run_label(r);
    auto add = [&](const std::string& metric, const std::string& unit, std::optional<double> v, std::size_t i) {
      if (!v || !std::isfinite(*v)) return;
      out.push_back({{"name", c.id + " " + metric + " @ " + loads[i]}, {"unit", unit}, {"value", *v}, {"extra", extra}});
    };
    auto econ = m.economics.find(&c);
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      for (const Series& s : bigger ? k_bigger : k_smaller) add(s.name, s.unit, s.value(r.points[i]), i);
      if (!bigger && econ != m.economics.end() && i < econ->second.points.size()) {
        const econ::Figure& cost = econ->second.points[i].owned.usd_per_1m_tokens;
        add("owned USD/1M tokens", cost.unit.empty() ? "USD/1M tokens" : cost.unit, cost.value, i);
      }
    }
  }
  return safe_dump(out);
}

}  // namespace sitegen::site
