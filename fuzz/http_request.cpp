// bench::parse_http_request, sim-server's reader of request bytes: an error carries a status to
// answer and a reason; a complete request consumed no more than it was given, parses the same from
// exactly those bytes, and is incomplete (never an error or complete) one byte short.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bench/http_request.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sitegen;
  using State = bench::ParseResult::State;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  bench::HttpLimits limits;
  limits.max_header_bytes = 2048;  // small, so the fuzzer reaches the limits
  limits.max_body_bytes = 4096;

  bench::HttpRequest request;
  const bench::ParseResult r = bench::parse_http_request(input, limits, request);
  if (r.state == State::error) {
    fuzz::check(r.status >= 400 && r.status < 600, "an error without a 4xx/5xx status");
    fuzz::check(!r.message.empty(), "an error without a reason");
    fuzz::check(!bench::reason_phrase(r.status).empty(), "a status without a reason phrase");
    return 0;
  }
  if (r.state == State::incomplete) return 0;

  fuzz::check(r.consumed > 0 && r.consumed <= size, "a complete request consumed more than it was given");
  fuzz::check(request.body.size() <= limits.max_body_bytes, "a body over the limit was accepted");
  bench::HttpRequest again;
  const bench::ParseResult exact = bench::parse_http_request(input.substr(0, r.consumed), limits, again);
  fuzz::check(exact.state == State::complete && exact.consumed == r.consumed,
              "the request's own bytes do not parse to the same request");
  fuzz::check(again.method == request.method && again.target == request.target && again.body == request.body &&
                  again.headers == request.headers && again.keep_alive == request.keep_alive,
              "the request's own bytes parse to another request");
  bench::HttpRequest part;
  const bench::ParseResult shorter = bench::parse_http_request(input.substr(0, r.consumed - 1), limits, part);
  fuzz::check(shorter.state == State::incomplete, "a prefix of a complete request is not incomplete");
  return 0;
}
