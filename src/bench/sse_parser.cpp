#include "bench/sse_parser.hpp"

#include <nlohmann/json.hpp>

namespace sitegen::bench {

void SseParser::feed(std::string_view bytes, std::vector<std::string>& events) {
  if (m_overflow) return;
  for (char c : bytes) {
    if (m_after_cr) {
      m_after_cr = false;
      if (c == '\n') continue;  // the LF of a CRLF pair
    }
    if (c == '\r' || c == '\n') {
      m_after_cr = c == '\r';
      end_line(events);
      continue;
    }
    if (m_line.size() >= m_max_line) {
      m_overflow = true;
      return;
    }
    m_line.push_back(c);
  }
}

// One complete line, per the WHATWG event-stream rules: blank dispatches, ':' starts a comment,
// "field: value" strips one space after the colon, only the data field matters here.
void SseParser::end_line(std::vector<std::string>& events) {
  if (m_line.empty()) {
    if (m_has_data) events.push_back(std::move(m_data));
    m_data.clear();
    m_has_data = false;
    return;
  }
  std::string_view line = m_line;
  if (line.front() != ':') {
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
  m_line.clear();
}

namespace {

using nlohmann::json;

// A SAX reader that records only what read_chunk needs, tracking where it is by the key being
// read at each open object ("choices", then the array, then "delta", ...).
class ChunkReader : public nlohmann::json_sax<json> {
 public:
  explicit ChunkReader(Chunk& chunk) : m_chunk(chunk) {}

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t v) override { return integer(static_cast<long long>(v)); }
  bool number_unsigned(number_unsigned_t v) override { return integer(static_cast<long long>(v)); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool string(string_t& s) override {
    if (!value()) return false;
    const std::size_t n = m_frames.size();
    if (n == 1 && key(0) == "object" && s == "error") m_flat_error = true;
    if (n == 1 && key(0) == "message") m_message = s;
    if (n == 1 && key(0) == "error") {
      m_nested_error = true;
      m_message = s;
    }
    if (n == 2 && key(0) == "error" && key(1) == "message") m_message = s;
    if (s.empty() || !in_choice()) return true;
    if (n == 3 && key(2) == "text") m_chunk.content = true;
    if (n == 4 && key(2) == "delta" &&
        (key(3) == "content" || key(3) == "reasoning" || key(3) == "reasoning_content"))
      m_chunk.content = true;
    return true;
  }
  bool start_object(std::size_t) override {
    if (m_frames.empty() && m_started) return false;
    m_started = true;
    value();
    if (m_frames.size() == 1 && key(0) == "error") m_nested_error = true;
    if (m_frames.size() == 5 && in_choice() && key(2) == "delta" && key(3) == "tool_calls")
      m_chunk.content = true;
    m_frames.push_back({false, {}});
    return true;
  }
  bool key(string_t& k) override {
    m_frames.back().key = k;
    return true;
  }
  bool end_object() override { return pop(); }
  bool start_array(std::size_t) override {
    if (m_frames.empty()) return false;  // the root must be an object
    value();
    m_frames.push_back({true, {}});
    return true;
  }
  bool end_array() override { return pop(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    m_chunk.message = "not valid JSON (at byte " + std::to_string(position) + ")";
    return false;
  }

  bool error_event() const { return m_nested_error || m_flat_error; }
  const std::string& error_message() const { return m_message; }

 private:
  struct Frame {
    bool array;
    std::string key;
  };
  const std::string& key(std::size_t i) const { return m_frames[i].key; }
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
  bool integer(long long v) {
    if (!value()) return false;
    const std::size_t n = m_frames.size();
    if (n == 1 && key(0) == "sim_sent_ns") m_chunk.sim_sent_ns = v;
    if (n == 2 && key(0) == "usage" && !m_frames[1].array) {
      if (key(1) == "completion_tokens") m_chunk.completion_tokens = v;
      if (key(1) == "prompt_tokens") m_chunk.prompt_tokens = v;
    }
    return true;
  }

  Chunk& m_chunk;
  std::vector<Frame> m_frames;
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
  bool ok = false;
  try {
    ok = json::sax_parse(trimmed.begin(), trimmed.end(), &reader);
  } catch (const json::exception& e) {
    ok = false;
    chunk.message = e.what();
  }
  if (!ok) {
    chunk.kind = Chunk::Kind::malformed;
    if (chunk.message.empty()) chunk.message = "not a JSON object";
    std::string head(trimmed.substr(0, 80));
    chunk.message += ": " + head;
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
