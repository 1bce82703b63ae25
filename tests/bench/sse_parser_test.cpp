#include <catch2/catch.hpp>

#include "bench/sse_parser.hpp"
#include "bench/stream.hpp"

namespace {

using sitegen::bench::Chunk;
using sitegen::bench::read_chunk;
using sitegen::bench::SseParser;
using sitegen::bench::StreamReader;

// A completions stream exactly as vLLM sends it (FORMATS.md 4.3): token chunks with every field,
// the usage chunk, [DONE].
const std::string k_completions =
    "data: {\"id\":\"cmpl-9d0ab69d6c9a4321857d6e0b9acaba7e\",\"object\":\"text_completion\",\"created\":1748737044,"
    "\"model\":\"Qwen/Qwen3-4B\",\"choices\":[{\"index\":0,\"text\":\" city\",\"logprobs\":null,\"finish_reason\":null,"
    "\"stop_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"cmpl-9d0ab69d6c9a4321857d6e0b9acaba7e\",\"object\":\"text_completion\",\"created\":1748737044,"
    "\"model\":\"Qwen/Qwen3-4B\",\"choices\":[{\"index\":0,\"text\":\" of\",\"logprobs\":null,\"finish_reason\":null,"
    "\"stop_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"cmpl-9d0ab69d6c9a4321857d6e0b9acaba7e\",\"object\":\"text_completion\",\"created\":1748737044,"
    "\"model\":\"Qwen/Qwen3-4B\",\"choices\":[{\"index\":0,\"text\":\" light\",\"logprobs\":null,\"finish_reason\":"
    "\"length\",\"stop_reason\":null}],\"usage\":null}\n\n"
    "data: {\"id\":\"cmpl-9d0ab69d6c9a4321857d6e0b9acaba7e\",\"object\":\"text_completion\",\"created\":1748737044,"
    "\"model\":\"Qwen/Qwen3-4B\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"total_tokens\":7,"
    "\"completion_tokens\":3}}\n\n"
    "data: [DONE]\n\n";

// A chat stream (FORMATS.md 4.4): role chunk with empty content, content chunks, usage, [DONE].
const std::string k_chat =
    "data: {\"id\":\"chatcmpl-X\",\"object\":\"chat.completion.chunk\",\"created\":1765101666,\"model\":\"Qwen3-8B\","
    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-X\",\"object\":\"chat.completion.chunk\",\"created\":1765101666,\"model\":\"Qwen3-8B\","
    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-X\",\"object\":\"chat.completion.chunk\",\"created\":1765101666,\"model\":\"Qwen3-8B\","
    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\".\"},\"logprobs\":null,\"finish_reason\":\"stop\",\"stop_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-X\",\"object\":\"chat.completion.chunk\",\"created\":1765101666,\"model\":\"Qwen3-8B\","
    "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"total_tokens\":20,\"completion_tokens\":8}}\n\n"
    "data: [DONE]\n\n";

std::vector<std::string> events_of(const std::string& stream, std::size_t split) {
  SseParser parser;
  std::vector<std::string> events;
  parser.feed(std::string_view(stream).substr(0, split), events);
  parser.feed(std::string_view(stream).substr(split), events);
  return events;
}

}  // namespace

TEST_CASE("the SSE parser yields the same events whatever byte a read ends at", "[bench]") {
  for (const std::string* stream : {&k_completions, &k_chat}) {
    const std::vector<std::string> whole = events_of(*stream, stream->size());
    REQUIRE(whole.size() == 5);
    CHECK(whole.back() == "[DONE]");
    for (std::size_t split = 0; split <= stream->size(); ++split) {
      INFO("split at byte " << split);
      REQUIRE(events_of(*stream, split) == whole);
    }
  }
}

TEST_CASE("the SSE parser takes one byte per read", "[bench]") {
  SseParser parser;
  std::vector<std::string> events;
  for (char c : k_completions) parser.feed(std::string_view(&c, 1), events);
  CHECK(events.size() == 5);
  CHECK_FALSE(parser.pending());
}

