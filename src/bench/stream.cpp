#include "bench/stream.hpp"

namespace sitegen::bench {

const char* token_source_name(TokenSource source) {
  switch (source) {
    case TokenSource::usage: return "server_usage";
    case TokenSource::continuous_usage: return "continuous_usage";
    case TokenSource::chunk_count: return "chunk_count";
    case TokenSource::none: break;
  }
  return "none";
}

void StreamReader::feed(std::string_view bytes, std::int64_t received_ns) {
  m_parser.feed(bytes, m_events);
  if (m_parser.overflowed()) fail("malformed_stream", "an SSE line longer than the parser accepts");
  for (const std::string& data : m_events) take(data, received_ns);
  m_events.clear();
}

void StreamReader::fail(const std::string& kind, const std::string& message) {
  if (!m_record.failure_kind.empty()) return;
  m_record.failure_kind = kind;
  m_record.failure_message = message;
}

void StreamReader::take(const std::string& data, std::int64_t received_ns) {
  ++m_record.events;
  if (m_record.done) return;  // nothing after [DONE] is part of the response
  const Chunk chunk = read_chunk(data);
  if (chunk.sim_sent_ns) m_record.stamp_lag_ns.push_back(received_ns - *chunk.sim_sent_ns);
  switch (chunk.kind) {
    case Chunk::Kind::done: m_record.done = true; return;
    case Chunk::Kind::malformed: fail("malformed_stream", chunk.message); return;
    case Chunk::Kind::error: fail("server_error_event", chunk.message); return;
    case Chunk::Kind::data: break;
  }
  if (chunk.prompt_tokens) m_record.prompt_tokens = chunk.prompt_tokens;
  if (chunk.choices == 0) {
    // vLLM's final usage chunk: "choices": [] with the totals.
    if (chunk.completion_tokens) m_final_usage = chunk.completion_tokens;
    return;
  }
  // Tokens this chunk carried: the growth of continuous usage, else its token ids, else one.
  long long tokens = chunk.token_ids.value_or(1);
  if (chunk.completion_tokens) {
    tokens = *chunk.completion_tokens - m_cumulative.value_or(0);
    m_cumulative = chunk.completion_tokens;
  }
  if (!chunk.content) return;
  m_record.content_ns.push_back(received_ns);
  m_record.content_tokens.push_back(tokens > 0 ? tokens : 1);
}

StreamRecord StreamReader::finish() {
  if (m_final_usage) {
    m_record.output_tokens = *m_final_usage;
    m_record.token_source = TokenSource::usage;
  } else if (m_cumulative) {
    m_record.output_tokens = *m_cumulative;
    m_record.token_source = TokenSource::continuous_usage;
  } else {
    long long sum = 0;
    for (long long t : m_record.content_tokens) sum += t;
    m_record.output_tokens = sum;
    m_record.token_source = TokenSource::chunk_count;
  }
  return std::move(m_record);
}

}  // namespace sitegen::bench
