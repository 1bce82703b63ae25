#include "site/templates.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <kainjow/mustache.hpp>

#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/hash.hpp"
#include "util/strings.hpp"

namespace sitegen::site {

namespace mst = kainjow::mustache;

struct Templates::Compiled {
  explicit Compiled(const std::string& text) : tmpl(text) {}
  mst::mustache tmpl;
  std::size_t largest = 4096;  // the longest output so far: room reserved for the next one
};

namespace {

// The escaping every {{value}} gets: text is safe in element content and in quoted attributes.
std::string escape_html(const std::string& s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  std::size_t plain = 0;  // start of the run of characters that need nothing, copied in one go
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char* entity = nullptr;
    switch (s[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&#39;"; break;
      default: continue;
    }
    out.append(s, plain, i - plain);
    out += entity;
    plain = i + 1;
  }
  out.append(s, plain, std::string::npos);
  return out;
}

// A sink for kainjow's stream-style render.
struct Sink {
  std::string& out;
  Sink& operator<<(const std::string& s) {
    out += s;
    return *this;
  }
};

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

void require(bool ok, const char* what) {
  if (!ok) throw std::logic_error(what);
}

// The items of a list, to append to in place. They are the data's own, not const objects:
// list_value() only lacks a mutable twin.
mst::list& items_of(const mst::data& list) { return const_cast<mst::list&>(list.list_value()); }

// Appends without copying: mustache data's move constructor is not noexcept, so a vector that
// grows by itself copies every item (deeply); here it grows into room reserved first.
void append(mst::list& items, mst::data&& item) {
  if (items.size() == items.capacity()) {
    mst::list grown;
    grown.reserve(std::max<std::size_t>(8, items.capacity() * 2));
    for (mst::data& d : items) grown.emplace_back(std::move(d));
    items.swap(grown);
  }
  items.emplace_back(std::move(item));
}

}  // namespace

View View::list() {
  View v;
  v.m_data = mst::data{mst::data::type::list};
  return v;
}

View& View::set(const std::string& key, const std::string& text) & {
  require(m_data.is_object(), "View::set on a list");
  // An empty string is false, as in other mustache implementations: {{#x}} hides empty text.
  m_data[key] = text.empty() ? mst::data{mst::data::type::bool_false} : mst::data{text};
  return *this;
}

View& View::set(const std::string& key, const char* text) & { return set(key, std::string(text)); }

View& View::set(const std::string& key, View child) & {
  require(m_data.is_object(), "View::set on a list");
  if (child.is_list()) flag("has_" + key, child.size() > 0);
  // operator[] and move-assignment do not copy; data::set would, deeply.
  m_data[key] = std::move(child.m_data);
  return *this;
}

View& View::flag(const std::string& key, bool value) & {
  require(m_data.is_object(), "View::flag on a list");
  m_data[key] = mst::data{value ? mst::data::type::bool_true : mst::data::type::bool_false};
  return *this;
}

View& View::push(View item) {
  require(m_data.is_list(), "View::push on an object");
  append(items_of(m_data), std::move(item.m_data));
  return *this;
}

View& View::push(const std::string& text) {
  require(m_data.is_list(), "View::push on an object");
  append(items_of(m_data), text.empty() ? mst::data{mst::data::type::bool_false} : mst::data{text});
  return *this;
}

std::size_t View::size() const {
  if (m_data.is_list()) return m_data.list_value().size();
  return 0;
}

bool View::has(const std::string& key) const { return m_data.get(key) != nullptr; }

std::string View::text(const std::string& key) const {
  const mst::data* d = m_data.get(key);
  return d && d->is_string() ? d->string_value() : std::string();
}

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

std::string Templates::render(const std::string& name, std::initializer_list<const View*> layers) {
  Compiled& c = compiled(name);
  mst::context<std::string> context;
  // The context looks names up from the view pushed last: push the last layer first.
  for (auto it = std::rbegin(layers); it != std::rend(layers); ++it) context.push(&(*it)->data());
  std::string out;
  out.reserve(c.largest + c.largest / 8);
  Sink sink{out};
  c.tmpl.render(context, sink);
  c.largest = std::max(c.largest, out.size());
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