TEST_CASE("the SSE parser accepts CRLF and CR line ends, comments and other fields", "[bench]") {
  SseParser parser;
  std::vector<std::string> events;
  parser.feed(": ping\r\n\r\nevent: message\r\nid: 7\r\ndata: {\"a\":1}\r\n\r\ndata:{\"b\":2}\r\rdata: x\ndata: y\n\n", events);
  REQUIRE(events.size() == 3);
  CHECK(events[0] == "{\"a\":1}");
  CHECK(events[1] == "{\"b\":2}");
  CHECK(events[2] == "x\ny");  // several data lines join with a newline
}

TEST_CASE("a CRLF split between its CR and LF is one line end", "[bench]") {
  SseParser parser;
  std::vector<std::string> events;
  parser.feed("data: 1\r", events);
  parser.feed("\n\r", events);
  parser.feed("\ndata: 2\r\n\r\n", events);
  CHECK(events == std::vector<std::string>{"1", "2"});
}

TEST_CASE("an unfinished event is pending, not emitted", "[bench]") {
  SseParser parser;
  std::vector<std::string> events;
  parser.feed("data: {\"choices\":[", events);
  CHECK(events.empty());
  CHECK(parser.pending());
}

TEST_CASE("an overlong line marks the stream malformed instead of growing without bound", "[bench]") {
  SseParser parser(16);
  std::vector<std::string> events;
  parser.feed("data: 0123456789abcdefghij\n\n", events);
  CHECK(parser.overflowed());
  CHECK(events.empty());
}

TEST_CASE("an overflowed stream is in the same state however its bytes were split", "[bench]") {
  // Found by fuzz/sse_parser.cpp: read whole, the overlong line left nothing pending; read byte
  // by byte, its first bytes stayed buffered and pending() said an event was unfinished.
  const std::string stream = "data: 1\n\ndata: {\"id\":\"0123456789abcdefghij\"}\n\n";
  SseParser whole(16), bytewise(16);
  std::vector<std::string> a, b;
  whole.feed(stream, a);
  for (char c : stream) bytewise.feed(std::string_view(&c, 1), b);
  CHECK(a == std::vector<std::string>{"1"});
  CHECK(b == a);
  CHECK(whole.overflowed());
  CHECK(bytewise.overflowed());
  CHECK_FALSE(whole.pending());
  CHECK_FALSE(bytewise.pending());
}

TEST_CASE("read_chunk finds content in completions text, chat content and reasoning", "[bench]") {
  CHECK(read_chunk(R"({"choices":[{"index":0,"text":" city"}],"usage":null})").content);
  CHECK_FALSE(read_chunk(R"({"choices":[{"index":0,"text":""}],"usage":null})").content);
  CHECK_FALSE(read_chunk(R"({"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})").content);
  CHECK(read_chunk(R"({"choices":[{"index":0,"delta":{"content":"Hi"}}]})").content);
  CHECK(read_chunk(R"({"choices":[{"index":0,"delta":{"reasoning":"think"}}]})").content);
  CHECK(read_chunk(R"({"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]})").content);
  CHECK(read_chunk(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"f"}}]}}]})").content);
  // A key named like a content field elsewhere in the chunk is not content.
  CHECK_FALSE(read_chunk(R"({"choices":[{"index":0,"delta":{}}],"text":"x","content":"y"})").content);
}

TEST_CASE("read_chunk reads usage, token ids and the simulator's send stamp", "[bench]") {
  const Chunk usage = read_chunk(R"({"id":"c","choices":[],"usage":{"prompt_tokens":4,"total_tokens":36,"completion_tokens":32}})");
  CHECK(usage.kind == Chunk::Kind::data);
  CHECK(usage.choices == 0);
  CHECK(usage.completion_tokens == 32);
  CHECK(usage.prompt_tokens == 4);
  const Chunk ids = read_chunk(R"({"choices":[{"text":"ab","token_ids":[5,6,7]}],"sim_sent_ns":123456789012})");
  CHECK(ids.choices == 1);
  CHECK(ids.token_ids == 3);
  CHECK(ids.sim_sent_ns == 123456789012LL);
}

