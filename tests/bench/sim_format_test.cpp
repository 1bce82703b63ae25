#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "bench/sim_format.hpp"

using namespace sitegen::bench;

namespace {

SimStream qwen_completions() {
  return SimStream{SimEndpoint::completions, "cmpl-9d0ab69d6c9a4321857d6e0b9acaba7e", 1748737044, "Qwen/Qwen3-4B", 4,
                   true, false};
}

SimStream chat_x() { return SimStream{SimEndpoint::chat, "chatcmpl-X", 1700000000, "M", 12, true, false}; }

}  // namespace

TEST_CASE("a completions token chunk matches vLLM's captured chunk byte for byte", "[sim]") {
  std::string out;
  append_token_event(out, qwen_completions(), " city", 1, "", std::nullopt);
  CHECK(out ==
        R"(data: {"id":"cmpl-9d0ab69d6c9a4321857d6e0b9acaba7e","object":"text_completion","created":1748737044,"model":"Qwen/Qwen3-4B","choices":[{"index":0,"text":" city","logprobs":null,"finish_reason":null,"stop_reason":null}],"usage":null})"
        "\n\n");
}

TEST_CASE("the completions usage chunk matches vLLM's byte for byte", "[sim]") {
  std::string out;
  append_usage_event(out, qwen_completions(), 32, std::nullopt);
  CHECK(out ==
        R"(data: {"id":"cmpl-9d0ab69d6c9a4321857d6e0b9acaba7e","object":"text_completion","created":1748737044,"model":"Qwen/Qwen3-4B","choices":[],"usage":{"prompt_tokens":4,"total_tokens":36,"completion_tokens":32}})"
        "\n\n");
}

TEST_CASE("the last completions chunk carries the finish reason", "[sim]") {
  std::string out;
  append_token_event(out, qwen_completions(), " city", 32, "length", std::nullopt);
  CHECK(out.find(R"("finish_reason":"length","stop_reason":null}],"usage":null})") != std::string::npos);
}

TEST_CASE("a chat stream matches the vLLM sequence in FORMATS.md byte for byte", "[sim]") {
  const SimStream s = chat_x();
  std::string out;
  append_role_event(out, s, std::nullopt);
  append_token_event(out, s, "Hello", 1, "", std::nullopt);
  append_token_event(out, s, ".", 8, "stop", std::nullopt);
  append_usage_event(out, s, 8, std::nullopt);
  append_done(out);
  const std::string head = R"(data: {"id":"chatcmpl-X","object":"chat.completion.chunk","created":1700000000,"model":"M",)";
  CHECK(out ==
        head + R"("choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]})" "\n\n" +
        head + R"("choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]})" "\n\n" +
        head + R"("choices":[{"index":0,"delta":{"content":"."},"logprobs":null,"finish_reason":"stop","stop_reason":null}]})" "\n\n" +
        head + R"("choices":[],"usage":{"prompt_tokens":12,"total_tokens":20,"completion_tokens":8}})" "\n\n"
        "data: [DONE]\n\n");
}

TEST_CASE("continuous usage puts cumulative usage on every chunk", "[sim]") {
  SimStream s = chat_x();
  s.continuous_usage = true;
  std::string role, token;
  append_role_event(role, s, std::nullopt);
  append_token_event(token, s, " a", 3, "", std::nullopt);
  CHECK(role.find(R"("usage":{"prompt_tokens":12,"total_tokens":12,"completion_tokens":0}})") != std::string::npos);
  CHECK(token.find(R"("usage":{"prompt_tokens":12,"total_tokens":15,"completion_tokens":3}})") != std::string::npos);
  SimStream c = qwen_completions();
  c.continuous_usage = true;
  std::string ctoken;
  append_token_event(ctoken, c, " a", 2, "", std::nullopt);
  CHECK(ctoken.find(R"("usage":{"prompt_tokens":4,"total_tokens":6,"completion_tokens":2}})") != std::string::npos);
}

