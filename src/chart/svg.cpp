#include "chart/svg.hpp"

#include <charconv>
#include <cmath>
#include <utility>

#include "util/strings.hpp"

namespace sitegen::chart {

void append_num(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += '0';
    return;
  }
  // Fast path, same digits as the exact path below: with |value| < 1e9, value * 100 is within
  // 2e-5 of the exact product, so away from a .5 boundary rounding it to the nearest integer rounds
  // the exact value the same way. Ties and near-ties take the exact path (to_chars rounds them).
  if (std::fabs(value) < 1e9) {
    const double scaled = value * 100;
    const double nearest = std::nearbyint(scaled);
    if (std::fabs(std::fabs(scaled - nearest) - 0.5) > 1e-3) {
      long long hundredths = static_cast<long long>(nearest);
      if (hundredths == 0) {
        out += '0';
        return;
      }
      if (hundredths < 0) {
        out += '-';
        hundredths = -hundredths;
      }
      char digits[32];
      auto r = std::to_chars(digits, digits + sizeof digits, hundredths / 100);
      out.append(digits, r.ptr);
      const int cents = static_cast<int>(hundredths % 100);
      if (cents != 0) {
        out += '.';
        out += static_cast<char>('0' + cents / 10);
        if (cents % 10 != 0) out += static_cast<char>('0' + cents % 10);
      }
      return;
    }
  }
  char buffer[400];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 2);
  if (result.ec != std::errc()) {
    out += '0';
    return;
  }
  char* end = result.ptr;
  while (end[-1] == '0') --end;  // there is always a '.' before the two decimals
  if (end[-1] == '.') --end;
  const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  out += text == "-0" ? "0" : text;
}

std::string num(double value) {
  std::string out;
  append_num(out, value);
  return out;
}

void append_escaped(std::string& out, std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    // Copy the run that needs nothing in one go: most text is plain ASCII.
    std::size_t plain = i;
    while (plain < s.size()) {
      const auto c = static_cast<unsigned char>(s[plain]);
      if (c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') break;
      ++plain;
    }
    out.append(s.substr(i, plain - i));
    i = plain;
    if (i >= s.size()) break;
    const std::size_t n = strings::utf8_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    const char c = s[i++];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (c == '\t' || c == '\n') out += c;
    }
  }
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_escaped(out, s);
  return out;
}

std::string ellipsize(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0, cut = std::string_view::npos;
  for (std::size_t i = 0; i < s.size();) {
    if (chars + 1 == max_chars && cut == std::string_view::npos) cut = i;
    const std::size_t n = strings::utf8_length(s, i);
    i += n == 0 ? 1 : n;
    if (++chars > max_chars) {
      if (max_chars == 0) return "";
      return std::string(s.substr(0, cut)) + "\xE2\x80\xA6";
    }
  }
  return std::string(s);
}

double text_width(std::string_view s, double font_size) {
  std::size_t chars = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++chars;
  return static_cast<double>(chars) * 0.6 * font_size;
}

void SvgWriter::start_tag(std::string_view tag, std::initializer_list<Attr> attrs) {
  m_out += '<';
  m_out += tag;
  for (const Attr& a : attrs) {
    m_out += ' ';
    m_out += a.name;
    m_out += "=\"";
    if (a.is_number) append_num(m_out, a.number);
    else append_escaped(m_out, a.value);
    m_out += '"';
  }
}

void SvgWriter::open(std::string_view tag, std::initializer_list<Attr> attrs) {
  start_tag(tag, attrs);
  m_out += ">\n";
  m_open.emplace_back(tag);
}

void SvgWriter::close() {
  if (m_open.empty()) return;
  m_out += "</";
  m_out += m_open.back();
  m_out += ">\n";
  m_open.pop_back();
}

void SvgWriter::leaf(std::string_view tag, std::initializer_list<Attr> attrs) {
  start_tag(tag, attrs);
  m_out += "/>\n";
}

void SvgWriter::text(std::string_view tag, std::initializer_list<Attr> attrs, std::string_view text) {
  start_tag(tag, attrs);
  m_out += '>';
  append_escaped(m_out, text);
  m_out += "</";
  m_out += tag;
  m_out += ">\n";
}

std::string SvgWriter::str() {
  while (!m_open.empty()) close();
  return std::exchange(m_out, std::string());
}

}  // namespace sitegen::chart