TEST_CASE("read_chunk recognises both error event forms, DONE and malformed data", "[bench]") {
  const Chunk nested = read_chunk(R"({"error":{"message":"out of memory","type":"InternalServerError","param":null,"code":500}})");
  CHECK(nested.kind == Chunk::Kind::error);
  CHECK(nested.message == "out of memory");
  const Chunk flat = read_chunk(R"({"object":"error","message":"bad","type":"BadRequestError","param":null,"code":400})");
  CHECK(flat.kind == Chunk::Kind::error);
  CHECK(flat.message == "bad");
  CHECK(read_chunk("[DONE]").kind == Chunk::Kind::done);
  CHECK(read_chunk(R"({"choices":[{"text":"a"})").kind == Chunk::Kind::malformed);
  CHECK(read_chunk("[1,2]").kind == Chunk::Kind::malformed);
  CHECK(read_chunk("42").kind == Chunk::Kind::malformed);
  CHECK(read_chunk("").kind == Chunk::Kind::malformed);
  CHECK(read_chunk(R"({"a":1} {"b":2})").kind == Chunk::Kind::malformed);
}

TEST_CASE("a stream reader times content chunks and takes tokens from the usage chunk", "[bench]") {
  StreamReader reader;
  // Feed the chat stream in awkward pieces, each stamped with its own receipt time.
  std::int64_t t = 1000;
  for (std::size_t i = 0; i < k_chat.size(); i += 37) reader.feed(std::string_view(k_chat).substr(i, 37), t++);
  const auto record = reader.finish();
  CHECK(record.done);
  CHECK(record.failure_kind.empty());
  CHECK(record.content_ns.size() == 2);  // the role chunk carries no content
  CHECK(record.output_tokens == 8);
  CHECK(record.prompt_tokens == 12);
  CHECK(record.token_source == sitegen::bench::TokenSource::usage);
  CHECK(record.content_ns[0] < record.content_ns[1]);
}

TEST_CASE("continuous usage gives each chunk its token count", "[bench]") {
  StreamReader reader;
  reader.feed("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":0}}\n\n", 1);
  reader.feed("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n", 2);
  reader.feed("data: {\"choices\":[{\"delta\":{\"content\":\"bcd\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4}}\n\n", 3);
  reader.feed("data: [DONE]\n\n", 4);
  const auto record = reader.finish();
  CHECK(record.content_tokens == std::vector<long long>{1, 3});
  CHECK(record.output_tokens == 4);
  CHECK(record.token_source == sitegen::bench::TokenSource::continuous_usage);
}

TEST_CASE("without usage the output tokens are the content chunks counted", "[bench]") {
  StreamReader reader;
  reader.feed("data: {\"choices\":[{\"text\":\"a\"}]}\n\ndata: {\"choices\":[{\"text\":\"b\"}]}\n\ndata: [DONE]\n\n", 1);
  const auto record = reader.finish();
  CHECK(record.output_tokens == 2);
  CHECK(record.token_source == sitegen::bench::TokenSource::chunk_count);
}

TEST_CASE("a stream reader keeps the first problem and still sees DONE", "[bench]") {
  StreamReader reader;
  reader.feed("data: {\"choices\":[{\"text\":\"a\"}]}\n\ndata: {not json\n\n", 1);
  reader.feed("data: {\"error\":{\"message\":\"boom\",\"code\":500}}\n\ndata: [DONE]\n\n", 2);
  const auto record = reader.finish();
  CHECK(record.failure_kind == "malformed_stream");
  CHECK(record.done);
}
