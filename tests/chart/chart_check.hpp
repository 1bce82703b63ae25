#pragma once
// Helpers for chart tests: a small well-formedness check of SVG text, reading back boxes and
// attributes the charts write, and golden files.

#include <cstdlib>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "chart/layout.hpp"
#include "support.hpp"

namespace sitegen::test {

// "" when svg is well-formed XML as far as charts need (balanced tags, quoted attributes, no raw
// '<' or stray '&' in text); otherwise what is wrong.
inline std::string xml_problem(const std::string& svg) {
  std::vector<std::string> open;
  std::size_t i = 0;
  while (i < svg.size()) {
    if (svg[i] == '&') {
      const std::size_t semi = svg.find(';', i);
      static const std::regex entity("&(amp|lt|gt|quot|#39|#[0-9]+);");
      if (semi == std::string::npos || !std::regex_match(svg.substr(i, semi - i + 1), entity))
        return "stray '&' at " + std::to_string(i);
      i = semi + 1;
      continue;
    }
    if (svg[i] != '<') {
      if (svg[i] == '>') return "raw '>' in text at " + std::to_string(i);
      ++i;
      continue;
    }
    // A tag: find its end, skipping quoted attribute values.
    std::size_t j = i + 1;
    bool quoted = false;
    while (j < svg.size() && (quoted || svg[j] != '>')) {
      if (svg[j] == '"') quoted = !quoted;
      else if (quoted && svg[j] == '<') return "raw '<' in attribute at " + std::to_string(j);
      ++j;
    }
    if (j >= svg.size()) return "unterminated tag at " + std::to_string(i);
    std::string tag = svg.substr(i + 1, j - i - 1);
    if (!tag.empty() && tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) return "unbalanced </" + name + ">";
      open.pop_back();
    } else if (!tag.empty() && tag.back() != '/') {
      open.push_back(tag.substr(0, tag.find(' ')));
    }
    i = j + 1;
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

// The value of attribute `name` in the first element whose class attribute is exactly `cls`.
inline std::optional<double> attr_of_class(const std::string& svg, const std::string& cls, const std::string& name) {
  const std::size_t at = svg.find("class=\"" + cls + "\"");
  if (at == std::string::npos) return std::nullopt;
  const std::size_t start = svg.rfind('<', at), end = svg.find('>', at);
  const std::string element = svg.substr(start, end - start);
  const std::regex re(" " + name + "=\"([^\"]*)\"");
  std::smatch m;
  if (!std::regex_search(element, m, re)) return std::nullopt;
  return std::stod(m[1].str());
}

// The rectangle of the first element with class `cls` (x, y, width, height attributes).
inline std::optional<chart::detail::Box> box_of_class(const std::string& svg, const std::string& cls) {
  auto x = attr_of_class(svg, cls, "x"), y = attr_of_class(svg, cls, "y");
  auto w = attr_of_class(svg, cls, "width"), h = attr_of_class(svg, cls, "height");
  if (!x || !y || !w || !h) return std::nullopt;
  return chart::detail::Box{*x, *y, *w, *h};
}

// Every value of attribute `name` on elements that carry class exactly `cls`.
inline std::vector<double> attrs_of_class(const std::string& svg, const std::string& cls, const std::string& name) {
  std::vector<double> out;
  const std::regex element("<[a-z]+ class=\"" + cls + "\"[^>]*>");
  const std::regex attr(" " + name + "=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), element); it != std::sregex_iterator(); ++it) {
    const std::string e = it->str();
    std::smatch m;
    if (std::regex_search(e, m, attr)) out.push_back(std::stod(m[1].str()));
  }
  return out;
}

// The text of every <text class="cls"> element.
inline std::vector<std::string> texts_of_class(const std::string& svg, const std::string& cls) {
  std::vector<std::string> out;
  const std::regex re("<text class=\"" + cls + "\"[^>]*>([^<]*)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

// Compares `actual` with tests/golden/chart/<name>; SITEGEN_UPDATE_GOLDEN=1 rewrites the file.
inline std::string golden_mismatch(const std::string& name, const std::string& actual) {
  return golden_mismatch_at("chart/" + name, actual);
}

}  // namespace sitegen::test

namespace sitegen::test {

// The width and height of the viewBox of the root <svg>.
inline std::pair<double, double> view_box(const std::string& svg) {
  static const std::regex re("viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"");
  std::smatch m;
  if (!std::regex_search(svg, m, re)) return {0, 0};
  return {std::stod(m[1].str()), std::stod(m[2].str())};
}

// True when svg has "nan" or "inf" anywhere, in any case (a number that went wrong).
inline bool has_non_finite_text(const std::string& svg) {
  std::string lower;
  for (char c : svg) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos;
}

// How many times `needle` occurs in `hay`.
inline std::size_t count_of(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

}  // namespace sitegen::test
