#include "bench/http_request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "util/strings.hpp"

namespace sitegen::bench {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::string_view HttpRequest::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::string_view HttpRequest::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

// --- Parsing ---------------------------------------------------------------------------------

namespace {

bool is_token_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

ParseResult parse_error(int status, std::string message) {
  ParseResult r;
  r.state = ParseResult::State::error;
  r.status = status;
  r.message = std::move(message);
  return r;
}

bool has_token(std::string_view list, std::string_view token) {
  for (const std::string& piece : strings::split(list, ',')) {
    if (strings::lower(strings::trim(piece)) == token) return true;
  }
  return false;
}

// The request line: METHOD SP target SP HTTP/1.x
std::optional<ParseResult> parse_request_line(std::string_view line, HttpRequest& out) {
  const std::size_t a = line.find(' ');
  const std::size_t b = a == std::string_view::npos ? a : line.find(' ', a + 1);
  if (b == std::string_view::npos || line.find(' ', b + 1) != std::string_view::npos) {
    return parse_error(400, "malformed request line (expected 'METHOD /path HTTP/1.1')");
  }
  out.method = std::string(line.substr(0, a));
  out.target = std::string(line.substr(a + 1, b - a - 1));
  out.version = std::string(line.substr(b + 1));
  if (!is_token(out.method)) return parse_error(400, "malformed request method");
  if (out.target.empty() || out.target[0] != '/') return parse_error(400, "request target must start with '/'");
  if (out.version != "HTTP/1.1" && out.version != "HTTP/1.0") {
    if (out.version.rfind("HTTP/", 0) == 0) return parse_error(505, "only HTTP/1.0 and HTTP/1.1 are supported");
    return parse_error(400, "malformed HTTP version");
  }
  return std::nullopt;
}

std::optional<ParseResult> parse_header_line(std::string_view line, HttpRequest& out) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    return parse_error(400, "malformed header line");
  }
  out.headers.emplace_back(strings::lower(line.substr(0, colon)),
                           std::string(strings::trim(line.substr(colon + 1))));
  return std::nullopt;
}

// The declared body length, or an error.
std::optional<ParseResult> body_length(const HttpRequest& req, const HttpLimits& limits, std::size_t& length) {
  length = 0;
  bool seen = false;
  for (const auto& [name, value] : req.headers) {
    if (name == "transfer-encoding") {
      return parse_error(501, "chunked request bodies are not supported; send a Content-Length");
    }
    if (name != "content-length") continue;
    std::size_t v = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
      return parse_error(400, "Content-Length is not a number");
    }
    if (seen && v != length) return parse_error(400, "conflicting Content-Length headers");
    length = v;
    seen = true;
  }
  if (length > limits.max_body_bytes) {
    return parse_error(413, "request body of " + std::to_string(length) + " bytes is larger than the limit of " +
                                std::to_string(limits.max_body_bytes));
  }
  return std::nullopt;
}

}  // namespace

ParseResult parse_http_request(std::string_view input, const HttpLimits& limits, HttpRequest& out) {
  const std::size_t head_end = input.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    if (input.size() > limits.max_header_bytes) return parse_error(431, "request headers are too large");
    return {};
  }
  if (head_end > limits.max_header_bytes) return parse_error(431, "request headers are too large");
  out = HttpRequest{};
  const std::string_view head = input.substr(0, head_end);
  std::size_t pos = head.find("\r\n");
  if (auto err = parse_request_line(head.substr(0, pos), out)) return *err;
  while (pos != std::string_view::npos) {
    const std::size_t start = pos + 2;
    pos = head.find("\r\n", start);
    const std::string_view line = head.substr(start, pos == std::string_view::npos ? pos : pos - start);
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) return parse_error(400, "folded header lines are not allowed");
    if (auto err = parse_header_line(line, out)) return *err;
  }
  std::size_t length = 0;
  if (auto err = body_length(out, limits, length)) return *err;

  const std::string_view connection = out.header("connection");
  out.keep_alive = out.version == "HTTP/1.1" ? !has_token(connection, "close") : has_token(connection, "keep-alive");
  const std::size_t total = head_end + 4 + length;
  if (input.size() < total) {
    ParseResult r;
    r.expects_continue = strings::lower(out.header("expect")) == "100-continue";
    return r;
  }
  out.body = std::string(input.substr(head_end + 4, length));
  ParseResult r;
  r.state = ParseResult::State::complete;
  r.consumed = total;
  return r;
}

}  // namespace sitegen::bench
