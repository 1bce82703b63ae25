#pragma once
// Reading result files that are not quite one JSON document: several concatenated values (vLLM
// --append-result), one value per line (SGLang JSONL), and Python's bare Infinity, -Infinity and
// NaN outside strings (SGLang's request_rate).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/report.hpp"

namespace sitegen::ingest {

using Json = model::Json;

// One top-level JSON value of a file and where it starts.
struct StreamValue {
  Json value;
  std::size_t line = 1;  // 1-based line of the value's first character
};

// Every top-level value of text, in order. Infinity and -Infinity become infinite doubles (the
// importers map them to their meaning; nothing infinite is ever written to a report); NaN becomes
// null. Throws Error "file: line L, column C: what" for an empty file, text that is not UTF-8
// (binary data), a value that is not closed at the end of the file, any syntax error, or nesting
// deeper than model::k_max_depth (naming the JSON pointer where it happens).
std::vector<StreamValue> read_values(std::string_view text, const std::string& file);

// What a report's `extra` keeps of one producer value: values nested deeper than this inside it
// and values larger than about this many bytes as report JSON are replaced by a string that says
// so, so a small input never becomes a huge report.
constexpr std::size_t k_extra_depth = 16;
constexpr std::size_t k_extra_bytes = std::size_t(1) << 20;

// A copy of value with every infinite number replaced by the string "inf" or "-inf" and every
// NaN by null, so it can be kept verbatim in a report's `extra`; bounded by k_extra_depth and
// k_extra_bytes (the parts beyond become "(dropped by sitegen: ...)" and, when `dropped` is
// given, it is set to what was dropped).
Json finite_copy(const Json& value, std::string* dropped = nullptr);

}  // namespace sitegen::ingest
