#include "ingest/fields.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <ctime>

#include <date/date.h>

#include "util/strings.hpp"

namespace sitegen::ingest {

void note(std::vector<std::string>& list, const std::string& entry) {
  for (const std::string& e : list) {
    if (e == entry) return;
  }
  list.push_back(entry);
}

Fields::Fields(const Json& object, std::string label, Account& account)
    : m_object(object), m_label(std::move(label)), m_account(account) {}

bool Fields::has(std::string_view key) const {
  if (!m_object.is_object()) return false;
  auto it = m_object.find(std::string(key));
  return it != m_object.end() && !it->is_null();
}

const Json* Fields::raw(std::string_view key) {
  if (!m_object.is_object()) return nullptr;
  auto it = m_object.find(std::string(key));
  if (it == m_object.end()) return nullptr;
  take(key);
  return it->is_null() ? nullptr : &*it;
}

void Fields::take(std::string_view key) {
  if (m_used.insert(std::string(key)).second && m_object.contains(std::string(key))) {
    note(m_account.mapped, m_label + std::string(key));
  }
}

void Fields::unreadable(std::string_view key, const std::string& why) {
  m_used.insert(std::string(key));
  note(m_account.unreadable, m_label + std::string(key) + ": " + why);
}

std::optional<double> Fields::number(std::string_view key, double scale) {
  const Json* v = raw(key);
  if (!v) return std::nullopt;
  if (v->is_number()) return v->get<double>() * scale;
  if (v->is_string()) {
    const std::string s = std::string(strings::trim(v->get<std::string>()));
    double d = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && end == s.data() + s.size()) return d * scale;
  }
  unreadable(key, "expected a number, got " + v->dump());
  return std::nullopt;
}

std::optional<long long> Fields::integer(std::string_view key) {
  const std::optional<double> d = number(key);
  if (!d) return std::nullopt;
  if (!std::isfinite(*d) || *d != std::floor(*d) || std::fabs(*d) > 9e15) {
    unreadable(key, "expected a whole number, got " + m_object.at(std::string(key)).dump());
    return std::nullopt;
  }
  return static_cast<long long>(*d);
}

std::string Fields::text(std::string_view key) {
  const Json* v = raw(key);
  if (!v) return "";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return v->dump();
  unreadable(key, "expected text, got " + v->dump());
  return "";
}

std::optional<bool> Fields::boolean(std::string_view key) {
  const Json* v = raw(key);
  if (!v) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string() && (*v == "true" || *v == "false")) return *v == "true";
  unreadable(key, "expected true or false, got " + v->dump());
  return std::nullopt;
}

std::optional<long long> checked_count(double value) {
  if (!std::isfinite(value) || value < 0 || value != std::floor(value) || value > 9e15) return std::nullopt;
  return static_cast<long long>(value);
}

std::optional<double> percent_of(std::string_view key) {
  if (key.size() < 2 || key[0] != 'p') return std::nullopt;
  const std::string_view rest = key.substr(1);
  if (rest.find_first_not_of("0123456789.") != std::string_view::npos) return std::nullopt;
  if (rest.front() == '.' || rest.back() == '.') return std::nullopt;
  double p = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), p);
  if (ec != std::errc() || end != rest.data() + rest.size() || p < 0 || p > 100) return std::nullopt;
  return p;
}

model::Stat Fields::stat(std::string_view metric, std::string_view suffix, double scale) {
  model::Stat s;
  if (!m_object.is_object()) return s;
  const std::string tail = "_" + std::string(metric) + std::string(suffix);
  std::vector<std::string> keys;
  for (auto it = m_object.begin(); it != m_object.end(); ++it) {
    const std::string& k = it.key();
    if (k.size() > tail.size() && k.ends_with(tail)) keys.push_back(k);
  }
  for (const std::string& k : keys) {
    const std::string head = k.substr(0, k.size() - tail.size());
    std::optional<double>* field = head == "mean" ? &s.mean : head == "median" ? &s.median
                                 : head == "std" ? &s.std : head == "min" ? &s.min
                                 : head == "max" ? &s.max : nullptr;
    const std::optional<double> percent = percent_of(head);
    if (!field && !percent) continue;
    const std::optional<double> v = number(k, scale);
    if (!v) continue;
    if (!std::isfinite(*v)) {
      unreadable(k, "not a finite number");
      continue;
    }
    if (field) *field = *v;
    else s.set_percentile(*percent, *v);
  }
  return s;
}

Json Fields::rest() {
  Json out = Json::object();
  if (!m_object.is_object()) return out;
  for (auto it = m_object.begin(); it != m_object.end(); ++it) {
    if (m_used.count(it.key())) continue;
    std::string dropped;
    out[it.key()] = finite_copy(it.value(), &dropped);
    note(m_account.extra, m_label + it.key());
    if (!dropped.empty()) note(m_account.warnings, m_label + it.key() + " (kept in extra): " + dropped);
  }
  return out;
}

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

}  // namespace

