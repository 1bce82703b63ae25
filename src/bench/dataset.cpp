#include "bench/dataset.hpp"

#include <algorithm>
#include <array>
#include <random>

#include "model/json_io.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace sitegen::bench {

namespace {

using model::Json;

// Short common English words: most tokenizers give one token each (with the leading space).
constexpr std::array<const char*, 48> k_words = {
    "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "with", "was",
    "on", "be", "at", "by", "this", "had", "not", "are", "but", "from", "or", "have",
    "an", "they", "which", "one", "you", "were", "all", "we", "her", "she", "there", "would",
    "their", "will", "when", "who", "him", "been", "has", "more", "if", "no", "out", "so"};

std::vector<Prompt> random_prompts(const DatasetOptions& options, std::size_t count) {
  if (options.random_input_len < 1 || options.random_output_len < 1)
    throw Error("--random-input-len and --random-output-len must be >= 1");
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<std::size_t> pick(0, k_words.size() - 1);
  std::vector<Prompt> prompts(count);
  for (Prompt& p : prompts) {
    p.text.reserve(static_cast<std::size_t>(options.random_input_len) * 5);
    for (long long i = 0; i < options.random_input_len; ++i) {
      if (i) p.text.push_back(' ');
      p.text += k_words[pick(rng)];
    }
    p.input_len = options.random_input_len;
    p.output_len = options.random_output_len;
  }
  return prompts;
}

long long estimate_tokens(const std::string& text) {
  return std::max<long long>(1, static_cast<long long>(text.size() / 4));
}

std::vector<Prompt> sharegpt_prompts(const DatasetOptions& options) {
  const Json doc = model::read_json_file(options.path);
  if (!doc.is_array()) throw Error(options.path + ": expected a JSON array of ShareGPT conversations");
  std::vector<Prompt> prompts;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const Json& entry = doc[i];
    const auto conv = entry.is_object() ? entry.find("conversations") : entry.end();
    if (!entry.is_object() || conv == entry.end() || !conv->is_array())
      throw Error(options.path + ": /" + std::to_string(i) + ": expected an object with a \"conversations\" array");
    if (conv->size() < 2) continue;
    const Json& first = (*conv)[0];
    const Json& second = (*conv)[1];
    if (!first.is_object() || !second.is_object() || !first.contains("value") || !first["value"].is_string() ||
        !second.contains("value") || !second["value"].is_string())
      throw Error(options.path + ": /" + std::to_string(i) + "/conversations: expected turns with a string \"value\"");
    Prompt p;
    p.text = first["value"].get<std::string>();
    if (p.text.empty()) continue;
    p.input_len = estimate_tokens(p.text);
    p.output_len = estimate_tokens(second["value"].get<std::string>());
    prompts.push_back(std::move(p));
  }
  return prompts;
}

std::vector<Prompt> jsonl_prompts(const DatasetOptions& options) {
  const std::string text = files::read(options.path);
  std::vector<Prompt> prompts;
  std::size_t line_no = 0;
  for (const std::string& line : strings::split(text, '\n')) {
    ++line_no;
    if (strings::trim(line).empty()) continue;
    const std::string where = options.path + ": line " + std::to_string(line_no);
    Json j;
    if (const std::string deep = model::nesting_problem(line); !deep.empty()) throw Error(where + ": " + deep);
    try {
      j = Json::parse(line);
    } catch (const Json::exception& e) {
      throw Error(where + ": not valid JSON (" + std::string(e.what()) + ")");
    }
    if (!j.is_object() || !j.contains("prompt") || !j["prompt"].is_string())
      throw Error(where + ": expected an object with a string \"prompt\"");
    Prompt p;
    p.text = j["prompt"].get<std::string>();
    p.input_len = estimate_tokens(p.text);
    p.output_len = options.random_output_len;
    if (j.contains("output_len")) {
      if (!j["output_len"].is_number_integer() || j["output_len"].get<long long>() < 1)
        throw Error(where + ": /output_len: expected a whole number >= 1");
      p.output_len = j["output_len"].get<long long>();
    }
    prompts.push_back(std::move(p));
  }
  return prompts;
}

}  // namespace

std::vector<Prompt> load_prompts(const DatasetOptions& options, std::size_t count) {
  if (options.name == "random") return random_prompts(options, count);
  if (options.name != "sharegpt" && options.name != "jsonl")
    throw Error("--dataset-name: expected random, sharegpt or jsonl, got '" + options.name + "'");
  if (options.path.empty()) throw Error("--dataset-name " + options.name + " needs --dataset-path");
  std::vector<Prompt> pool = options.name == "sharegpt" ? sharegpt_prompts(options) : jsonl_prompts(options);
  if (pool.empty()) throw Error(options.path + ": no usable prompt in the file");
  std::mt19937_64 rng(options.seed);
  std::shuffle(pool.begin(), pool.end(), rng);
  std::vector<Prompt> prompts;
  prompts.reserve(count);
  for (std::size_t i = 0; i < count; ++i) prompts.push_back(pool[i % pool.size()]);
  return prompts;
}

}  // namespace sitegen::bench
