#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "bench/http_server.hpp"
#include "bench/sim_raw_client.hpp"
#include "bench/sim_server.hpp"
#include "support.hpp"
#include "util/error.hpp"

extern char** environ;

using namespace sitegen;
using namespace sitegen::bench;
using namespace sitegen::test;
using nlohmann::json;

namespace {

// Fast steps so every test ends in well under a second.
SimOptions fast_options() {
  SimOptions o;
  o.engine.decode_step_ms = 1;
  o.engine.decode_step_ms_per_seq = 0;
  o.engine.prefill_us_per_token = 0;
  return o;
}

std::string completion_body(int max_tokens, bool stream = true, const std::string& extra = "") {
  json body = {{"model", "sitegen-sim"}, {"prompt", "The quick brown fox jumps"}, {"max_tokens", max_tokens},
               {"stream", stream}, {"ignore_eos", true}};
  if (stream) body["stream_options"] = {{"include_usage", true}};
  if (!extra.empty()) body.update(json::parse(extra));
  return body.dump();
}

std::string chat_body(int max_tokens) {
  return json({{"model", "sitegen-sim"},
               {"messages", {{{"role", "user"}, {"content", {{{"type", "text"}, {"text", "Hello there, model"}}}}}}},
               {"max_completion_tokens", max_tokens},
               {"stream", true},
               {"stream_options", {{"include_usage", true}}}})
      .dump();
}

RawResponse post(int port, const std::string& path, const std::string& body, int timeout_ms = 5000) {
  RawClient c(port);
  c.send(http_post(path, body));
  return read_response(c, timeout_ms);
}

RawResponse get(int port, const std::string& path) {
  RawClient c(port);
  c.send(http_get(path));
  return read_response(c);
}

// The JSON events of an SSE body; "[DONE]" kept as a string.
std::vector<json> events(const std::string& body) {
  std::vector<json> out;
  for (const std::string& data : sse_data(body)) out.push_back(data == "[DONE]" ? json("[DONE]") : json::parse(data));
  return out;
}

}  // namespace

TEST_CASE("health, version and models answer like vLLM and say it is a simulator", "[sim]") {
  SimOptions o = fast_options();
  o.model = "sim/llama-8b";
  SimServer server(o);
  const int port = server.start();
  CHECK(get(port, "/health").status == 200);
  const auto version = get(port, "/version");
  CHECK(version.status == 200);
  CHECK(json::parse(version.body)["version"].get<std::string>().rfind("sitegen-sim ", 0) == 0);
  const auto models = json::parse(get(port, "/v1/models").body);
  CHECK(models["data"][0]["id"] == "sim/llama-8b");
  CHECK(models["data"][0]["owned_by"] == "sitegen-sim");
}

TEST_CASE("unknown routes get 404 and wrong methods 405, as JSON errors", "[sim]") {
  SimServer server(fast_options());
  const int port = server.start();
  const auto missing = get(port, "/v1/embeddings");
  CHECK(missing.status == 404);
  CHECK(json::parse(missing.body)["error"]["code"] == 404);
  const auto wrong = get(port, "/v1/completions");
  CHECK(wrong.status == 405);
  CHECK(json::parse(wrong.body)["error"]["code"] == 405);
}

TEST_CASE("bad generation requests get OpenAI-style 400 errors that say why", "[sim]") {
  SimOptions o = fast_options();
  o.engine.max_model_len = 100;
  SimServer server(o);
  const int port = server.start();
  auto error_of = [&](const std::string& body, int status = 400) {
    const auto r = post(port, "/v1/completions", body);
    CHECK(r.status == status);
    return json::parse(r.body)["error"]["message"].get<std::string>();
  };
  CHECK_THAT(error_of("{not json"), Catch::Contains("not valid JSON"));
  CHECK_THAT(error_of("[1,2]"), Catch::Contains("JSON object"));
  CHECK_THAT(error_of(R"({"max_tokens":3})"), Catch::Contains("'prompt' is required"));
  CHECK_THAT(error_of(R"({"prompt":"hi","max_tokens":0})"), Catch::Contains("max_tokens"));
  CHECK_THAT(error_of(R"({"prompt":"hi","stream_options":{"include_usage":true}})"), Catch::Contains("stream=True"));
  CHECK_THAT(error_of(R"({"prompt":"hi","max_tokens":100})"), Catch::Contains("maximum context length is 100"));
  CHECK_THAT(error_of(R"({"prompt":"hi","model":"gpt-4"})", 404), Catch::Contains("`gpt-4` does not exist"));
  const auto chat = post(port, "/v1/chat/completions", R"({"messages":[]})");
  CHECK(chat.status == 400);
  CHECK(server.stats().rejected == 8);
}

