#include "bench/sim_format.hpp"

#include <array>
#include <charconv>

namespace sitegen::bench {

namespace {

// A small, fixed vocabulary; every entry is plain ASCII so it needs no escaping.
constexpr std::array<std::string_view, 64> k_words = {
    " the",    " of",     " and",   " to",     " in",    " a",      " is",     " that",
    " for",    " it",     " as",    " was",    " with",  " on",     " be",     " at",
    " by",     " this",   " from",  " or",     " which", " one",    " have",   " an",
    " model",  " token",  " batch", " server", " GPU",   " memory", " stream", " latency",
    " city",   " river",  " light", " north",  " early", " small",  " stone",  " water",
    " time",   " people", " year",  " way",    " day",   " thing",  " world",  " life",
    " hand",   " part",   " place", " case",   " week",  " point",  " number", " group",
    " fact",   " word",   " room",  " story",  " line",  " state",  " order",  "."};

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

std::string_view object_name(SimEndpoint e) {
  return e == SimEndpoint::chat ? "chat.completion.chunk" : "text_completion";
}

// {"id":..,"object":..,"created":..,"model":..,
void append_header(std::string& out, const SimStream& s) {
  out += R"({"id":")";
  out += s.id;
  out += R"(","object":")";
  out += object_name(s.endpoint);
  out += R"(","created":)";
  append_int(out, s.created);
  out += R"(,"model":)";
  out += json_quote(s.model);
  out += ',';
}

void append_usage(std::string& out, int prompt, int completion) {
  out += R"({"prompt_tokens":)";
  append_int(out, prompt);
  out += R"(,"total_tokens":)";
  append_int(out, std::int64_t(prompt) + completion);
  out += R"(,"completion_tokens":)";
  append_int(out, completion);
  out += '}';
}

// Closes an event: the stamp field when given, the object, and the blank line.
void append_end(std::string& out, std::optional<std::int64_t> stamp) {
  if (stamp) {
    out += R"(,"sim_sent_ns":)";
    append_int(out, *stamp);
  }
  out += "}\n\n";
}

void append_finish(std::string& out, std::string_view finish_reason) {
  if (finish_reason.empty()) {
    out += "null";
  } else {
    out += '"';
    out += finish_reason;
    out += '"';
  }
}

}  // namespace

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20) {
      static constexpr char k_hex[] = "0123456789abcdef";
      out += "\\u00";
      out += k_hex[u >> 4];
      out += k_hex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string sim_request_id(SimEndpoint endpoint, std::uint64_t seed, std::uint64_t request_number) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string id = endpoint == SimEndpoint::chat ? "chatcmpl-" : "cmpl-";
  const std::uint64_t halves[2] = {splitmix64(seed * 2 + 1 + (request_number << 1)),
                                   splitmix64(~seed + request_number * 0x632be59bd9b4e019ULL)};
  for (std::uint64_t h : halves) {
    for (int shift = 60; shift >= 0; shift -= 4) id += k_hex[(h >> shift) & 15];
  }
  return id;
}

std::string_view sim_token_text(std::uint64_t seed, std::uint64_t request_number, int index) {
  const std::uint64_t h = splitmix64(splitmix64(seed ^ (request_number * 0x9e3779b97f4a7c15ULL)) + std::uint64_t(index));
  return k_words[h % k_words.size()];
}

std::string sim_text(std::uint64_t seed, std::uint64_t request_number, int from, int to) {
  std::string text;
  for (int i = from; i < to; ++i) text += sim_token_text(seed, request_number, i);
  return text;
}

int estimate_tokens(std::string_view text) { return static_cast<int>((text.size() + 3) / 4); }

void append_role_event(std::string& out, const SimStream& s, std::optional<std::int64_t> stamp) {
  out += "data: ";
  append_header(out, s);
  out += R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}])";
  if (s.continuous_usage) {
    out += R"(,"usage":)";
    append_usage(out, s.prompt_tokens, 0);
  }
  append_end(out, stamp);
}

