#pragma once
// HTTP/1.1 requests as sim-server reads them: one parsed request, and a parser that works on bytes
// (no network), so the server and tests share it.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sitegen::bench {

// One parsed request. Header names are lower-cased; values are trimmed.
struct HttpRequest {
  std::string method;
  std::string target;   // as sent, query string included
  std::string version;  // "HTTP/1.1" or "HTTP/1.0"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = true;

  // The value of the first header with this (lower-case) name, or "" when absent.
  std::string_view header(std::string_view lower_name) const;
  // The target without its query string.
  std::string_view path() const;
};

// What a request's bytes parsed into so far.
struct ParseResult {
  enum class State { incomplete, complete, error };
  State state = State::incomplete;
  std::size_t consumed = 0;  // bytes of input that make up the complete request
  int status = 0;            // for error: the HTTP status to answer (400, 411, 413, 431, 505)
  std::string message;       // for error: what was wrong
  bool expects_continue = false;  // incomplete, headers read, "Expect: 100-continue" sent
};

// Limits the parser enforces.
struct HttpLimits {
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_body_bytes = 64 * 1024 * 1024;
};

// Parses one request from the start of input (no network; the server and tests use it).
// Never throws: bad requests come back as State::error with the status to answer.
ParseResult parse_http_request(std::string_view input, const HttpLimits& limits, HttpRequest& out);

// The reason phrase for a status code ("OK", "Not Found", ...).
std::string_view reason_phrase(int status);

}  // namespace sitegen::bench
