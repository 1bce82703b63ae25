#pragma once
// A 64-bit hash in the manner of FNV-1a: stable across machines, compilers and runs, so it can be written to a
// file and compared by a later build. For change detection, not for security.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sitegen::hash {

constexpr std::uint64_t k_seed = 14695981039346656037ull;

// Hashes bytes, continuing from h (pass a previous result to hash several pieces as one):
// FNV-1a over 8-byte little-endian words, then the remaining bytes one by one, then a final mix.
// Eight bytes a step: a site build hashes every page it writes.
inline std::uint64_t of(std::string_view bytes, std::uint64_t h = k_seed) {
  constexpr std::uint64_t prime = 1099511628211ull;
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word = 0;
    for (int b = 7; b >= 0; --b) word = (word << 8) | static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(b)]);
    h = (h ^ word) * prime;
    h ^= h >> 29;
  }
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * prime;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return h;
}

// Hashes pieces with their lengths, so ("ab", "c") and ("a", "bc") differ.
class Hasher {
 public:
  Hasher& add(std::string_view piece) {
    const std::uint64_t n = piece.size();
    m_h = of(std::string_view(reinterpret_cast<const char*>(&n), sizeof n), m_h);
    m_h = of(piece, m_h);
    return *this;
  }
  Hasher& add(std::uint64_t value) {
    return add(std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
  }
  std::uint64_t value() const { return m_h; }

 private:
  std::uint64_t m_h = k_seed;
};

// 16 lowercase hex digits.
std::string hex(std::uint64_t value);

}  // namespace sitegen::hash
