#include "model/json_io.hpp"

#include "model/validate.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace sitegen::model {

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::pair<std::size_t, std::string> number_out_of_range(std::string_view text, std::size_t from,
                                                        const nlohmann::json::out_of_range& e) {
  const std::string what = e.what();
  const auto open = what.find('\''), close = what.rfind('\'');
  if (open == std::string::npos || close <= open + 1) return {std::string_view::npos, "invalid JSON: " + what};
  const std::string number = what.substr(open + 1, close - open - 1);
  return {text.find(number, from), "invalid JSON: number " + number + " is out of range of a double"};
}

namespace {

// One open array or object while scanning: its key or index so far, for the pointer.
struct Level {
  bool array = false;
  std::size_t index = 0;
  std::string key;
};

std::string pointer_of(const std::vector<Level>& levels) {
  std::string out;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (i == 12) {
      out += "/... (" + std::to_string(levels.size() - i) + " more)";
      break;
    }
    out += '/';
    if (levels[i].array) {
      out += std::to_string(levels[i].index);
      continue;
    }
    for (const char c : levels[i].key.substr(0, 40)) {  // RFC 6901 escapes
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
  }
  return out;
}

}  // namespace

std::string nesting_problem(std::string_view text, std::size_t max_depth) {
  std::vector<Level> levels;
  bool expect_key = false;  // the next string in an object is a key
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t start = ++i;
      while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      if (expect_key && !levels.empty()) levels.back().key.assign(text.substr(start, std::min(i, text.size()) - start));
      expect_key = false;
    } else if (c == '{' || c == '[') {
      if (levels.size() == max_depth) {
        const auto [line, column] = line_column(text, i);
        return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + pointer_of(levels) +
               ": nested deeper than " + std::to_string(max_depth) + " levels (sitegen reads at most " +
               std::to_string(max_depth) + ")";
      }
      levels.push_back({c == '[', 0, {}});
      expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (!levels.empty()) levels.pop_back();
      expect_key = false;
    } else if (c == ',' && !levels.empty()) {
      if (levels.back().array) ++levels.back().index;
      else expect_key = true;
    }
  }
  return "";
}

Json parse_json(std::string_view text, const std::string& file) {
  if (strings::trim(text).empty()) throw Error(file + ": empty file, expected a JSON document");
  if (const std::size_t bad = strings::first_invalid_utf8(text); bad != std::string_view::npos) {
    const auto [line, column] = line_column(text, bad);
    throw Error(file + ": line " + std::to_string(line) + ", column " + std::to_string(column) +
                ": invalid UTF-8; JSON text must be UTF-8");
  }
  if (const std::string deep = nesting_problem(text); !deep.empty()) throw Error(file + ": " + deep);
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    const auto [line, column] = line_column(text, offset);
    std::string what = e.what();
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line ...";
    // keep only the part after the last ": " which says what was wrong.
    const auto cut = what.rfind(": ");
    if (cut != std::string::npos) what = what.substr(cut + 2);
    std::string hint;
    if (offset + 1 >= text.size()) hint = " (the file looks truncated)";
    throw Error(file + ": line " + std::to_string(line) + ", column " + std::to_string(column) +
                ": invalid JSON: " + what + hint);
  } catch (const nlohmann::json::out_of_range& e) {
    const auto [offset, what] = number_out_of_range(text, 0, e);
    const auto [line, column] = line_column(text, offset == std::string_view::npos ? 0 : offset);
    throw Error(file + ": line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what);
  }
}

Json read_json_file(const std::filesystem::path& path, std::size_t max_bytes) {
  return parse_json(files::read(path, max_bytes), path.string());
}

Report read_report(const std::filesystem::path& path) {
  return parse_report(files::read(path, k_max_report_bytes), path.string());
}

Report parse_report(std::string_view text, const std::string& file) {
  const Json json = parse_json(text, file);
  const std::vector<Problem> problems = validate_report(json, file);
  if (has_errors(problems)) {
    std::string message;
    for (const Problem& p : problems) {
      if (p.severity != Problem::Severity::error) continue;
      if (!message.empty()) message += "\n";
      message += p.str();
    }
    throw Error(message);
  }
  return from_json(json, file);
}

}  // namespace sitegen::model
