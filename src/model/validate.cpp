#include "model/validate.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "model/json_io.hpp"
#include "util/embedded.hpp"

namespace sitegen::model {

namespace {

// The JSON Schema types as bits, so a "type" keyword is one mask test per value.
enum TypeBit : unsigned {
  k_null = 1, k_boolean = 2, k_integer = 4, k_number = 8, k_string = 16, k_array = 32, k_object = 64
};

unsigned type_bit(const std::string& type) {
  if (type == "null") return k_null;
  if (type == "boolean") return k_boolean;
  if (type == "integer") return k_integer;
  if (type == "number") return k_number;
  if (type == "string") return k_string;
  if (type == "array") return k_array;
  if (type == "object") return k_object;
  return 0;  // a type no value has
}

// Every type the value is an instance of: an integer is also a number, and so is a float
// without a fraction ("integer" accepts 3.0).
unsigned types_of(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return k_null;
    case Json::value_t::boolean: return k_boolean;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return k_integer | k_number;
    case Json::value_t::number_float: {
      const double d = v.get<double>();
      return std::floor(d) == d ? k_integer | k_number : k_number;
    }
    case Json::value_t::string: return k_string;
    case Json::value_t::array: return k_array;
    default: return k_object;
  }
}

// A short rendering of a value for messages ("n/a", 12, an object).
std::string show(const Json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string escape_pointer(std::string_view key) {
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
    return parent->str() + "/" + (index != k_no_index ? std::to_string(index) : escape_pointer(key));
  }
};

// libstdc++'s regex recurses once per character, so a long enough string overflows the stack.
// The patterns the schema holds are for ids and keys; longer text never matches, unread.
constexpr std::size_t k_max_pattern_text = 1024;

// A "pattern" or "patternProperties" regex, compiled once.
struct Pattern {
  std::string source;
  std::regex regex;
  std::size_t id;  // names this pattern's verdict cache; never reused

  // Object keys repeat across points and files ("p99", "mean"), so each thread remembers verdicts.
  bool matches(const std::string& text) const {
    if (text.size() > k_max_pattern_text) return false;
    thread_local std::unordered_map<std::size_t, std::unordered_map<std::string, bool>> k_seen;
    auto& verdicts = k_seen[id];
    if (auto it = verdicts.find(text); it != verdicts.end()) return it->second;
    const bool result = std::regex_search(text, regex);
    if (verdicts.size() < 100000) verdicts.emplace(text, result);
    return result;
  }
};

struct Node;

struct Property {
  std::string name;
  const Node* schema = nullptr;
  std::vector<std::size_t> patterns;  // the patternProperties that also match this name, in order
};

// One schema (or subschema) with its keywords looked up, its $ref resolved and its messages'
// fixed parts spelled out once, so checking a value does no searching by keyword.
struct Node {
  std::optional<bool> boolean;  // the schema is `true` or `false`
  bool has_ref = false;
  const Node* ref = nullptr;    // null with has_ref: a $ref that cannot be resolved
  std::string ref_text;
  bool has_type = false;
  unsigned types = 0;
  std::string expected_type;  // "a number", "an integer or a string"
  const Json* enum_values = nullptr;
  const Json* const_value = nullptr;
  std::optional<double> minimum, exclusive_minimum, maximum;
  std::string minimum_text, exclusive_minimum_text, maximum_text;
  std::optional<std::size_t> min_length;
  const Pattern* pattern = nullptr;
  std::optional<std::size_t> min_items;
  std::string min_items_text;
  const Node* items = nullptr;
  bool items_bare_type = false;  // items is {"type": "<one type>"} and nothing else
  std::vector<std::string> required;
  std::vector<Property> properties;  // sorted by name
  std::vector<std::pair<const Pattern*, const Node*>> pattern_properties;
  enum class Additional { unchecked, warn, check } additional = Additional::unchecked;
  const Node* additional_schema = nullptr;
  std::optional<std::vector<const Node*>> any_of, one_of;

