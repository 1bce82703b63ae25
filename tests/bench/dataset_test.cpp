#include <catch2/catch.hpp>

#include "bench/bench.hpp"
#include "bench/dataset.hpp"
#include "model/report.hpp"
#include "support.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

using namespace sitegen::bench;
using sitegen::test::ScratchDir;

TEST_CASE("random prompts have the asked length and repeat for a seed", "[bench]") {
  DatasetOptions o;
  o.random_input_len = 50;
  o.random_output_len = 7;
  o.seed = 9;
  const auto a = load_prompts(o, 3);
  REQUIRE(a.size() == 3);
  CHECK(std::count(a[0].text.begin(), a[0].text.end(), ' ') == 49);
  CHECK(a[0].input_len == 50);
  CHECK(a[0].output_len == 7);
  CHECK(a[0].text != a[1].text);
  CHECK(load_prompts(o, 3)[2].text == a[2].text);
  o.seed = 10;
  CHECK(load_prompts(o, 3)[0].text != a[0].text);
}

TEST_CASE("ShareGPT prompts take the first turn and the second turn's length", "[bench]") {
  ScratchDir dir("dataset");
  sitegen::files::write_atomic(dir / "sg.json", R"([
    {"id":"1","conversations":[{"from":"human","value":"What is the capital of France?"},{"from":"gpt","value":"Paris is the capital of France."}]},
    {"id":"2","conversations":[{"from":"human","value":"only one turn"}]}
  ])");
  DatasetOptions o;
  o.name = "sharegpt";
  o.path = (dir / "sg.json").string();
  const auto p = load_prompts(o, 3);
  REQUIRE(p.size() == 3);  // one usable conversation, reused
  CHECK(p[0].text == "What is the capital of France?");
  CHECK(p[0].output_len == 7);  // 31 chars / 4
}

TEST_CASE("JSON-lines prompts read prompt and output_len, errors name the line", "[bench]") {
  ScratchDir dir("dataset");
  sitegen::files::write_atomic(dir / "p.jsonl", "{\"prompt\":\"hello\",\"output_len\":12}\n\n{\"prompt\":\"bye\"}\n");
  DatasetOptions o;
  o.name = "jsonl";
  o.path = (dir / "p.jsonl").string();
  o.random_output_len = 5;
  auto p = load_prompts(o, 2);
  std::sort(p.begin(), p.end(), [](const Prompt& a, const Prompt& b) { return a.text < b.text; });
  CHECK(p[0].text == "bye");
  CHECK(p[0].output_len == 5);
  CHECK(p[1].output_len == 12);
  sitegen::files::write_atomic(dir / "bad.jsonl", "{\"prompt\":\"ok\"}\n{\"prompt\": 3}\n");
  o.path = (dir / "bad.jsonl").string();
  CHECK_THROWS_WITH(load_prompts(o, 1), Catch::Contains("bad.jsonl: line 2"));
  sitegen::files::write_atomic(dir / "broken.jsonl", "{\"prompt\":\n");
  o.path = (dir / "broken.jsonl").string();
  CHECK_THROWS_WITH(load_prompts(o, 1), Catch::Contains("broken.jsonl: line 1: not valid JSON"));
}

TEST_CASE("dataset options that cannot work are errors", "[bench]") {
  DatasetOptions o;
  o.name = "sharegpt";
  CHECK_THROWS_WITH(load_prompts(o, 1), Catch::Contains("--dataset-path"));
  o.name = "csv";
  CHECK_THROWS_WITH(load_prompts(o, 1), Catch::Contains("--dataset-name"));
  o.name = "sharegpt";
  o.path = "/nonexistent/sg.json";
  CHECK_THROWS_AS(load_prompts(o, 1), sitegen::Error);
}

TEST_CASE("request bodies follow vLLM's benchmark client", "[bench]") {
  BenchOptions o;
  Prompt p{"hi there", 2, 16};
  const auto completions = sitegen::model::Json::parse(request_body(o, "m", p));
  CHECK(completions["prompt"] == "hi there");
  CHECK(completions["max_tokens"] == 16);
  CHECK(completions["stream"] == true);
  CHECK(completions["stream_options"]["include_usage"] == true);
  CHECK(completions["ignore_eos"] == true);  // the random dataset forces it, as in vLLM
  o.endpoint = "/v1/chat/completions";
  o.dataset.name = "jsonl";
  o.continuous_usage = true;
  const auto chat = sitegen::model::Json::parse(request_body(o, "m", p));
  CHECK(chat["messages"][0]["content"] == "hi there");
  CHECK(chat["max_completion_tokens"] == 16);
  CHECK(chat["stream_options"]["continuous_usage_stats"] == true);
  CHECK_FALSE(chat.contains("ignore_eos"));
}