std::string string_or_empty(const Json& object, std::string_view key) {
  if (!object.is_object()) return "";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

namespace {

// A producer's time of day as UTC. Reads "YYYY-MM-DD[T ]HH:MM:SS[.fraction][zone]" with zone
// "Z", "+hh:mm", "-hh:mm", "+hhmm" or "+hh"; `zoned` says whether the text stated one. Without a
// zone the time is taken as UTC (see fields.hpp). Fractions of a second are dropped. nullopt when
// the text does not start with a valid date and time.
std::optional<date::sys_seconds> utc_time(std::string_view t, bool& zoned) {
  zoned = false;
  if (t.size() < 19 || (t[10] != 'T' && t[10] != ' ')) return std::nullopt;
  std::string clock(t.substr(0, 19));
  clock[10] = 'T';
  std::string_view rest = t.substr(19);
  if (rest.starts_with('.')) {  // the fraction
    std::size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    rest.remove_prefix(n);
  }
  std::chrono::minutes offset{0};
  if (rest == "Z" || rest == "z") {
    zoned = true;
  } else if (!rest.empty()) {
    int h = 0, m = 0;
    const bool sign = rest[0] == '+' || rest[0] == '-';
    const bool ok = sign && digits(rest, 1, 2, h) &&
                    (rest.size() == 3 || (rest.size() == 6 && rest[3] == ':' && digits(rest, 4, 2, m)) ||
                     (rest.size() == 5 && digits(rest, 3, 2, m)));
    // Anything else after the time (" UTC", a malformed offset) is not read as a zone: the time
    // is taken as UTC, as before zones were read, so such run ids do not change.
    if (ok && h <= 23 && m <= 59) {
      offset = std::chrono::hours(h) + std::chrono::minutes(m);
      if (rest[0] == '-') offset = -offset;
      zoned = true;
    }
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(clock, 0, 4, y) || clock[4] != '-' || !digits(clock, 5, 2, mo) || clock[7] != '-' ||
      !digits(clock, 8, 2, d) || !digits(clock, 11, 2, h) || clock[13] != ':' || !digits(clock, 14, 2, mi) ||
      clock[16] != ':' || !digits(clock, 17, 2, sec) || h > 23 || mi > 59 || sec > 59) {
    return std::nullopt;
  }
  const date::year_month_day day{date::year{y}, date::month{unsigned(mo)}, date::day{unsigned(d)}};
  if (!day.ok()) return std::nullopt;  // 2026-02-30
  const date::sys_seconds local = date::sys_days{day} + std::chrono::hours(h) + std::chrono::minutes(mi) +
                                  std::chrono::seconds(sec);
  return local - offset;  // 16:31:41+02:00 is 14:31:41 UTC
}

// "YYYYMMDD-HHMMSS", or ISO 8601 "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_text(date::sys_seconds t, bool iso) {
  const date::sys_days day = std::chrono::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> time{t - day};
  const std::string y = std::to_string(int(ymd.year())), mo = two(int(unsigned(ymd.month()))),
                    d = two(int(unsigned(ymd.day()))), h = two(int(time.hours().count())),
                    mi = two(int(time.minutes().count())), sec = two(int(time.seconds().count()));
  return iso ? y + "-" + mo + "-" + d + "T" + h + ":" + mi + ":" + sec + "Z" : y + mo + d + "-" + h + mi + sec;
}

}  // namespace

std::string run_id_from_text(std::string_view t) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  // 20260529-032503
  if (t.size() == 15 && t[8] == '-' && digits(t, 0, 4, y) && digits(t, 4, 2, mo) && digits(t, 6, 2, d) &&
      digits(t, 9, 2, h) && digits(t, 11, 2, mi) && digits(t, 13, 2, s)) {
    return std::string(t);
  }
  bool zoned = false;
  if (const auto utc = utc_time(t, zoned)) return utc_text(*utc, false);
  if (t.size() == 10 && digits(t, 0, 4, y) && t[4] == '-' && digits(t, 5, 2, mo) && t[7] == '-' && digits(t, 8, 2, d)) {
    return std::to_string(y) + two(mo) + two(d) + "-000000";
  }
  return "";
}

namespace {
std::tm utc(double seconds) {
  const std::time_t t = static_cast<std::time_t>(std::floor(seconds));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string run_id_from_unix(double seconds) {
  const std::tm tm = utc(seconds);
  return std::to_string(tm.tm_year + 1900) + two(tm.tm_mon + 1) + two(tm.tm_mday) + "-" + two(tm.tm_hour) +
         two(tm.tm_min) + two(tm.tm_sec);
}

std::string iso_from_unix(double seconds) {
  const std::tm tm = utc(seconds);
  return std::to_string(tm.tm_year + 1900) + "-" + two(tm.tm_mon + 1) + "-" + two(tm.tm_mday) + "T" +
         two(tm.tm_hour) + ":" + two(tm.tm_min) + ":" + two(tm.tm_sec) + "Z";
}

std::string iso_if_utc(std::string_view text) {
  bool zoned = false;
  const auto utc = utc_time(text, zoned);
  return utc && zoned ? utc_text(*utc, true) : "";
}

std::string short_hash(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  static const char* k_hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 12; ++i) out += k_hex[(h >> (60 - 4 * i)) & 15];
  return out;
}

model::Report new_report(const Source& source, const std::string& format, const std::string& tool) {
  model::Report r;
  r.provenance.tool = tool;
  r.provenance.source_file = source.file;
  r.provenance.source_format = format;
  r.provenance.run_id = "import-" + source.content_hash;
  return r;
}

void precision_from_name(std::string_view name, model::ModelInfo& model) {
  const std::string n = strings::lower(name);
  const auto has = [&](const char* word) { return n.find(word) != std::string::npos; };
  if (has("awq")) model.quantization = "awq";
  else if (has("gptq")) model.quantization = "gptq";
  if (has("nvfp4")) { model.precision = "fp4"; model.quantization = "nvfp4"; }
  else if (has("mxfp4")) { model.precision = "fp4"; model.quantization = "mxfp4"; }
  else if (has("int4")) model.precision = "int4";
  else if (has("int8")) model.precision = "int8";
  else if (has("fp8")) model.precision = "fp8";
  else if (has("bf16")) model.precision = "bf16";
  else if (has("fp16")) model.precision = "fp16";
}

}  // namespace sitegen::ingest
