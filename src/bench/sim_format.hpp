#pragma once
// What sim-server says on the wire, byte for byte like vLLM's OpenAI-compatible server
// (FORMATS.md 4.3 and 4.4): SSE events for /v1/completions and /v1/chat/completions, complete
// responses, /v1/models, error objects, and the deterministic pseudo-text it generates.
// Pure functions over strings, so tests compare bytes without sockets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sitegen::bench {

enum class SimEndpoint { completions, chat };

// What stays the same across one request's chunks.
struct SimStream {
  SimEndpoint endpoint = SimEndpoint::completions;
  std::string id;          // "cmpl-<32 hex>" or "chatcmpl-<32 hex>"
  std::int64_t created = 0;  // unix seconds
  std::string model;       // served model name (escaped when written)
  int prompt_tokens = 0;
  bool include_usage = false;     // the final usage chunk
  bool continuous_usage = false;  // cumulative usage on every chunk
};

// A JSON string literal, quotes included, with the characters JSON requires escaped.
std::string json_quote(std::string_view s);

// "cmpl-" or "chatcmpl-" and 32 hex digits, a function of seed and the request's number.
std::string sim_request_id(SimEndpoint endpoint, std::uint64_t seed, std::uint64_t request_number);

// The text of output token `index` of request `request_number`: a space and a pseudo-word.
std::string_view sim_token_text(std::uint64_t seed, std::uint64_t request_number, int index);

// Tokens of tokens [from, to) concatenated.
std::string sim_text(std::uint64_t seed, std::uint64_t request_number, int from, int to);

// Prompt tokens estimated from text: one per 4 bytes of UTF-8, rounded up (0 for "").
int estimate_tokens(std::string_view text);

// "data: <json>\n\n" events. `stamp` adds "sim_sent_ns" as the last field when given.
// The chat role chunk ({"role":"assistant","content":""}), sent just before the first token.
void append_role_event(std::string& out, const SimStream& s, std::optional<std::int64_t> stamp);
// A token chunk. finish_reason is "length", "stop" or empty (null, not the last chunk);
// `generated` is the completion tokens so far (for continuous usage).
void append_token_event(std::string& out, const SimStream& s, std::string_view text, int generated,
                        std::string_view finish_reason, std::optional<std::int64_t> stamp);
// The final usage chunk: "choices":[] and usage {prompt_tokens, total_tokens, completion_tokens}.
void append_usage_event(std::string& out, const SimStream& s, int completion_tokens,
                        std::optional<std::int64_t> stamp);
// vLLM's in-stream error event {"error":{...}}.
void append_error_event(std::string& out, std::string_view message, std::string_view type, int code,
                        std::optional<std::int64_t> stamp);
// A chunk that is not valid JSON (the first half of a token chunk), for fault injection.
void append_malformed_event(std::string& out, const SimStream& s);
// "data: [DONE]\n\n".
void append_done(std::string& out);

// The complete (stream: false) response of a request.
std::string sim_full_response(const SimStream& s, std::string_view text, int completion_tokens,
                              std::string_view finish_reason);
// GET /v1/models.
std::string sim_models_json(std::string_view model, std::int64_t created, int max_model_len);
// An OpenAI-style error object {"error":{"message","type","param":null,"code"}}.
std::string sim_error_json(std::string_view message, std::string_view type, int code);

}  // namespace sitegen::bench
