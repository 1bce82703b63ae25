#include "ingest/value_stream.hpp"

#include <cmath>
#include <limits>

#include "model/json_io.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::ingest {

namespace {

// Bare non-finite literals become these strings before nlohmann parses the value (it rejects
// them), and are turned back into numbers afterwards. A NUL cannot occur in a real string key.
constexpr std::string_view k_pos_inf = "\"\\u0000+inf\"";
constexpr std::string_view k_neg_inf = "\"\\u0000-inf\"";
constexpr std::string_view k_nan = "\"\\u0000nan\"";

struct Substitution {
  std::size_t original = 0;  // offset in the file of the literal
  std::size_t rewritten = 0; // offset in the rewritten value of the replacement
  std::size_t original_length = 0, rewritten_length = 0;
};

// The extent of one top-level value and the non-finite literals inside it.
struct Segment {
  std::size_t begin = 0, end = 0;
  std::vector<std::pair<std::size_t, std::string_view>> literals;  // offset, replacement
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool ends_scalar(char c) { return is_space(c) || c == ',' || c == ']' || c == '}' || c == '[' || c == '{' || c == '"'; }

std::string where(std::string_view text, std::size_t offset, const std::string& file) {
  const auto [line, column] = model::line_column(text, offset);
  return file + ": line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Recognises Infinity, -Infinity and NaN at offset i (outside strings); returns the literal's
// length and sets the replacement, or 0.
std::size_t non_finite_at(std::string_view text, std::size_t i, std::string_view& replacement) {
  const std::string_view rest = text.substr(i);
  if (rest.starts_with("Infinity")) { replacement = k_pos_inf; return 8; }
  if (rest.starts_with("-Infinity")) { replacement = k_neg_inf; return 9; }
  if (rest.starts_with("NaN")) { replacement = k_nan; return 3; }
  return 0;
}

Segment scan_value(std::string_view text, std::size_t start, const std::string& file) {
  Segment seg;
  seg.begin = start;
  std::size_t i = start;
  int depth = 0;
  bool in_string = false;
  const std::size_t n = text.size();
  while (i < n) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') {
        in_string = false;
        if (depth == 0) { ++i; break; }
      }
      ++i;
      continue;
    }
    std::string_view replacement;
    if (const std::size_t len = non_finite_at(text, i, replacement)) {
      seg.literals.emplace_back(i, replacement);
      i += len;
      if (depth == 0) break;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') {
      if (--depth <= 0) { ++i; break; }
    } else if (depth == 0 && (i == start || !ends_scalar(c))) {
      // a top-level scalar: read to its end
      while (i < n && !ends_scalar(text[i])) ++i;
      break;
    }
    ++i;
  }
  if (in_string || depth > 0) {
    throw Error(where(text, start, file) + ": the JSON value starting here is not complete at the end of " +
                "the file (truncated?)");
  }
  seg.end = i;
  return seg;
}

void restore_non_finite(Json& j) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (!s.empty() && s[0] == '\0') {
      if (s == std::string("\0+inf", 5)) j = std::numeric_limits<double>::infinity();
      else if (s == std::string("\0-inf", 5)) j = -std::numeric_limits<double>::infinity();
      else if (s == std::string("\0nan", 4)) j = nullptr;
    }
  } else if (j.is_structured()) {
    for (auto& child : j) restore_non_finite(child);
  }
}

