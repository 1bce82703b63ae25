#pragma once
// Mustache templates and the views they render: the only files that touch kainjow/mustache.
// Every {{value}} is HTML-escaped here; {{{value}}} is reserved for HTML that sitegen produced
// itself (sanitised markdown, SVG charts, the rendered page body).

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include <kainjow/mustache.hpp>

namespace sitegen::site {

// What a template renders, built by the page views straight into mustache's own data (a site of
// 10,000 runs renders 10,000 run pages; no intermediate tree). An object by default; list() makes
// a list. Values are texts, flags, objects and lists:
//   - a text that is empty is false, so {{#x}}...{{/x}} hides it;
//   - setting a list `x` also sets the flag `has_x` (true when it has items): mustache iterates a
//     list in {{#x}}, so a template wraps a list's heading and table in {{#has_x}}...{{/has_x}}.
class View {
 public:
  View() = default;
  static View list();

  View& set(const std::string& key, const std::string& text) &;
  View& set(const std::string& key, const char* text) &;
  View& set(const std::string& key, View child) &;
  View& flag(const std::string& key, bool value) &;
  View&& set(const std::string& key, const std::string& text) && { return std::move(set(key, text)); }
  View&& set(const std::string& key, const char* text) && { return std::move(set(key, text)); }
  View&& set(const std::string& key, View child) && { return std::move(set(key, std::move(child))); }
  View&& flag(const std::string& key, bool value) && { return std::move(flag(key, value)); }

  // Appends to a list. set() on a list and push() on an object are programming errors and throw
  // std::logic_error.
  View& push(View item);
  View& push(const std::string& text);

  bool is_list() const { return m_data.is_list(); }
  std::size_t size() const;                       // items of a list, 0 for an object
  bool has(const std::string& key) const;         // an object's key
  // The text under key, "" when there is none (or it is not a text).
  std::string text(const std::string& key) const;

  const kainjow::mustache::data& data() const { return m_data; }

 private:
  kainjow::mustache::data m_data{kainjow::mustache::data::type::object};
};

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

  // Renders "<name>.mustache" with the views in `layers`: a name is looked up in the first view,
  // then the next (a page's own view before the layout's common one). Files named
  // partial-<x>.mustache are partials: {{> partial-<x>}}, inlined before parsing. Compiled once
  // per name. Throws Error "templates/<name>.mustache: ..." for a template that does not parse.
  std::string render(const std::string& name, std::initializer_list<const View*> layers);
  std::string render(const std::string& name, const View& view) { return render(name, {&view}); }

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
