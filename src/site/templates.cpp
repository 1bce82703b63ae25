#include "site/templates.hpp"

#include <kainjow/mustache.hpp>

#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/format.hpp"

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

mst::data to_data(const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      mst::data d{mst::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), to_data(it.value()));
      return d;
    }
    case Json::value_t::array: {
      mst::data d{mst::data::type::list};
      for (const Json& item : j) d.push_back(to_data(item));
      return d;
    }
    case Json::value_t::string:
      // An empty string is false, as in other mustache implementations: {{#x}} hides empty text.
      if (j.get_ref<const std::string&>().empty()) return mst::data{mst::data::type::bool_false};
      return mst::data{j.get_ref<const std::string&>()};
    case Json::value_t::boolean:
      return mst::data{j.get<bool>() ? mst::data::type::bool_true : mst::data::type::bool_false};
    case Json::value_t::number_integer: return mst::data{std::to_string(j.get<long long>())};
    case Json::value_t::number_unsigned: return mst::data{std::to_string(j.get<unsigned long long>())};
    case Json::value_t::number_float: return mst::data{format::shortest(j.get<double>())};
    default: return mst::data{mst::data::type::bool_false};
  }
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

std::string Templates::render(const std::string& name, const Json& view) {
  const std::string file = name + ".mustache";
  auto it = m_compiled.find(name);
  if (it == m_compiled.end()) {
    auto compiled = std::make_unique<Compiled>(text(file));
    if (!compiled->tmpl.is_valid()) {
      throw Error("templates/" + file + ": " + compiled->tmpl.error_message());
    }
    compiled->tmpl.set_custom_escape(escape_html);
    it = m_compiled.emplace(name, std::move(compiled)).first;
  }
  mst::data data = to_data(view);
  if (data.is_object()) {
    for (const auto& [partial, content] : partials()) data.set(partial, content);
  }
  std::string out;
  it->second->tmpl.render(data, [&out](const std::string& s) { out += s; });
  return out;
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