Json parse_segment(std::string_view text, const Segment& seg, const std::string& file) {
  std::string rewritten;
  std::vector<Substitution> subs;
  std::string_view body = text.substr(seg.begin, seg.end - seg.begin);
  if (!seg.literals.empty()) {
    std::size_t copied = seg.begin;
    for (const auto& [offset, replacement] : seg.literals) {
      rewritten.append(text.substr(copied, offset - copied));
      std::string_view dummy;
      const std::size_t len = non_finite_at(text, offset, dummy);
      subs.push_back({offset, rewritten.size(), len, replacement.size()});
      rewritten.append(replacement);
      copied = offset + len;
    }
    rewritten.append(text.substr(copied, seg.end - copied));
    body = rewritten;
  }
  try {
    Json value = Json::parse(body.begin(), body.end());
    if (!subs.empty()) restore_non_finite(value);
    return value;
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based in the rewritten text; map it back to the file.
    std::size_t pos = e.byte > 0 ? e.byte - 1 : 0;
    std::size_t offset = seg.begin + pos;
    for (const Substitution& s : subs) {
      if (pos < s.rewritten) break;
      if (pos < s.rewritten + s.rewritten_length) {
        offset = s.original;
        break;
      }
      offset = offset + s.original_length - s.rewritten_length;
    }
    std::string what = e.what();
    if (const auto colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
    throw Error(where(text, std::min(offset, text.size()), file) + ": invalid JSON: " + what);
  } catch (const nlohmann::json::out_of_range& e) {
    // A number too large for a double ("1e999"); the substituted literals are not numbers, so
    // the number's text is found in the file itself.
    const auto [offset, what] = model::number_out_of_range(text, seg.begin, e);
    throw Error(where(text, offset < seg.end ? offset : seg.begin, file) + ": " + what);
  }
}

}  // namespace

std::vector<StreamValue> read_values(std::string_view text, const std::string& file) {
  if (strings::trim(text).empty()) throw Error(file + ": the file is empty (no JSON value in it)");
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      throw Error(where(text, i, file) + ": not a text file (control byte 0x" + "0123456789abcdef"[c >> 4] +
                  "0123456789abcdef"[c & 15] + "); expected JSON");
    }
  }
  if (const std::size_t bad = strings::first_invalid_utf8(text); bad != std::string_view::npos) {
    throw Error(where(text, bad, file) + ": not UTF-8 text (binary data?); expected JSON");
  }
  // Before parsing: a value nested deeper than this would exhaust the stack of the recursive
  // copies and dumps that follow.
  if (const std::string deep = model::nesting_problem(text); !deep.empty()) throw Error(file + ": " + deep);
  std::size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::vector<StreamValue> values;
  std::size_t line = 1, counted = 0;  // lines counted incrementally: JSONL files can be long
  while (true) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    const Segment seg = scan_value(text, i, file);
    for (; counted < seg.begin; ++counted) line += text[counted] == '\n';
    StreamValue v;
    v.line = line;
    v.value = parse_segment(text, seg, file);
    values.push_back(std::move(v));
    i = seg.end;
  }
  return values;
}

namespace {

struct CopyBudget {
  std::size_t bytes = 0;  // about what the copy takes in a report (two-space indent included)
  bool too_deep = false;
};

Json bounded_copy(const Json& value, std::size_t depth, CopyBudget& budget) {
  // A report holds extra about 6 levels down; each element costs its indent and a line end.
  budget.bytes += 2 * (depth + 6) + 2;
  if (value.is_structured() && depth == k_extra_depth) {
    budget.too_deep = true;
    return "(dropped by sitegen: nested deeper than " + std::to_string(k_extra_depth) + " levels)";
  }
  if (budget.bytes > k_extra_bytes) return nullptr;  // the caller drops the whole value
  if (value.is_number_float()) {
    const double d = value.get<double>();
    budget.bytes += 24;
    if (std::isnan(d)) return nullptr;
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    return value;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& v : value) out.push_back(bounded_copy(v, depth + 1, budget));
    return out;
  }
  if (value.is_object()) {
    Json out = Json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      budget.bytes += it.key().size() + 4;
      out[it.key()] = bounded_copy(it.value(), depth + 1, budget);
    }
    return out;
  }
  budget.bytes += value.is_string() ? value.get_ref<const std::string&>().size() + 2 : 24;
  return value;
}

}  // namespace

Json finite_copy(const Json& value, std::string* dropped) {
  CopyBudget budget;
  Json out = bounded_copy(value, 0, budget);
  if (budget.bytes > k_extra_bytes) {
    if (dropped) *dropped = "larger than " + std::to_string(k_extra_bytes >> 20) + " MiB as report JSON; not kept";
    return "(dropped by sitegen: larger than " + std::to_string(k_extra_bytes >> 20) + " MiB)";
  }
  if (budget.too_deep && dropped) {
    *dropped = "parts nested deeper than " + std::to_string(k_extra_depth) + " levels not kept";
  }
  return out;
}

}  // namespace sitegen::ingest