  const Property* property(const std::string& name) const {
    auto it = std::lower_bound(properties.begin(), properties.end(), name,
                               [](const Property& p, const std::string& n) { return p.name < n; });
    return it != properties.end() && it->name == name ? &*it : nullptr;
  }
};

// A schema compiled into Nodes. Keeps references into the schema document, which must outlive it.
class CompiledSchema {
 public:
  explicit CompiledSchema(const Json& root) : m_root(root) { m_top = compile(root); }

  const Node& top() const { return *m_top; }
  const Json& root() const { return m_root; }

  // Throws the error a $ref that compile() could not resolve gives when a value reaches it.
  [[noreturn]] void unresolved(const Node& node) const {
    resolve(node.ref_text);
    throw Error("schema: unsupported $ref " + node.ref_text);
  }

 private:
  const Json* resolve(const std::string& ref) const {
    const std::string prefix = "#/$defs/";
    if (ref.compare(0, prefix.size(), prefix) != 0) throw Error("schema: unsupported $ref " + ref);
    return &m_root.at("$defs").at(ref.substr(prefix.size()));
  }

  const Node* compile(const Json& schema) {
    if (auto it = m_compiled.find(&schema); it != m_compiled.end()) return it->second;
    Node& node = m_nodes.emplace_back();
    m_compiled.emplace(&schema, &node);  // before the children, so a recursive $ref finds it
    if (schema.is_boolean()) {
      node.boolean = schema.get<bool>();
      return &node;
    }
    if (!schema.is_object()) return &node;
    compile_ref(schema, node);
    compile_type(schema, node);
    if (auto e = schema.find("enum"); e != schema.end()) node.enum_values = &*e;
    if (auto c = schema.find("const"); c != schema.end()) node.const_value = &*c;
    compile_number(schema, node);
    compile_string(schema, node);
    compile_array(schema, node);
    compile_object(schema, node);
    const auto options = [&](const char* keyword, std::optional<std::vector<const Node*>>& out) {
      auto list = schema.find(keyword);
      if (list == schema.end()) return;
      out.emplace();
      for (const Json& option : *list) out->push_back(compile(option));
    };
    options("anyOf", node.any_of);
    options("oneOf", node.one_of);
    return &node;
  }

  // A $ref that does not resolve is only an error once a value reaches it, as it always was.
  void compile_ref(const Json& schema, Node& node) {
    auto ref = schema.find("$ref");
    if (ref == schema.end()) return;
    node.has_ref = true;
    node.ref_text = ref->get<std::string>();
    const Json* target = nullptr;
    try {
      target = resolve(node.ref_text);
    } catch (const std::exception&) {
      return;
    }
    node.ref = compile(*target);
  }

  void compile_type(const Json& schema, Node& node) {
    auto t = schema.find("type");
    if (t == schema.end()) return;
    std::vector<std::string> types;
    if (t->is_string()) types.push_back(t->get<std::string>());
    else for (const Json& x : *t) types.push_back(x.get_ref<const std::string&>());
    node.has_type = true;
    for (std::size_t i = 0; i < types.size(); ++i) {
      node.types |= type_bit(types[i]);
      if (i) node.expected_type += i + 1 == types.size() ? " or " : ", ";
      node.expected_type += (types[i] == "integer" || types[i] == "object" || types[i] == "array" ? "an " : "a ") + types[i];
    }
  }

  void compile_number(const Json& schema, Node& node) {
    const auto bound = [&](const char* keyword, std::optional<double>& value, std::string& text) {
      if (auto m = schema.find(keyword); m != schema.end()) {
        value = m->get<double>();
        text = m->dump();
      }
    };
    bound("minimum", node.minimum, node.minimum_text);
    bound("exclusiveMinimum", node.exclusive_minimum, node.exclusive_minimum_text);
    bound("maximum", node.maximum, node.maximum_text);
  }

  void compile_string(const Json& schema, Node& node) {
    if (auto m = schema.find("minLength"); m != schema.end()) node.min_length = m->get<std::size_t>();
    if (auto p = schema.find("pattern"); p != schema.end()) node.pattern = pattern(p->get<std::string>());
  }

