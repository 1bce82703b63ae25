#pragma once
// Server-sent events, as OpenAI-compatible servers stream them: framing (events split across
// reads at any byte, several events per read, LF/CRLF/CR line ends, comments) and the reading of
// one event's data as a completions or chat chunk.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sitegen::bench {

// Splits a text/event-stream byte stream into events' data. Feed bytes as they arrive; every
// completed event (a blank line after one or more "data:" lines) is appended to `events` as its
// data lines joined with '\n'. Comments (": ping"), other fields (event:, id:, retry:) and
// events without data are dropped. Never throws; a line longer than max_line_bytes is a
// malformed stream (overflowed() turns true, nothing stays pending and the rest is ignored).
class SseParser {
 public:
  explicit SseParser(std::size_t max_line_bytes = std::size_t(1) << 24) : m_max_line(max_line_bytes) {}

  void feed(std::string_view bytes, std::vector<std::string>& events);
  // True when a line exceeded the limit (the stream is then malformed).
  bool overflowed() const { return m_overflow; }
  // True when bytes of an unfinished event are still buffered (a truncated stream).
  bool pending() const { return !m_line.empty() || m_has_data; }

 private:
  void end_line(std::string_view line, std::vector<std::string>& events);

  std::size_t m_max_line;
  std::string m_line;  // the current line so far
  std::string m_data;  // data of the current event so far
  bool m_has_data = false;
  bool m_after_cr = false;  // the previous byte was CR: a following LF belongs to it
  bool m_overflow = false;
};

// What one event's data says, read without building a DOM.
struct Chunk {
  enum class Kind { done, data, error, malformed };
  Kind kind = Kind::malformed;
  std::size_t choices = 0;      // elements of the top-level "choices" array
  bool content = false;         // a choice carries non-empty text, delta content, reasoning
                                // (or reasoning_content) or tool calls
  std::optional<long long> completion_tokens, prompt_tokens;  // from a non-null "usage"
  std::optional<long long> token_ids;  // length of choices[].token_ids when the server sends it
  std::optional<long long> sim_sent_ns;  // sitegen sim-server --stamp: the server's send time
  std::string message;          // error events: the server's message; malformed: what is wrong
};

// Reads one event's data: "[DONE]", a completions/chat chunk, an error event
// ({"error": {...}} or the older flat {"object": "error", ...}), or malformed (not JSON, not an
// object). Never throws.
Chunk read_chunk(std::string_view data);

}  // namespace sitegen::bench
