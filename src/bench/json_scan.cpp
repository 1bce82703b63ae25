#include "bench/json_scan.hpp"

#include <charconv>
#include <cstdint>

#include "util/strings.hpp"

namespace sitegen::bench {

namespace {

constexpr int k_max_depth = 512;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at s[i..i+4) as a code unit, or -1.
long hex4(std::string_view s, std::size_t i) {
  if (i + 4 > s.size()) return -1;
  long v = 0;
  for (std::size_t k = i; k < i + 4; ++k) {
    const int d = hex_digit(s[k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Recursive descent over one value; m_pos always indexes the next unread byte.
class Scanner {
 public:
  Scanner(std::string_view text, JsonHandler& handler) : m_text(text), m_handler(handler) {}

  bool run(std::string& error) {
    skip_space();
    bool ok = value(0);
    if (ok) {
      skip_space();
      if (m_pos != m_text.size()) ok = fail("unexpected data after the value");
    }
    if (!ok) error = m_error + " (at byte " + std::to_string(m_error_at) + ")";
    return ok;
  }

 private:
  bool fail(const char* what) {
    if (m_error.empty()) {
      m_error = what;
      m_error_at = m_pos;
    }
    return false;
  }
  bool refused() { return fail("rejected by the reader"); }
  bool at_end() const { return m_pos >= m_text.size(); }
  char peek() const { return m_text[m_pos]; }
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++m_pos;
  }

  bool value(int depth) {
    if (at_end()) return fail("unexpected end of input");
    switch (peek()) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': {
        JsonString s;
        if (!string(s)) return false;
        return m_handler.string(s) || refused();
      }
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  bool object(int depth) {
    if (depth > k_max_depth) return fail("nested too deeply");
    if (!m_handler.start_object()) return refused();
    ++m_pos;
    skip_space();
    if (!at_end() && peek() == '}') {
      ++m_pos;
      return m_handler.end_object() || refused();
    }
    for (;;) {
      if (at_end() || peek() != '"') return fail("expected a key");
      JsonString k;
      if (!string(k)) return false;
      if (!m_handler.key(k)) return refused();
      skip_space();
      if (at_end() || peek() != ':') return fail("expected ':'");
      ++m_pos;
      skip_space();
      if (!value(depth)) return false;
      skip_space();
      if (at_end()) return fail("unexpected end of input");
      if (peek() == '}') {
        ++m_pos;
        return m_handler.end_object() || refused();
      }
      if (peek() != ',') return fail("expected ',' or '}'");
      ++m_pos;
      skip_space();
    }
  }

  bool array(int depth) {
    if (depth > k_max_depth) return fail("nested too deeply");
    if (!m_handler.start_array()) return refused();
    ++m_pos;
    skip_space();
    if (!at_end() && peek() == ']') {
      ++m_pos;
      return m_handler.end_array() || refused();
    }
    for (;;) {
      if (!value(depth)) return false;
      skip_space();
      if (at_end()) return fail("unexpected end of input");
      if (peek() == ']') {
        ++m_pos;
        return m_handler.end_array() || refused();
      }
      if (peek() != ',') return fail("expected ',' or ']'");
      ++m_pos;
      skip_space();
    }
  }

  // At the opening quote; leaves m_pos after the closing one.
  bool string(JsonString& out) {
    const std::size_t start = ++m_pos;
    bool escaped = false;
    while (!at_end()) {
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') {
        out.raw = m_text.substr(start, m_pos - start);
        out.escaped = escaped;
        ++m_pos;
        return true;
      }
      if (c < 0x20) return fail("control character in a string");
      if (c == '\\') {
        escaped = true;
        if (!escape()) return false;
      } else if (c >= 0x80) {
        const std::size_t n = strings::utf8_length(m_text, m_pos);
        if (n == 0) return fail("invalid UTF-8 in a string");
        m_pos += n;
      } else {
        ++m_pos;
      }
    }
    return fail("unterminated string");
  }

  // At a backslash; checks one escape (a surrogate pair as one) and steps over it.
  bool escape() {
    ++m_pos;
    if (at_end()) return fail("unterminated string");
    const char c = peek();
    if (c != 'u') {
      if (c != '"' && c != '\\' && c != '/' && c != 'b' && c != 'f' && c != 'n' && c != 'r' && c != 't')
        return fail("invalid escape in a string");
      ++m_pos;
      return true;
    }
    const long unit = hex4(m_text, m_pos + 1);
    if (unit < 0) return fail("invalid \\u escape");
    m_pos += 5;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return fail("unpaired surrogate in a \\u escape");
    if (unit < 0xD800 || unit > 0xDBFF) return true;
    const long low = m_text.substr(m_pos, 2) == "\\u" ? hex4(m_text, m_pos + 2) : -1;
    if (low < 0xDC00 || low > 0xDFFF) return fail("unpaired surrogate in a \\u escape");
    m_pos += 6;
    return true;
  }

  bool literal(std::string_view word) {
    if (m_text.substr(m_pos, word.size()) != word) return fail("invalid literal");
    m_pos += word.size();
    return m_handler.scalar() || refused();
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  bool number() {
    const std::size_t start = m_pos;
    if (!at_end() && peek() == '-') ++m_pos;
    if (at_end() || !digit(peek())) return fail("invalid value");
    if (peek() == '0') {
      ++m_pos;
    } else {
      while (!at_end() && digit(peek())) ++m_pos;
    }
    bool integral = true;
    if (!at_end() && peek() == '.') {
      integral = false;
      ++m_pos;
      if (at_end() || !digit(peek())) return fail("invalid number");
      while (!at_end() && digit(peek())) ++m_pos;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      integral = false;
      ++m_pos;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++m_pos;
      if (at_end() || !digit(peek())) return fail("invalid number");
      while (!at_end() && digit(peek())) ++m_pos;
    }
    if (integral) {
      long long v = 0;
      const char* first = m_text.data() + start;
      const char* last = m_text.data() + m_pos;
      const auto [end, ec] = std::from_chars(first, last, v);
      if (ec == std::errc() && end == last) return m_handler.integer(v) || refused();
    }
    return m_handler.scalar() || refused();
  }

  std::string_view m_text;
  JsonHandler& m_handler;
  std::size_t m_pos = 0;
  std::string m_error;
  std::size_t m_error_at = 0;
};

}  // namespace

std::string JsonString::decoded() const {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 >= raw.size()) {
      out.push_back(raw[i]);
      continue;
    }
    const char c = raw[++i];
    switch (c) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        // json_scan has checked the digits and the pairing of surrogates.
        std::uint32_t cp = static_cast<std::uint32_t>(hex4(raw, i + 1));
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          const auto low = static_cast<std::uint32_t>(hex4(raw, i + 3));
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          i += 6;
        }
        append_utf8(out, cp);
        break;
      }
      default: out.push_back(c);  // " \ /
    }
  }
  return out;
}

bool json_scan(std::string_view text, JsonHandler& handler, std::string& error) {
  return Scanner(text, handler).run(error);
}

}  // namespace sitegen::bench
