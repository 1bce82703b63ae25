#include "model/validate.hpp"

#include <cmath>
#include <map>
#include <regex>
#include <string>
#include <string_view>

#include "model/json_io.hpp"
#include "util/embedded.hpp"

namespace sitegen::model {

namespace {

std::string type_name(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

bool has_type(const Json& v, const std::string& type) {
  if (type == "number") return v.is_number();
  if (type == "integer") {
    return v.is_number_integer() || v.is_number_unsigned() ||
           (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  }
  return type_name(v) == type;
}

// A short rendering of a value for messages ("n/a", 12, an object).
std::string show(const Json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string escape_pointer(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Where a value is, as a JSON pointer that is only spelled out when a problem is reported:
// validating a report visits thousands of values and almost all of them are fine.
struct Path {
  static constexpr std::size_t k_no_index = static_cast<std::size_t>(-1);
  const Path* parent = nullptr;
  std::string_view key;               // an object member (unescaped), or
  std::size_t index = k_no_index;     // an array element
  std::string str() const {
    if (!parent) return "";
    return parent->str() + "/" + (index != k_no_index ? std::to_string(index) : escape_pointer(std::string(key)));
  }
};

class Checker {
 public:
  Checker(const Json& root, const std::string& file) : m_root(root), m_file(file) {}

  void check(const Json& schema, const Json& v, const Path& at) {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) error(at, "not allowed here");
      return;
    }
    if (auto ref = schema.find("$ref"); ref != schema.end()) {
      check(resolve(ref->get<std::string>()), v, at);
    }
    if (!check_type(schema, v, at)) return;
    if (auto e = schema.find("enum"); e != schema.end()) {
      bool found = false;
      for (const Json& option : *e) found = found || option == v;
      if (!found) error(at, "expected one of " + e->dump() + ", got " + show(v));
    }
    if (auto c = schema.find("const"); c != schema.end() && *c != v) {
      error(at, "expected " + c->dump() + ", got " + show(v));
    }
    if (v.is_number()) check_number(schema, v, at);
    if (v.is_string()) check_string(schema, v, at);
    if (v.is_array()) check_array(schema, v, at);
    if (v.is_object()) check_object(schema, v, at);
    if (auto any = schema.find("anyOf"); any != schema.end()) check_any_of(*any, v, at);
    if (auto one = schema.find("oneOf"); one != schema.end()) check_any_of(*one, v, at);
  }

  std::vector<Problem> take() { return std::move(m_problems); }

 private:
  const Json& resolve(const std::string& ref) {
    const std::string prefix = "#/$defs/";
    if (ref.compare(0, prefix.size(), prefix) != 0) throw Error("schema: unsupported $ref " + ref);
    return m_root.at("$defs").at(ref.substr(prefix.size()));
  }

  bool check_type(const Json& schema, const Json& v, const Path& at) {
    auto t = schema.find("type");
    if (t == schema.end()) return true;
    if (t->is_string()) {
      if (has_type(v, t->get_ref<const std::string&>())) return true;
    } else {
      for (const Json& x : *t) {
        if (has_type(v, x.get_ref<const std::string&>())) return true;
      }
    }
    std::vector<std::string> types;
    if (t->is_string()) types.push_back(t->get<std::string>());
    else for (const Json& x : *t) types.push_back(x.get<std::string>());
    std::string expected;
    for (std::size_t i = 0; i < types.size(); ++i) {
      if (i) expected += i + 1 == types.size() ? " or " : ", ";
      expected += (types[i] == "integer" || types[i] == "object" || types[i] == "array" ? "an " : "a ") + types[i];
    }
    error(at, "expected " + expected + ", got " + show(v));
    return false;
  }

  void check_number(const Json& schema, const Json& v, const Path& at) {
    const double x = v.get<double>();
    if (auto m = schema.find("minimum"); m != schema.end() && x < m->get<double>()) {
      error(at, "must be at least " + m->dump() + ", got " + show(v));
    }
    if (auto m = schema.find("exclusiveMinimum"); m != schema.end() && x <= m->get<double>()) {
      error(at, "must be greater than " + m->dump() + ", got " + show(v));
    }
    if (auto m = schema.find("maximum"); m != schema.end() && x > m->get<double>()) {
      error(at, "must be at most " + m->dump() + ", got " + show(v));
    }
  }

  void check_string(const Json& schema, const Json& v, const Path& at) {
    const std::string& s = v.get_ref<const std::string&>();
    if (auto m = schema.find("minLength"); m != schema.end() && s.size() < m->get<std::size_t>()) {
      error(at, s.empty() ? "must not be empty" : "too short");
    }
    if (auto p = schema.find("pattern"); p != schema.end()) {
      if (!matches(p->get<std::string>(), s)) {
        error(at, "does not match the pattern " + p->get<std::string>() + ": " + show(v));
      }
    }
  }

  void check_array(const Json& schema, const Json& v, const Path& at) {
    if (auto m = schema.find("minItems"); m != schema.end() && v.size() < m->get<std::size_t>()) {
      error(at, "needs at least " + m->dump() + " item(s), got " + std::to_string(v.size()));
    }
    if (auto items = schema.find("items"); items != schema.end()) {
      // Per-request sample arrays hold millions of numbers: when the item schema is a bare type,
      // check it inline and build a JSON pointer only for an element that fails.
      if (items->is_object() && items->size() == 1 && items->contains("type") && items->at("type").is_string()) {
        const std::string type = items->at("type").get<std::string>();
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (has_type(v[i], type)) continue;
          check(*items, v[i], Path{&at, {}, i});
          if (m_problems.size() > 200) break;
        }
        return;
      }
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::size_t before = m_problems.size();
        check(*items, v[i], Path{&at, {}, i});
        if (m_problems.size() - before > 0 && m_problems.size() > 200) break;
      }
    }
  }

  void check_object(const Json& schema, const Json& v, const Path& at) {
    if (auto req = schema.find("required"); req != schema.end()) {
      for (const Json& key : *req) {
        if (!v.contains(key.get<std::string>())) {
          error(at, "missing required field \"" + key.get<std::string>() + "\"");
        }
      }
    }
    const auto props = schema.find("properties");
    const auto patterns = schema.find("patternProperties");
    const auto additional = schema.find("additionalProperties");
    for (auto it = v.begin(); it != v.end(); ++it) {
      const Path child{&at, it.key()};
      bool known = false;
      if (props != schema.end()) {
        if (auto p = props->find(it.key()); p != props->end()) {
          known = true;
          check(*p, *it, child);
        }
      }
      if (patterns != schema.end()) {
        for (auto pit = patterns->begin(); pit != patterns->end(); ++pit) {
          if (matches(pit.key(), it.key())) {
            known = true;
            check(*pit, *it, child);
          }
        }
      }
      if (known || additional == schema.end()) continue;
      if (additional->is_boolean() && !additional->get<bool>()) {
        warning(child, "unknown field, ignored by this version of sitegen");
      } else if (additional->is_object()) {
        check(*additional, *it, child);
      }
    }
  }

  void check_any_of(const Json& options, const Json& v, const Path& at) {
    for (const Json& option : options) {
      Checker trial(m_root, m_file);
      trial.check(option, v, at);
      if (!has_errors(trial.m_problems)) return;
    }
    error(at, "does not match any allowed form, got " + show(v));
  }

  // Object keys repeat across points and files ("p99", "mean"), so remember each verdict.
  bool matches(const std::string& pattern, const std::string& key) {
    thread_local std::map<std::string, std::map<std::string, bool, std::less<>>, std::less<>> k_seen;
    auto& verdicts = k_seen[pattern];
    if (auto it = verdicts.find(key); it != verdicts.end()) return it->second;
    const bool result = std::regex_search(key, regex(pattern));
    if (verdicts.size() < 100000) verdicts.emplace(key, result);
    return result;
  }

  const std::regex& regex(const std::string& pattern) {
    auto it = m_regex.find(pattern);
    if (it == m_regex.end()) it = m_regex.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
    return it->second;
  }

  void error(const Path& at, const std::string& message) {
    std::string where = at.str();
    m_problems.push_back({Problem::Severity::error, m_file, where.empty() ? "/" : where, message});
  }
  void warning(const Path& at, const std::string& message) {
    m_problems.push_back({Problem::Severity::warning, m_file, at.str(), message});
  }

  const Json& m_root;
  const std::string& m_file;
  std::vector<Problem> m_problems;
  std::map<std::string, std::regex>& m_regex = regex_cache();
  static std::map<std::string, std::regex>& regex_cache() {
    thread_local std::map<std::string, std::regex> k_cache;
    return k_cache;
  }
};

}  // namespace

const Json& report_schema() {
  static const Json k_schema = [] {
    const auto text = embedded::find("site/schema/report-v1.schema.json");
    if (!text) throw Error("internal: report schema not embedded");
    return parse_json(*text, "site/schema/report-v1.schema.json");
  }();
  return k_schema;
}

std::vector<Problem> validate_against(const Json& schema, const Json& document, const std::string& file) {
  Checker checker(schema, file);
  checker.check(schema, document, Path{});
  return checker.take();
}

bool claims_to_be_report(const Json& document) {
  if (!document.is_object()) return false;
  auto s = document.find("schema");
  return s != document.end() && s->is_string() && s->get<std::string>().rfind("sitegen.report/", 0) == 0;
}

std::vector<Problem> validate_report(const Json& document, const std::string& file) {
  std::vector<Problem> problems = validate_against(report_schema(), document, file);
  if (has_errors(problems) || !document.is_object()) return problems;
  // Rules a schema cannot say: a point's percentiles must be ordered, and samples aligned.
  const Json& points = document.at("points");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Json& p = points[i];
    const std::string at = "/points/" + std::to_string(i);
    for (const char* metric : {"ttft_ms", "tpot_ms", "itl_ms", "e2el_ms"}) {
      if (!p.contains(metric)) continue;
      const Json& s = p.at(metric);
      if (s.contains("min") && s.contains("max") && s.at("min").get<double>() > s.at("max").get<double>()) {
        problems.push_back({Problem::Severity::error, file, at + "/" + metric, "min is greater than max"});
      }
    }
    if (p.contains("samples")) {
      const Json& s = p.at("samples");
      std::size_t n = 0;
      std::string first;
      for (const char* key : {"ttft_ms", "e2el_ms", "input_tokens", "output_tokens"}) {
        if (!s.contains(key) || s.at(key).empty()) continue;
        if (first.empty()) {
          first = key;
          n = s.at(key).size();
        } else if (s.at(key).size() != n) {
          problems.push_back({Problem::Severity::error, file, at + "/samples/" + key,
                              "has " + std::to_string(s.at(key).size()) + " values but " + first +
                                  " has " + std::to_string(n) + "; samples must align per request"});
        }
      }
    }
  }
  return problems;
}

}  // namespace sitegen::model