TEST_CASE("a request body with an out-of-range number or a part of the wrong type is a 400, and the server goes on", "[sim]") {
  // Both used to throw nlohmann exceptions past the request handler, which ended the server's loop.
  SimServer server(fast_options());
  const int port = server.start();
  const auto huge = post(port, "/v1/completions", R"({"prompt":"hi","max_tokens":1e999})");
  CHECK(huge.status == 400);
  CHECK_THAT(json::parse(huge.body)["error"]["message"].get<std::string>(), Catch::Contains("not valid JSON"));
  const auto part = post(port, "/v1/chat/completions",
                         R"({"messages":[{"role":"user","content":[{"type":5,"text":"hi"},{"type":"text","text":"hi"}]}],"max_tokens":2})");
  CHECK(part.status == 200);
  CHECK(get(port, "/health").status == 200);
}

TEST_CASE("a request body nested 100,000 levels deep gets a 400 naming where", "[sim]") {
  SimServer server(fast_options());
  const int port = server.start();
  const std::string deep = "{\"prompt\": \"hi\", \"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  const auto r = post(port, "/v1/completions", deep);
  CHECK(r.status == 400);
  CHECK_THAT(json::parse(r.body)["error"]["message"].get<std::string>(),
             Catch::Contains("/x/0/0/") && Catch::Contains("nested deeper than 64 levels"));
  // and the server is still there.
  CHECK(post(port, "/v1/completions", R"({"prompt":"hi","max_tokens":2})").status == 200);
}

TEST_CASE("a streamed completion sends every token chunk, the usage chunk and DONE", "[sim]") {
  SimServer server(fast_options());
  const int port = server.start();
  const auto r = post(port, "/v1/completions", completion_body(5));
  REQUIRE(r.complete);
  CHECK(r.status == 200);
  CHECK(r.header("content-type") == "text/event-stream; charset=utf-8");
  CHECK(r.header("transfer-encoding") == "chunked");
  const auto ev = events(r.body);
  REQUIRE(ev.size() == 7);
  std::string text;
  for (int i = 0; i < 5; ++i) {
    const json& chunk = ev[i];
    CHECK(chunk["object"] == "text_completion");
    CHECK(chunk["id"] == ev[0]["id"]);
    CHECK(chunk["usage"].is_null());
    CHECK(chunk["choices"][0].contains("logprobs"));
    CHECK(chunk["choices"][0]["finish_reason"] == (i == 4 ? json("length") : json()));
    text += chunk["choices"][0]["text"].get<std::string>();
  }
  CHECK(!text.empty());
  CHECK(ev[5]["choices"].empty());
  CHECK(ev[5]["usage"] == json({{"prompt_tokens", 7}, {"total_tokens", 12}, {"completion_tokens", 5}}));
  CHECK(ev[6] == "[DONE]");
  CHECK(server.stats().completed == 1);
}

TEST_CASE("a streamed chat completion starts with the role chunk", "[sim]") {
  SimServer server(fast_options());
  const int port = server.start();
  const auto ev = events(post(port, "/v1/chat/completions", chat_body(3)).body);
  REQUIRE(ev.size() == 1 + 3 + 1 + 1);
  CHECK(ev[0]["object"] == "chat.completion.chunk");
  CHECK(ev[0]["choices"][0]["delta"] == json({{"role", "assistant"}, {"content", ""}}));
  CHECK(ev[1]["choices"][0]["delta"].contains("content"));
  CHECK(!ev[1]["choices"][0]["delta"].contains("role"));
  CHECK(ev[3]["choices"][0]["finish_reason"] == "length");
  CHECK(ev[4]["usage"]["completion_tokens"] == 3);
  CHECK(ev[4]["usage"]["prompt_tokens"] == 5);  // "Hello there, model": 18 bytes / 4, rounded up
  CHECK(ev[5] == "[DONE]");
}

