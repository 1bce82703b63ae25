#pragma once
// Deterministic number formatting: std::to_chars, no locale, no negative zero, so a rebuild of the
// same inputs is byte-identical.

#include <string>

namespace sitegen::format {

// value with exactly `decimals` digits after the point ("1234.50"); "-0.00" never appears.
// Non-finite values give "n/a".
std::string fixed(double value, int decimals);

// The shortest text that reads back as the same double ("0.1", "1e-07"); "n/a" when not finite.
std::string shortest(double value);

// A figure for people: 3 significant digits below 1000, thousands separated by ',' above
// ("0.0485", "12.3", "1,234", "45,678"). "n/a" when not finite.
std::string human(double value);

// An integer with ',' thousands separators.
std::string grouped(long long value);

}  // namespace sitegen::format
