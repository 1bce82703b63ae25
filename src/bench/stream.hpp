#pragma once
// One streamed response read as it arrives: which events carried content and when, how many
// tokens each carried, what the server's usage said, and whether the stream was well formed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/sse_parser.hpp"

namespace sitegen::bench {

// Where a request's output token count came from.
enum class TokenSource { none, usage, continuous_usage, chunk_count };
const char* token_source_name(TokenSource source);  // "server_usage", "continuous_usage", "chunk_count"

struct StreamRecord {
  std::vector<std::int64_t> content_ns;   // receipt time of each chunk that carried content
  std::vector<long long> content_tokens;  // tokens each of those chunks carried (1 when unknown)
  long long output_tokens = 0;
  std::optional<long long> prompt_tokens;  // from the server's usage
  TokenSource token_source = TokenSource::none;
  bool done = false;                        // "data: [DONE]" arrived
  std::string failure_kind;                 // "" or malformed_stream / server_error_event
  std::string failure_message;
  std::vector<std::int64_t> stamp_lag_ns;   // receipt minus sim_sent_ns, for stamped chunks
  long long events = 0;                     // SSE events read
};

// Feeds a body's bytes through the SSE parser and read_chunk. The first problem is kept; later
// events still count so a late [DONE] is seen.
class StreamReader {
 public:
  void feed(std::string_view bytes, std::int64_t received_ns);
  // The record, with output tokens settled (usage, else continuous usage, else chunk count).
  // A stream cut before [DONE] is not judged here (done stays false): the transport knows why.
  StreamRecord finish();

 private:
  void take(const std::string& data, std::int64_t received_ns);
  void fail(const std::string& kind, const std::string& message);

  SseParser m_parser;
  std::vector<std::string> m_events;
  StreamRecord m_record;
  std::optional<long long> m_final_usage, m_cumulative;  // completion_tokens seen so far
};

}  // namespace sitegen::bench