  void compile_array(const Json& schema, Node& node) {
    if (auto m = schema.find("minItems"); m != schema.end()) {
      node.min_items = m->get<std::size_t>();
      node.min_items_text = m->dump();
    }
    if (auto items = schema.find("items"); items != schema.end()) {
      node.items = compile(*items);
      node.items_bare_type = items->is_object() && items->size() == 1 && items->contains("type") &&
                             items->at("type").is_string();
    }
  }

  void compile_object(const Json& schema, Node& node) {
    if (auto req = schema.find("required"); req != schema.end()) {
      for (const Json& key : *req) node.required.push_back(key.get<std::string>());
    }
    if (auto patterns = schema.find("patternProperties"); patterns != schema.end() && patterns->is_object()) {
      for (auto it = patterns->begin(); it != patterns->end(); ++it) {
        node.pattern_properties.emplace_back(pattern(it.key()), compile(*it));
      }
    }
    if (auto props = schema.find("properties"); props != schema.end() && props->is_object()) {
      for (auto it = props->begin(); it != props->end(); ++it) {
        Property p{it.key(), compile(*it), {}};
        for (std::size_t i = 0; i < node.pattern_properties.size(); ++i) {
          if (std::regex_search(p.name, node.pattern_properties[i].first->regex)) p.patterns.push_back(i);
        }
        node.properties.push_back(std::move(p));
      }
      std::sort(node.properties.begin(), node.properties.end(),
                [](const Property& a, const Property& b) { return a.name < b.name; });
    }
    if (auto additional = schema.find("additionalProperties"); additional != schema.end()) {
      if (additional->is_boolean() && !additional->get<bool>()) {
        node.additional = Node::Additional::warn;
      } else if (additional->is_object()) {
        node.additional = Node::Additional::check;
        node.additional_schema = compile(*additional);
      }
    }
  }

  const Pattern* pattern(const std::string& source) {
    static std::atomic<std::size_t> k_next_id{0};
    for (const Pattern& p : m_patterns) {
      if (p.source == source) return &p;
    }
    return &m_patterns.emplace_back(Pattern{source, std::regex(source, std::regex::ECMAScript), k_next_id++});
  }

  const Json& m_root;
  const Node* m_top = nullptr;
  std::deque<Node> m_nodes;
  std::deque<Pattern> m_patterns;
  std::unordered_map<const Json*, const Node*> m_compiled;
};

class Checker {
 public:
  Checker(const CompiledSchema& schema, const std::string& file) : m_schema(schema), m_file(file) {}

  void check(const Node& schema, const Json& v, const Path& at) {
    if (schema.boolean) {
      if (!*schema.boolean) error(at, "not allowed here");
      return;
    }
    if (schema.has_ref) {
      if (!schema.ref) m_schema.unresolved(schema);
      check(*schema.ref, v, at);
    }
    if (schema.has_type && !(schema.types & types_of(v))) {
      error(at, "expected " + schema.expected_type + ", got " + show(v));
      return;
    }
    if (schema.enum_values) {
      bool found = false;
      for (const Json& option : *schema.enum_values) found = found || option == v;
      if (!found) error(at, "expected one of " + schema.enum_values->dump() + ", got " + show(v));
    }
    if (schema.const_value && *schema.const_value != v) {
      error(at, "expected " + schema.const_value->dump() + ", got " + show(v));
    }
    if (v.is_number()) check_number(schema, v, at);
    if (v.is_string()) check_string(schema, v, at);
    if (v.is_array()) check_array(schema, v, at);
    if (v.is_object()) check_object(schema, v, at);
    if (schema.any_of) check_any_of(*schema.any_of, v, at);
    if (schema.one_of) check_any_of(*schema.one_of, v, at);
  }

  std::vector<Problem> take() { return std::move(m_problems); }

 private:
  void check_number(const Node& schema, const Json& v, const Path& at) {
    const double x = v.get<double>();
    if (schema.minimum && x < *schema.minimum) {
      error(at, "must be at least " + schema.minimum_text + ", got " + show(v));
    }
    if (schema.exclusive_minimum && x <= *schema.exclusive_minimum) {
      error(at, "must be greater than " + schema.exclusive_minimum_text + ", got " + show(v));
    }
    if (schema.maximum && x > *schema.maximum) {
      error(at, "must be at most " + schema.maximum_text + ", got " + show(v));
    }
  }

