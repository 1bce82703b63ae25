#pragma once
// Small string helpers used across modules (std only).

#include <string>
#include <string_view>
#include <vector>

namespace sitegen::strings {

// Leading and trailing ASCII whitespace removed.
std::string_view trim(std::string_view s);

// s split on every occurrence of sep (empty pieces kept).
std::vector<std::string> split(std::string_view s, char sep);

// Pieces joined with sep between them.
std::string join(const std::vector<std::string>& pieces, std::string_view sep);

// ASCII lower case.
std::string lower(std::string_view s);

// A name safe for a path segment and a URL: lower case [a-z0-9._-], other runs become '-',
// no leading or trailing '-' or '.', never empty ("unknown"), at most 80 characters.
std::string slug(std::string_view s);

// True when s is valid UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view s);
// The length of the well-formed UTF-8 sequence starting at s[i] (1 for ASCII), 0 when the bytes
// there are not one (or i is past the end).
std::size_t utf8_length(std::string_view s, std::size_t i);
// The offset of the first byte that does not start a valid UTF-8 sequence, npos when all are valid.
std::size_t first_invalid_utf8(std::string_view s);

// Edit distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to word within a small distance, or "" when none is close.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace sitegen::strings
