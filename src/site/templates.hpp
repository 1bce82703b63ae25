#pragma once
// Mustache templates: the only file that touches kainjow/mustache. Every {{value}} is
// HTML-escaped here; {{{value}}} is reserved for HTML that sitegen produced itself (sanitised
// markdown, SVG charts, the rendered page body).

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace sitegen::site {

using Json = nlohmann::ordered_json;

class Templates {
 public:
  // Templates from `dir` where it has the file, else the ones embedded in the binary
  // ("templates/<name>"). An empty dir means embedded only.
  explicit Templates(std::filesystem::path dir = {});
  ~Templates();
  Templates(const Templates&) = delete;
  Templates& operator=(const Templates&) = delete;

  // The raw text of a template file (e.g. "style.css"). Throws Error naming the file when neither
  // the directory nor the binary has it.
  std::string text(const std::string& name) const;

  // True when the file exists in the directory or the binary.
  bool has(const std::string& name) const;

  // Renders "<name>.mustache" with `view` (objects, arrays, strings, numbers, booleans; null and
  // empty arrays are false). Files named partial-<x>.mustache are partials: {{> partial-<x>}}, inlined
  // before parsing. Compiled once per name. Throws Error "templates/<name>.mustache: ..."
  // for a template that does not parse.
  std::string render(const std::string& name, Json view);

  // Parses "<name>.mustache" now (as render would), so a broken template fails early.
  void compile(const std::string& name);

  // A hash of every template file this set would use: the embedded ones and those in the
  // directory. Changes when any template or the stylesheet does.
  std::uint64_t fingerprint() const;

 private:
  struct Compiled;
  Compiled& compiled(const std::string& name);
  const std::map<std::string, std::string>& partials();

  std::filesystem::path m_dir;
  std::map<std::string, std::string> m_partials;
  bool m_partials_loaded = false;
  std::map<std::string, std::unique_ptr<Compiled>> m_compiled;
};

}  // namespace sitegen::site
