#pragma once
// Parsing JSON text with errors that name the file, line and column.

#include <filesystem>
#include <string>
#include <string_view>

#include "model/report.hpp"

namespace sitegen::model {

// Parses text as one JSON document. Throws Error "file: line L, column C: message" for invalid
// UTF-8, a truncated document, trailing garbage or a syntax error (NaN and Infinity are not JSON).
Json parse_json(std::string_view text, const std::string& file);

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
