// bench::SseParser and read_chunk, on what a server streams: the events do not depend on how the
// bytes were split into reads (whole, byte by byte, or at the cut points the input's first bytes
// choose), and reading any event's data as a chunk never fails.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/sse_parser.hpp"
#include "fuzz_check.hpp"

namespace {

struct Outcome {
  std::vector<std::string> events;
  bool overflowed = false;
  bool pending = false;
  bool operator==(const Outcome&) const = default;
};

// Feeds `stream` in pieces of the given sizes (cycled), with a small line limit so overflow is
// reached too.
Outcome parse(std::string_view stream, const std::vector<std::size_t>& pieces) {
  sitegen::bench::SseParser parser(256);
  Outcome out;
  std::size_t at = 0, k = 0;
  while (at < stream.size()) {
    const std::size_t n = std::min(pieces.empty() ? stream.size() : pieces[k++ % pieces.size()], stream.size() - at);
    parser.feed(stream.substr(at, n), out.events);
    at += n;
  }
  out.overflowed = parser.overflowed();
  out.pending = parser.pending();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sitegen;
  // The first bytes (up to 4) choose the read sizes, the rest is the stream.
  std::vector<std::size_t> pieces;
  std::size_t head = 0;
  while (head < size && head < 4) pieces.push_back(std::size_t(data[head++] % 17) + 1);
  const std::string_view stream(reinterpret_cast<const char*>(data) + head, size - head);

  const Outcome whole = parse(stream, {});
  fuzz::check(parse(stream, {1}) == whole, "byte-by-byte reads give other events than one read");
  fuzz::check(parse(stream, pieces) == whole, "reads split at other points give other events");
  for (const std::string& event : whole.events) {
    const bench::Chunk chunk = bench::read_chunk(event);
    if (chunk.kind == bench::Chunk::Kind::malformed) fuzz::check(!chunk.message.empty(), "a malformed chunk with no reason");
  }
  return 0;
}
