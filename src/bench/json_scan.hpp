#pragma once
// A strict, allocation-free JSON reader (RFC 8259) for the benchmark's hot path: it walks one SSE
// event's data and reports tokens to a handler, without building values. The stream's chunks
// are read with it (read_chunk in sse_parser.hpp); nlohmann's SAX parser did the same work at
// about ten times the cost per chunk, which a client that timestamps thousands of streams on one
// thread cannot spare.

#include <cstddef>
#include <string>
#include <string_view>

namespace sitegen::bench {

// A string token as it appears between its quotes; escapes are decoded only on request.
struct JsonString {
  std::string_view raw;  // the bytes between the quotes, escapes as written
  bool escaped = false;  // raw holds at least one backslash escape
  // The string's value (escapes decoded, \u pairs as UTF-8).
  std::string decoded() const;
  // True when the decoded value equals `s`, decoding only when the raw form has escapes.
  bool equals(std::string_view s) const { return escaped ? decoded() == s : raw == s; }
  bool empty() const { return raw.empty(); }
};

// Receives the tokens in document order. Returning false stops the scan (json_scan then fails
// with the handler's reason, or "rejected" when it gives none).
class JsonHandler {
 public:
  virtual ~JsonHandler() = default;
  virtual bool start_object() = 0;
  virtual bool key(const JsonString& k) = 0;
  virtual bool end_object() = 0;
  virtual bool start_array() = 0;
  virtual bool end_array() = 0;
  virtual bool string(const JsonString& s) = 0;
  // A number without fraction or exponent that fits a long long.
  virtual bool integer(long long v) = 0;
  // Any other scalar: a float or an out-of-range integer, true, false, null.
  virtual bool scalar() = 0;
};

// Scans exactly one JSON value (surrounding whitespace allowed). On a syntax error, invalid UTF-8,
// nesting deeper than 512 or a handler refusal returns false and sets `error` to what went wrong
// and at which byte. Never throws.
bool json_scan(std::string_view text, JsonHandler& handler, std::string& error);

}  // namespace sitegen::bench
