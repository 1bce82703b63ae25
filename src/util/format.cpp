#include "util/format.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace sitegen::format {

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  std::string out(buffer, result.ptr);
  // Rounding can turn a tiny negative into "-0.00"; a reader should see "0.00".
  if (!out.empty() && out[0] == '-' && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

std::string shortest(double value) {
  if (!std::isfinite(value)) return "n/a";
  if (value == 0) return "0";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string grouped(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string human(double value) {
  if (!std::isfinite(value)) return "n/a";
  const double magnitude = std::fabs(value);
  if (magnitude >= 999.5) return grouped(std::llround(value));
  if (magnitude == 0) return "0";
  // Three significant digits: decimals = 2 - floor(log10(|v|)), at least 0.
  int decimals = 2 - static_cast<int>(std::floor(std::log10(magnitude)));
  if (decimals < 0) decimals = 0;
  if (decimals > 12) decimals = 12;
  std::string out = fixed(value, decimals);
  // 0.0999 rounds to 0.100: trailing zeros after the point add nothing for a reader.
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

}  // namespace sitegen::format
