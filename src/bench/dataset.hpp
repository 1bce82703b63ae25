#pragma once
// The prompts a benchmark sends: random (deterministic from a seed), ShareGPT or JSON lines.

#include <cstdint>
#include <string>
#include <vector>

namespace sitegen::bench {

struct Prompt {
  std::string text;
  long long input_len = 0;   // nominal prompt tokens: the word count for random, chars / 4 otherwise
  long long output_len = 0;  // max_tokens to ask for
};

struct DatasetOptions {
  std::string name = "random";  // random | sharegpt | jsonl
  std::string path;             // for sharegpt and jsonl
  long long random_input_len = 1024, random_output_len = 128;
  std::uint64_t seed = 0;
};

// `count` prompts. random: words drawn from a fixed vocabulary, one word per nominal token.
// sharegpt: a JSON array of {"conversations": [{"from", "value"}, ...]}; the first turn is the
// prompt, the second's length (chars / 4) the output length; entries with fewer than two turns
// are skipped. jsonl: one {"prompt": "...", "output_len"?: n} per line. File prompts are shuffled
// with the seed and reused in order when fewer than count. Throws Error naming the file and the
// line or entry for anything unreadable, and when no usable prompt remains.
std::vector<Prompt> load_prompts(const DatasetOptions& options, std::size_t count);

}  // namespace sitegen::bench
