#pragma once
// A tiny SVG writer: every attribute value and text node is escaped, every number is written the
// same way on every machine, so charts are safe to inline in HTML and byte-identical on rebuild.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace sitegen::chart {

// A coordinate or length as SVG text: at most two decimals, trailing zeros dropped, no "-0";
// a non-finite value is written as "0" (callers skip such points before, this is the last guard).
std::string num(double value);

// num(value) appended to out, without a temporary string (paths have thousands of numbers).
void append_num(std::string& out, double value);

// escape(s) appended to out.
void append_escaped(std::string& out, std::string_view s);

// s escaped for XML text and attribute values (& < > " '); invalid UTF-8 becomes U+FFFD and
// control characters other than tab and newline are dropped.
std::string escape(std::string_view s);

// s cut to at most max_chars characters (UTF-8 code points), ending in "…" when it was cut.
std::string ellipsize(std::string_view s, std::size_t max_chars);

// Estimated width of s in user units at `font_size`: about 0.6 em per character.
double text_width(std::string_view s, double font_size);

// One attribute; numbers go through num(). It refers to its text, not a copy: make it where it is
// written (an argument of open, leaf or text), so the text outlives it.
struct Attr {
  Attr(std::string_view name, std::string_view value) : name(name), value(value) {}
  Attr(std::string_view name, const char* value) : name(name), value(value) {}
  Attr(std::string_view name, const std::string& value) : name(name), value(value) {}
  Attr(std::string_view name, double value) : name(name), number(value), is_number(true) {}
  Attr(std::string_view name, int value) : name(name), number(value), is_number(true) {}
  std::string_view name;
  std::string_view value;  // unescaped; the writer escapes it
  double number = 0;       // written with num() when is_number (no text to escape)
  bool is_number = false;
};

// Builds an SVG document as text, one element at a time. Elements are closed in order;
// str() closes any still open.
class SvgWriter {
 public:
  SvgWriter() { m_out.reserve(8192); }  // a chart is a few kilobytes: room for one without regrowing
  // <tag a="v" ...> and remembers to close it.
  void open(std::string_view tag, std::initializer_list<Attr> attrs = {});
  // Closes the most recently opened element.
  void close();
  // <tag a="v" .../>
  void leaf(std::string_view tag, std::initializer_list<Attr> attrs = {});
  // <tag a="v" ...>text</tag> with the text escaped.
  void text(std::string_view tag, std::initializer_list<Attr> attrs, std::string_view text);
  // The document, with every open element closed; the writer is left empty.
  std::string str();

 private:
  void start_tag(std::string_view tag, std::initializer_list<Attr> attrs);
  std::string m_out;
  std::vector<std::string> m_open;
};

}  // namespace sitegen::chart
