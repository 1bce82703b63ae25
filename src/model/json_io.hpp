#pragma once
// Parsing JSON text with errors that name the file, line and column.

#include <filesystem>
#include <string>
#include <string_view>

#include "model/report.hpp"

namespace sitegen::model {

// The deepest nesting of arrays and objects sitegen reads or writes. Real result files nest less
// than 10 levels; a deeper value would only exhaust the stack of the recursive code that copies
// and writes JSON (nlohmann's dump and copies, the importers).
constexpr std::size_t k_max_depth = 64;

// Where text nests arrays and objects deeper than max_depth, as "line L, column C: /json/pointer:
// nested deeper than N levels ...", or "" when it does not. Reads strings correctly; does not
// check the rest of the syntax (the parser does). Linear time, constant stack.
std::string nesting_problem(std::string_view text, std::size_t max_depth = k_max_depth);

// Parses text as one JSON document. Throws Error "file: line L, column C: message" for invalid
// UTF-8, a truncated document, trailing garbage, a syntax error (NaN and Infinity are not JSON)
// or nesting deeper than k_max_depth (with the JSON pointer where it happens).
Json parse_json(std::string_view text, const std::string& file);

// The largest report.json sitegen reads, and so writes.
constexpr std::size_t k_max_report_bytes = std::size_t(256) << 20;

// Reads and parses a file (size limited to max_bytes, default 256 MiB).
Json read_json_file(const std::filesystem::path& path, std::size_t max_bytes = std::size_t(256) << 20);

// Reads, validates and converts a report.json. Throws Error listing every problem found.
Report read_report(const std::filesystem::path& path);
// The same for text already read from file.
Report parse_report(std::string_view text, const std::string& file);

// For nlohmann's out_of_range error on a number too large for a double ("number overflow parsing
// '1e999'"): the offset of that number in text at or after `from` (npos when it is not found) and
// the message "invalid JSON: number 1e999 is out of range of a double".
std::pair<std::size_t, std::string> number_out_of_range(std::string_view text, std::size_t from,
                                                        const nlohmann::json::out_of_range& e);

// Line and column (1-based) of a byte offset in text.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset);

}  // namespace sitegen::model
