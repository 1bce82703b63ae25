#include "bench/sse_parser.hpp"

#include <cstring>
#include <deque>

#include "bench/json_scan.hpp"

namespace sitegen::bench {

void SseParser::feed(std::string_view bytes, std::vector<std::string>& events) {
  if (m_overflow) return;
  std::size_t i = 0;
  if (m_after_cr && !bytes.empty()) {
    m_after_cr = false;
    if (bytes[0] == '\n') i = 1;  // the LF of a CRLF pair split across reads
  }
  while (i < bytes.size()) {
    // The next line end: an LF, or a CR before it (memchr rather than a loop per byte).
    const char* begin = bytes.data() + i;
    const std::size_t rest = bytes.size() - i;
    const char* lf = static_cast<const char*>(std::memchr(begin, '\n', rest));
    const std::size_t upto = lf ? static_cast<std::size_t>(lf - begin) : rest;
    const char* cr = static_cast<const char*>(std::memchr(begin, '\r', upto));
    const std::size_t len = cr ? static_cast<std::size_t>(cr - begin) : upto;
    if (m_line.size() + len > m_max_line) {
      // Nothing of a malformed stream stays buffered, however its bytes were split into reads.
      m_overflow = true;
      m_line.clear();
      m_data.clear();
      m_has_data = false;
      return;
    }
    if (len == rest) {  // no line end in this read: keep the partial line
      m_line.append(begin, len);
      return;
    }
    if (m_line.empty()) {
      end_line(std::string_view(begin, len), events);
    } else {
      m_line.append(begin, len);
      end_line(m_line, events);
    }
    m_line.clear();
    i += len + 1;
    if (begin[len] == '\r') {
      if (i < bytes.size()) {
        if (bytes[i] == '\n') ++i;
      } else {
        m_after_cr = true;
      }
    }
  }
}

// One complete line, per the WHATWG event-stream rules: blank dispatches, ':' starts a comment,
// "field: value" strips one space after the colon, only the data field matters here.
void SseParser::end_line(std::string_view line, std::vector<std::string>& events) {
  if (line.empty()) {
    if (m_has_data) events.push_back(std::move(m_data));
    m_data.clear();
    m_has_data = false;
    return;
  }
  if (line.front() == ':') return;
  const std::size_t colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (m_has_data) m_data.push_back('\n');
    m_data.append(value);
    m_has_data = true;
  }
}

namespace {

// Records only what read_chunk needs, tracking where it is by the key being read at each open
// object ("choices", then the array, then "delta", ...). Keys are views into the event's data
// (decoded into m_decoded_keys, whose strings stay put, only when they hold escapes).
class ChunkReader : public JsonHandler {
 public:
  explicit ChunkReader(Chunk& chunk) : m_chunk(chunk) {}

  bool scalar() override { return value(); }
  bool integer(long long v) override {
    if (!value()) return false;
    const std::size_t n = m_frames.size();
    if (n == 1 && key(0) == "sim_sent_ns") m_chunk.sim_sent_ns = v;
    if (n == 2 && key(0) == "usage" && !m_frames[1].array) {
      if (key(1) == "completion_tokens") m_chunk.completion_tokens = v;
      if (key(1) == "prompt_tokens") m_chunk.prompt_tokens = v;
    }
    return true;
  }
  bool string(const JsonString& s) override {
    if (!value()) return false;
    const std::size_t n = m_frames.size();
    if (n == 1 && key(0) == "object" && s.equals("error")) m_flat_error = true;
    if (n == 1 && key(0) == "message") m_message = s.decoded();
    if (n == 1 && key(0) == "error") {
      m_nested_error = true;
      m_message = s.decoded();
    }
    if (n == 2 && key(0) == "error" && key(1) == "message") m_message = s.decoded();
    if (s.empty() || !in_choice()) return true;
    if (n == 3 && key(2) == "text") m_chunk.content = true;
    if (n == 4 && key(2) == "delta" &&
        (key(3) == "content" || key(3) == "reasoning" || key(3) == "reasoning_content"))
      m_chunk.content = true;
    return true;
  }
  bool start_object() override {
    m_started = true;
    value();
    if (m_frames.size() == 1 && key(0) == "error") m_nested_error = true;
    if (m_frames.size() == 5 && in_choice() && key(2) == "delta" && key(3) == "tool_calls")
      m_chunk.content = true;
    m_frames.push_back({false, {}});
    return true;
  }
  bool key(const JsonString& k) override {
    if (!k.escaped) {
      m_frames.back().key = k.raw;
    } else {
      m_decoded_keys.push_back(k.decoded());
      m_frames.back().key = m_decoded_keys.back();
    }
    return true;
  }
  bool end_object() override { return pop(); }
  bool start_array() override {
    if (m_frames.empty()) return false;  // the root must be an object
    value();
    m_frames.push_back({true, {}});
    return true;
  }
  bool end_array() override { return pop(); }

  bool error_event() const { return m_nested_error || m_flat_error; }
  const std::string& error_message() const { return m_message; }

 private:
  struct Frame {
    bool array;
    std::string_view key;
  };
  std::string_view key(std::size_t i) const { return m_frames[i].key; }
  bool in_choice() const {
    return m_frames.size() >= 3 && key(0) == "choices" && m_frames[1].array && !m_frames[2].array;
  }
  bool pop() {
    m_frames.pop_back();
    return true;
  }
  // Every value (scalar or container) at its position, before descending into it.
  bool value() {
    const std::size_t n = m_frames.size();
    if (n == 0) return m_started;  // a scalar root is rejected
    if (n == 2 && key(0) == "choices" && m_frames[1].array) ++m_chunk.choices;
    if (n == 4 && in_choice() && key(2) == "token_ids" && m_frames[3].array)
      m_chunk.token_ids = m_chunk.token_ids.value_or(0) + 1;
    return true;
  }

  Chunk& m_chunk;
  std::vector<Frame> m_frames;
  std::deque<std::string> m_decoded_keys;
  bool m_started = false;
  bool m_nested_error = false, m_flat_error = false;
  std::string m_message;
};

}  // namespace

Chunk read_chunk(std::string_view data) {
  Chunk chunk;
  const std::string_view trimmed = [&] {
    std::string_view s = data;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
  }();
  if (trimmed == "[DONE]") {
    chunk.kind = Chunk::Kind::done;
    return chunk;
  }
  ChunkReader reader(chunk);
  std::string error;
  if (!json_scan(trimmed, reader, error)) {
    chunk.kind = Chunk::Kind::malformed;
    chunk.message = error.rfind("rejected by the reader", 0) == 0 ? "not a JSON object" : "not valid JSON: " + error;
    chunk.message += ": " + std::string(trimmed.substr(0, 80));
    return chunk;
  }
  if (reader.error_event()) {
    chunk.kind = Chunk::Kind::error;
    chunk.message = reader.error_message().empty() ? "error event without a message" : reader.error_message();
    return chunk;
  }
  chunk.kind = Chunk::Kind::data;
  return chunk;
}

}  // namespace sitegen::bench