void append_token_event(std::string& out, const SimStream& s, std::string_view text, int generated,
                        std::string_view finish_reason, std::optional<std::int64_t> stamp) {
  out += "data: ";
  append_header(out, s);
  if (s.endpoint == SimEndpoint::chat) {
    out += R"("choices":[{"index":0,"delta":{"content":)";
    out += json_quote(text);
    out += R"(},"logprobs":null,"finish_reason":)";
    append_finish(out, finish_reason);
    if (!finish_reason.empty()) out += R"(,"stop_reason":null)";
    out += "}]";
    if (s.continuous_usage) {
      out += R"(,"usage":)";
      append_usage(out, s.prompt_tokens, generated);
    }
  } else {
    out += R"("choices":[{"index":0,"text":)";
    out += json_quote(text);
    out += R"(,"logprobs":null,"finish_reason":)";
    append_finish(out, finish_reason);
    out += R"(,"stop_reason":null}],"usage":)";
    if (s.continuous_usage) {
      append_usage(out, s.prompt_tokens, generated);
    } else {
      out += "null";
    }
  }
  append_end(out, stamp);
}

void append_usage_event(std::string& out, const SimStream& s, int completion_tokens,
                        std::optional<std::int64_t> stamp) {
  out += "data: ";
  append_header(out, s);
  out += R"("choices":[],"usage":)";
  append_usage(out, s.prompt_tokens, completion_tokens);
  append_end(out, stamp);
}

void append_error_event(std::string& out, std::string_view message, std::string_view type, int code,
                        std::optional<std::int64_t> stamp) {
  out += "data: ";
  std::string body = sim_error_json(message, type, code);
  body.pop_back();  // reopen the outer object so the stamp can join it
  out += body;
  append_end(out, stamp);
}

void append_malformed_event(std::string& out, const SimStream& s) {
  out += "data: ";
  append_header(out, s);
  out += R"("choices":[{"index":0,"te)";
  out += "\n\n";
}

void append_done(std::string& out) { out += "data: [DONE]\n\n"; }

std::string sim_full_response(const SimStream& s, std::string_view text, int completion_tokens,
                              std::string_view finish_reason) {
  std::string out = R"({"id":")" + s.id + R"(","object":")";
  out += s.endpoint == SimEndpoint::chat ? "chat.completion" : "text_completion";
  out += R"(","created":)";
  append_int(out, s.created);
  out += R"(,"model":)" + json_quote(s.model) + R"(,"choices":[{"index":0,)";
  if (s.endpoint == SimEndpoint::chat) {
    out += R"("message":{"role":"assistant","content":)" + json_quote(text) + R"(,"tool_calls":[]},)";
  } else {
    out += R"("text":)" + json_quote(text) + ",";
  }
  out += R"("logprobs":null,"finish_reason":)";
  append_finish(out, finish_reason);
  out += R"(,"stop_reason":null}],"usage":)";
  append_usage(out, s.prompt_tokens, completion_tokens);
  out += '}';
  return out;
}

std::string sim_models_json(std::string_view model, std::int64_t created, int max_model_len) {
  std::string out = R"({"object":"list","data":[{"id":)" + json_quote(model) + R"(,"object":"model","created":)";
  append_int(out, created);
  out += R"(,"owned_by":"sitegen-sim","root":)" + json_quote(model) + R"(,"parent":null,"max_model_len":)";
  append_int(out, max_model_len);
  out += R"(,"permission":[]}]})";
  return out;
}

std::string sim_error_json(std::string_view message, std::string_view type, int code) {
  std::string out = R"({"error":{"message":)" + json_quote(message) + R"(,"type":)" + json_quote(type) +
                    R"(,"param":null,"code":)";
  append_int(out, code);
  out += "}}";
  return out;
}

}  // namespace sitegen::bench