  void check_string(const Node& schema, const Json& v, const Path& at) {
    const std::string& s = v.get_ref<const std::string&>();
    if (schema.min_length && s.size() < *schema.min_length) error(at, s.empty() ? "must not be empty" : "too short");
    if (schema.pattern && s.size() > k_max_pattern_text) {
      error(at, "is " + std::to_string(s.size()) + " characters long; at most " + std::to_string(k_max_pattern_text) +
                    " are checked against the pattern " + schema.pattern->source);
    } else if (schema.pattern && !schema.pattern->matches(s)) {
      error(at, "does not match the pattern " + schema.pattern->source + ": " + show(v));
    }
  }

  void check_array(const Node& schema, const Json& v, const Path& at) {
    if (schema.min_items && v.size() < *schema.min_items) {
      error(at, "needs at least " + schema.min_items_text + " item(s), got " + std::to_string(v.size()));
    }
    if (!schema.items) return;
    // Per-request sample arrays hold millions of numbers: when the item schema is a bare type,
    // check it inline and build a JSON pointer only for an element that fails.
    if (schema.items_bare_type) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (schema.items->types & types_of(v[i])) continue;
        check(*schema.items, v[i], Path{&at, {}, i});
        if (m_problems.size() > 200) break;
      }
      return;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::size_t before = m_problems.size();
      check(*schema.items, v[i], Path{&at, {}, i});
      if (m_problems.size() - before > 0 && m_problems.size() > 200) break;
    }
  }

  void check_object(const Node& schema, const Json& v, const Path& at) {
    for (const std::string& key : schema.required) {
      if (!v.contains(key)) error(at, "missing required field \"" + key + "\"");
    }
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& key = it.key();
      const Path child{&at, key};
      bool known = false;
      if (const Property* p = schema.property(key)) {
        known = true;
        check(*p->schema, *it, child);
        for (std::size_t i : p->patterns) check(*schema.pattern_properties[i].second, *it, child);
      } else {
        for (const auto& [pattern, pattern_schema] : schema.pattern_properties) {
          if (pattern->matches(key)) {
            known = true;
            check(*pattern_schema, *it, child);
          }
        }
      }
      if (known) continue;
      if (schema.additional == Node::Additional::warn) {
        warning(child, "unknown field, ignored by this version of sitegen");
      } else if (schema.additional == Node::Additional::check) {
        check(*schema.additional_schema, *it, child);
      }
    }
  }

  void check_any_of(const std::vector<const Node*>& options, const Json& v, const Path& at) {
    for (const Node* option : options) {
      Checker trial(m_schema, m_file);
      trial.check(*option, v, at);
      if (!has_errors(trial.m_problems)) return;
    }
    error(at, "does not match any allowed form, got " + show(v));
  }

  void error(const Path& at, const std::string& message) {
    std::string where = at.str();
    m_problems.push_back({Problem::Severity::error, m_file, where.empty() ? "/" : where, message});
  }
  void warning(const Path& at, const std::string& message) {
    m_problems.push_back({Problem::Severity::warning, m_file, at.str(), message});
  }

  const CompiledSchema& m_schema;
  const std::string& m_file;
  std::vector<Problem> m_problems;
};

std::vector<Problem> validate_compiled(const CompiledSchema& schema, const Json& document, const std::string& file) {
  Checker checker(schema, file);
  checker.check(schema.top(), document, Path{});
  return checker.take();
}

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
  return validate_compiled(CompiledSchema(schema), document, file);
}

bool claims_to_be_report(const Json& document) {
  if (!document.is_object()) return false;
  auto s = document.find("schema");
  return s != document.end() && s->is_string() && s->get<std::string>().rfind("sitegen.report/", 0) == 0;
}

std::vector<Problem> validate_report(const Json& document, const std::string& file) {
  // Compiled once for the process; checking only reads it, so threads share it.
  static const CompiledSchema k_compiled(report_schema());
  std::vector<Problem> problems = validate_compiled(k_compiled, document, file);
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