TEST_CASE("without include_usage there is no usage chunk, continuous usage counts up", "[sim]") {
  SimServer server(fast_options());
  const int port = server.start();
  const auto plain = events(post(port, "/v1/completions", completion_body(2, true, R"({"stream_options":null})")).body);
  REQUIRE(plain.size() == 3);
  CHECK(plain[1]["choices"].size() == 1);
  const auto continuous = events(
      post(port, "/v1/completions", completion_body(3, true, R"({"stream_options":{"continuous_usage_stats":true}})")).body);
  REQUIRE(continuous.size() == 5);
  for (int i = 0; i < 3; ++i) CHECK(continuous[i]["usage"]["completion_tokens"] == i + 1);
}

TEST_CASE("several tokens per chunk still add up to max_tokens", "[sim]") {
  SimOptions o = fast_options();
  o.engine.tokens_per_chunk = 4;
  SimServer server(o);
  const int port = server.start();
  const auto ev = events(post(port, "/v1/completions", completion_body(10, true, R"({"stream_options":{"continuous_usage_stats":true}})")).body);
  REQUIRE(ev.size() == 1 + 3 + 1 + 1);  // 1, 4, 4, 1 tokens
  CHECK(ev[3]["usage"]["completion_tokens"] == 10);
  CHECK(ev[4]["usage"]["completion_tokens"] == 10);
}

TEST_CASE("complete (non-streamed) responses carry the whole text and usage", "[sim]") {
  SimServer server(fast_options());
  const int port = server.start();
  const auto r = post(port, "/v1/completions", completion_body(4, false));
  CHECK(r.status == 200);
  const json body = json::parse(r.body);
  CHECK(body["choices"][0]["finish_reason"] == "length");
  CHECK(body["usage"]["completion_tokens"] == 4);
  CHECK(!body["choices"][0]["text"].get<std::string>().empty());
}

TEST_CASE("without ignore_eos a request stops early after --eos-after tokens", "[sim]") {
  SimOptions o = fast_options();
  o.eos_after = 2;
  SimServer server(o);
  const int port = server.start();
  const auto ev = events(post(port, "/v1/completions", completion_body(6, true, R"({"ignore_eos":false})")).body);
  REQUIRE(ev.size() == 4);
  CHECK(ev[1]["choices"][0]["finish_reason"] == "stop");
  CHECK(ev[2]["usage"]["completion_tokens"] == 2);
}

TEST_CASE("two streamed requests run one after the other on one keep-alive connection", "[sim]") {
  SimServer server(fast_options());
  const int port = server.start();
  RawClient c(port);
  c.send(http_post("/v1/completions", completion_body(3)));
  const auto first = read_response(c);
  c.send(http_post("/v1/chat/completions", chat_body(2)));
  const auto second = read_response(c);
  CHECK(first.complete);
  CHECK(second.complete);
  CHECK(events(first.body).back() == "[DONE]");
  CHECK(events(second.body).back() == "[DONE]");
  CHECK(!c.eof());
}

TEST_CASE("tokens follow the timing model: one decode step apart", "[sim]") {
  SimOptions o = fast_options();
  o.engine.decode_step_ms = 20;
  SimServer server(o);
  const int port = server.start();
  const auto start = std::chrono::steady_clock::now();
  const auto r = post(port, "/v1/completions", completion_body(5));
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.complete);
  CHECK(took >= std::chrono::milliseconds(100));  // five steps of 20 ms
  CHECK(took < std::chrono::milliseconds(2000));
}

TEST_CASE("stamping puts the server's monotonic send time on every chunk", "[sim]") {
  SimOptions o = fast_options();
  o.stamp = true;
  SimServer server(o);
  const int port = server.start();
  const std::int64_t before = monotonic_ns();
  const auto ev = events(post(port, "/v1/chat/completions", chat_body(4)).body);
  const std::int64_t after = monotonic_ns();
  REQUIRE(ev.size() == 7);
  std::int64_t previous = before;
  for (const json& e : ev) {
    if (e == "[DONE]") continue;
    REQUIRE(e.contains("sim_sent_ns"));
    const std::int64_t t = e["sim_sent_ns"].get<std::int64_t>();
    CHECK(t >= previous);
    CHECK(t <= after);
    previous = t;
  }
}