TEST_CASE("the stamp is the last field of every JSON chunk and keeps it valid JSON", "[sim]") {
  std::string out;
  append_token_event(out, qwen_completions(), " city", 1, "", 123456789);
  append_usage_event(out, qwen_completions(), 1, 123456790);
  append_error_event(out, "boom", "InternalServerError", 500, 123456791);
  std::vector<std::int64_t> stamps;
  std::size_t at = 0;
  while (at < out.size()) {
    const std::size_t end = out.find("\n\n", at);
    REQUIRE(end != std::string::npos);
    const std::string payload = out.substr(at + 6, end - at - 6);
    CHECK(payload.find(R"(,"sim_sent_ns":)") != std::string::npos);
    stamps.push_back(nlohmann::json::parse(payload).at("sim_sent_ns").get<std::int64_t>());
    at = end + 2;
  }
  CHECK(stamps == std::vector<std::int64_t>{123456789, 123456790, 123456791});
}

TEST_CASE("the error event is vLLM's error object", "[sim]") {
  std::string out;
  append_error_event(out, "engine \"died\"", "InternalServerError", 500, std::nullopt);
  CHECK(out ==
        R"(data: {"error":{"message":"engine \"died\"","type":"InternalServerError","param":null,"code":500}})" "\n\n");
}

TEST_CASE("the malformed chunk is not valid JSON", "[sim]") {
  std::string out;
  append_malformed_event(out, qwen_completions());
  REQUIRE(out.rfind("data: ", 0) == 0);
  REQUIRE(out.size() > 8);
  CHECK(out.substr(out.size() - 2) == "\n\n");
  CHECK_THROWS(nlohmann::json::parse(out.substr(6, out.size() - 8)));
}

TEST_CASE("complete responses parse and carry text, finish reason and usage", "[sim]") {
  const auto completion = nlohmann::json::parse(sim_full_response(qwen_completions(), " a b", 2, "length"));
  CHECK(completion["object"] == "text_completion");
  CHECK(completion["choices"][0]["text"] == " a b");
  CHECK(completion["choices"][0]["finish_reason"] == "length");
  CHECK(completion["usage"]["total_tokens"] == 6);
  const auto chat = nlohmann::json::parse(sim_full_response(chat_x(), "hi", 1, "stop"));
  CHECK(chat["object"] == "chat.completion");
  CHECK(chat["choices"][0]["message"]["role"] == "assistant");
  CHECK(chat["choices"][0]["message"]["content"] == "hi");
  CHECK(chat["usage"]["completion_tokens"] == 1);
}

TEST_CASE("the models list names the served model and its context length", "[sim]") {
  const auto models = nlohmann::json::parse(sim_models_json("sim/llama-8b", 1700000000, 4096));
  CHECK(models["object"] == "list");
  REQUIRE(models["data"].size() == 1);
  CHECK(models["data"][0]["id"] == "sim/llama-8b");
  CHECK(models["data"][0]["owned_by"] == "sitegen-sim");
  CHECK(models["data"][0]["max_model_len"] == 4096);
}

TEST_CASE("strings are escaped for JSON", "[sim]") {
  CHECK(json_quote("a\"b\\c\nd\x01") == R"("a\"b\\c\nd\u0001")");
  CHECK(nlohmann::json::parse(json_quote("tab\there")) == "tab\there");
}

TEST_CASE("generated text and ids are deterministic from the seed", "[sim]") {
  CHECK(sim_text(7, 3, 0, 20) == sim_text(7, 3, 0, 20));
  CHECK(sim_text(7, 3, 0, 20) != sim_text(8, 3, 0, 20));
  CHECK(sim_text(7, 3, 0, 20) != sim_text(7, 4, 0, 20));
  CHECK(sim_text(7, 3, 0, 5) + sim_text(7, 3, 5, 9) == sim_text(7, 3, 0, 9));
  const std::string id = sim_request_id(SimEndpoint::completions, 1, 2);
  CHECK(id.size() == 5 + 32);
  CHECK(id.rfind("cmpl-", 0) == 0);
  CHECK(id.find_first_not_of("0123456789abcdef", 5) == std::string::npos);
  CHECK(id == sim_request_id(SimEndpoint::completions, 1, 2));
  CHECK(id != sim_request_id(SimEndpoint::completions, 1, 3));
  CHECK(sim_request_id(SimEndpoint::chat, 1, 2).rfind("chatcmpl-", 0) == 0);
}

TEST_CASE("prompt tokens are estimated as one per four bytes", "[sim]") {
  CHECK(estimate_tokens("") == 0);
  CHECK(estimate_tokens("abcd") == 1);
  CHECK(estimate_tokens("abcde") == 2);
  CHECK(estimate_tokens(std::string(4000, 'x')) == 1000);
}
