#include "site/templates.hpp"

#include <algorithm>
#include <vector>

#include <kainjow/mustache.hpp>

#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/format.hpp"
#include "util/hash.hpp"
#include "util/strings.hpp"

namespace sitegen::site {

namespace mst = kainjow::mustache;

struct Templates::Compiled {
  explicit Compiled(const std::string& text) : tmpl(text) {}
  mst::mustache tmpl;
};

namespace {

// The escaping every {{value}} gets: text is safe in element content and in quoted attributes.
std::string escape_html(const std::string& s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// Moves the view into mustache data: the SVG charts and page bodies it carries are large.
mst::data to_data(Json&& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      // data::set and push_back copy their argument (deeply); operator[] and move-assignment do not.
      mst::data d{mst::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d[it.key()] = to_data(std::move(it.value()));
      return d;
    }
    case Json::value_t::array: {
      mst::data d{mst::data::type::list};
      for (Json& item : j) {
        d.push_back(mst::data{mst::data::type::bool_false});  // a placeholder that owns nothing
        // The list's elements are d's own, not const objects: list_value() only lacks a mutable twin.
        const_cast<mst::data&>(d.list_value().back()) = to_data(std::move(item));
      }
      return d;
    }
    case Json::value_t::string: {
      // An empty string is false, as in other mustache implementations: {{#x}} hides empty text.
      std::string& text = j.get_ref<std::string&>();
      if (text.empty()) return mst::data{mst::data::type::bool_false};
      return mst::data{std::move(text)};
    }
    case Json::value_t::boolean:
      return mst::data{j.get<bool>() ? mst::data::type::bool_true : mst::data::type::bool_false};
    case Json::value_t::number_integer: return mst::data{std::to_string(j.get<long long>())};
    case Json::value_t::number_unsigned: return mst::data{std::to_string(j.get<unsigned long long>())};
    case Json::value_t::number_float: return mst::data{format::shortest(j.get<double>())};
    default: return mst::data{mst::data::type::bool_false};
  }
}

// Replaces every {{> name}} whose partial is known by the partial's text, before parsing: a
// partial renders in the context of its tag either way, and inlined it is parsed once, not at
// every use. Partials may include partials, to a depth of 8.
std::string inline_partials(const std::string& text, const std::map<std::string, std::string>& partials, int depth = 0) {
  if (depth > 8) throw Error("templates: partials nested more than 8 deep (a partial that includes itself?)");
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = text.find("{{>", pos);
    if (open == std::string::npos) break;
    const std::size_t close = text.find("}}", open + 3);
    if (close == std::string::npos) break;
    const std::string name(strings::trim(std::string_view(text).substr(open + 3, close - open - 3)));
    auto it = partials.find(name);
    if (it == partials.end()) {  // left for the renderer, which reports or skips it
      out.append(text, pos, close + 2 - pos);
    } else {
      out.append(text, pos, open - pos);
      out += inline_partials(it->second, partials, depth + 1);
    }
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace

Templates::Templates(std::filesystem::path dir) : m_dir(std::move(dir)) {}
Templates::~Templates() = default;

bool Templates::has(const std::string& name) const {
  if (!m_dir.empty() && std::filesystem::is_regular_file(m_dir / name)) return true;
  return embedded::find("templates/" + name).has_value();
}

std::string Templates::text(const std::string& name) const {
  if (!m_dir.empty() && std::filesystem::is_regular_file(m_dir / name)) return files::read(m_dir / name);
  if (auto content = embedded::find("templates/" + name)) return std::string(*content);
  throw Error("templates/" + name + ": no such template (in " +
              (m_dir.empty() ? std::string("the binary") : files::display(m_dir) + " or the binary") + ")");
}

Templates::Compiled& Templates::compiled(const std::string& name) {
  auto it = m_compiled.find(name);
  if (it == m_compiled.end()) {
    const std::string file = name + ".mustache";
    auto compiled = std::make_unique<Compiled>(inline_partials(text(file), partials()));
    if (!compiled->tmpl.is_valid()) {
      throw Error("templates/" + file + ": " + compiled->tmpl.error_message());
    }
    compiled->tmpl.set_custom_escape(escape_html);
    it = m_compiled.emplace(name, std::move(compiled)).first;
  }
  return *it->second;
}

void Templates::compile(const std::string& name) { compiled(name); }

std::string Templates::render(const std::string& name, Json view) {
  Compiled& c = compiled(name);
  const mst::data data = to_data(std::move(view));
  std::string out;
  out.reserve(16384);
  c.tmpl.render(data, [&out](const std::string& s) { out += s; });
  return out;
}

std::uint64_t Templates::fingerprint() const {
  hash::Hasher h;
  for (const embedded::File& f : embedded::files()) {
    if (f.path.starts_with("templates/")) h.add(f.path).add(f.content);
  }
  std::error_code ec;
  if (!m_dir.empty() && std::filesystem::is_directory(m_dir, ec)) {
    std::vector<std::filesystem::path> own;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir, ec)) {
      if (entry.is_regular_file(ec)) own.push_back(entry.path());
    }
    std::sort(own.begin(), own.end());
    for (const auto& file : own) h.add(file.filename().string()).add(files::read(file));
  }
  return h.value();
}

const std::map<std::string, std::string>& Templates::partials() {
  if (m_partials_loaded) return m_partials;
  // Partials are the files named partial-<name>.mustache, referenced as {{> partial-<name>}}.
  const std::string prefix = "templates/partial-";
  for (const embedded::File& f : embedded::files()) {
    if (f.path.starts_with(prefix) && f.path.ends_with(".mustache")) {
      const std::string name(f.path.substr(10, f.path.size() - 10 - 9));
      m_partials[name] = text(name + ".mustache");
    }
  }
  std::error_code ec;
  if (!m_dir.empty() && std::filesystem::is_directory(m_dir, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(m_dir, ec)) {
      const std::string file = entry.path().filename().string();
      if (file.starts_with("partial-") && file.ends_with(".mustache")) {
        m_partials[file.substr(0, file.size() - 9)] = files::read(entry.path());
      }
    }
  }
  m_partials_loaded = true;
  return m_partials;
}

}  // namespace sitegen::site