TEST_CASE("a client that leaves mid-stream frees its batch slot", "[sim]") {
  SimOptions o = fast_options();
  o.engine.max_batch = 1;
  o.engine.decode_step_ms = 5;
  SimServer server(o);
  const int port = server.start();
  {
    RawClient hog(port);
    hog.send(http_post("/v1/completions", completion_body(5000)));
    CHECK(hog.read_until("text_completion", 2000));
  }
  // With the slot still taken this would wait 25 s for the 5000-token request.
  const auto r = post(port, "/v1/completions", completion_body(2), 3000);
  CHECK(r.complete);
  CHECK(server.stats().disconnected == 1);
}

TEST_CASE("fault: 5xx answers 500 or 503 with a JSON error before streaming", "[sim]") {
  SimOptions o = fast_options();
  o.faults.http_5xx_rate = 1;
  SimServer server(o);
  const int port = server.start();
  for (int i = 0; i < 4; ++i) {
    const auto r = post(port, "/v1/completions", completion_body(3));
    CHECK((r.status == 500 || r.status == 503));
    CHECK(json::parse(r.body)["error"]["code"] == r.status);
  }
  CHECK(server.stats().fault_5xx == 4);
  CHECK(get(port, "/health").status == 200);  // only generation routes fail
}

TEST_CASE("fault: drop closes the connection mid-stream after some chunks", "[sim]") {
  SimOptions o = fast_options();
  o.faults.drop_rate = 1;
  SimServer server(o);
  const int port = server.start();
  RawClient c(port);
  c.send(http_post("/v1/completions", completion_body(10)));
  CHECK(c.read_to_eof(3000));
  std::size_t used = 0;
  const auto r = parse_response(c.buffer(), used, false);
  CHECK(r.status == 200);
  CHECK(!r.complete);  // no terminating chunk
  CHECK(c.buffer().find("text_completion") != std::string::npos);
  CHECK(c.buffer().find("[DONE]") == std::string::npos);
  CHECK(server.stats().fault_drop == 1);
}

TEST_CASE("fault: stall stops sending and keeps the connection open", "[sim]") {
  SimOptions o = fast_options();
  o.faults.stall_rate = 1;
  SimServer server(o);
  const int port = server.start();
  RawClient c(port);
  c.send(http_post("/v1/completions", completion_body(10)));
  CHECK(c.read_until("text_completion", 2000));
  CHECK(!c.read_to_eof(300));  // nothing more, and no close
  CHECK(c.buffer().find("[DONE]") == std::string::npos);
  CHECK(server.stats().fault_stall == 1);
}

TEST_CASE("fault: malformed inserts a chunk that is not JSON and the stream goes on", "[sim]") {
  SimOptions o = fast_options();
  o.faults.malformed_rate = 1;
  SimServer server(o);
  const int port = server.start();
  const auto r = post(port, "/v1/completions", completion_body(4));
  REQUIRE(r.complete);
  int bad = 0, tokens = 0;
  for (const std::string& data : sse_data(r.body)) {
    if (data == "[DONE]") continue;
    try {
      if (!json::parse(data)["choices"].empty()) ++tokens;
    } catch (const json::parse_error&) {
      ++bad;
    }
  }
  CHECK(bad == 1);
  CHECK(tokens == 4);
  CHECK(sse_data(r.body).back() == "[DONE]");
  CHECK(server.stats().fault_malformed == 1);
}

TEST_CASE("fault: error event ends the stream with vLLM's error then DONE", "[sim]") {
  SimOptions o = fast_options();
  o.faults.error_event_rate = 1;
  SimServer server(o);
  const int port = server.start();
  const auto r = post(port, "/v1/completions", completion_body(6));
  REQUIRE(r.complete);
  const auto ev = events(r.body);
  REQUIRE(ev.size() >= 3);
  CHECK(ev[0].contains("choices"));  // at least one token first
  CHECK(ev[ev.size() - 2]["error"]["code"] == 500);
  CHECK(ev.back() == "[DONE]");
  CHECK(server.stats().fault_error_event == 1);
}

TEST_CASE("fault: no-response reads the request and never answers", "[sim]") {
  SimOptions o = fast_options();
  o.faults.no_response = true;
  SimServer server(o);
  const int port = server.start();
  RawClient c(port);
  c.send(http_post("/v1/completions", completion_body(3)));
  CHECK(!c.read_to_eof(300));
  CHECK(c.buffer().empty());
  CHECK(server.stats().fault_no_response == 1);
}

TEST_CASE("fault: close-before-first-byte closes without a byte", "[sim]") {
  SimOptions o = fast_options();
  o.faults.close_before_first_byte = true;
  SimServer server(o);
  const int port = server.start();
  RawClient c(port);
  c.send(http_post("/v1/chat/completions", chat_body(3)));
  CHECK(c.read_to_eof(2000));
  CHECK(c.buffer().empty());
  CHECK(server.stats().fault_close == 1);
}

TEST_CASE("fault draws repeat exactly with the same seed", "[sim]") {
  auto outcomes = [](std::uint64_t seed) {
    SimOptions o = fast_options();
    o.faults.http_5xx_rate = 0.5;
    o.faults.seed = seed;
    SimServer server(o);
    const int port = server.start();
    std::string seen;
    for (int i = 0; i < 16; ++i) seen += std::to_string(post(port, "/v1/completions", completion_body(1)).status) + " ";
    return seen;
  };
  const std::string a = outcomes(42);
  CHECK(a == outcomes(42));
  CHECK(a != outcomes(43));
  CHECK(a.find("200") != std::string::npos);
  CHECK(a.find("50") != std::string::npos);
}

TEST_CASE("fault rates outside 0..1 are refused with the flag named", "[sim]") {
  SimOptions o;
  o.faults.drop_rate = 1.5;
  CHECK_THROWS_WITH(SimServer(o), Catch::Contains("--fault-drop-rate"));
  const auto r = run_cli({"sim-server", "--fault-stall-rate", "-0.1"});
  CHECK(r.code == 1);
  CHECK_THAT(r.err, Catch::Contains("--fault-stall-rate"));
  const auto b = run_cli({"sim-server", "--max-batch", "0"});
  CHECK_THAT(b.err, Catch::Contains("--max-batch"));
}

TEST_CASE("stop() ends an in-process server with streams in flight", "[sim]") {
  SimOptions o = fast_options();
  o.engine.decode_step_ms = 50;
  auto server = std::make_unique<SimServer>(o);
  const int port = server->start();
  RawClient c(port);
  c.send(http_post("/v1/completions", completion_body(1000)));
  CHECK(c.read_until("text_completion", 2000));
  server->stop();
  CHECK(c.read_to_eof(2000));
  server.reset();
}

TEST_CASE("the sim-server command prints its port first and stops on SIGTERM", "[sim]") {
  int out[2];
  REQUIRE(::pipe(out) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const std::string binary = SITEGEN_BINARY;
  std::vector<std::string> args = {binary, "sim-server", "--port", "0", "--model", "sim/test"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);

  std::string text;
  // Reads what the child prints within ms; with first_line, stops at the first newline.
  auto read_for = [&](int ms, bool first_line) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    char buf[4096];
    for (;;) {
      if (first_line && text.find('\n') != std::string::npos) return;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{out[0], POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return;
      const ssize_t n = ::read(out[0], buf, sizeof buf);
      if (n <= 0) return;
      text.append(buf, static_cast<std::size_t>(n));
    }
  };
  read_for(5000, true);
  REQUIRE(text.rfind("listening on 127.0.0.1:", 0) == 0);
  const int port = std::stoi(text.substr(std::string("listening on 127.0.0.1:").size()));
  CHECK(json::parse(get(port, "/v1/models").body)["data"][0]["id"] == "sim/test");
  ::kill(pid, SIGTERM);
  int status = -1;
  for (int i = 0; i < 500; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!WIFEXITED(status)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  read_for(1000, false);
  ::close(out[0]);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_THAT(text, Catch::Contains("stopped: 1 request(s)"));
}
