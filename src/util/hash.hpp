#pragma once
// A 64-bit hash in the manner of FNV-1a: stable across machines, compilers and runs, so it can be written to a
// file and compared by a later build. For change detection, not for security.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sitegen::hash {

constexpr std::uint64_t k_seed = 14695981039346656037ull;

namespace detail {
inline std::uint64_t word_at(std::string_view bytes, std::size_t i) {  // 8 bytes, little-endian
  std::uint64_t word = 0;
  for (int b = 7; b >= 0; --b) word = (word << 8) | static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(b)]);
  return word;
}
inline std::uint64_t step(std::uint64_t h, std::uint64_t word) {
  h = (h ^ word) * 1099511628211ull;  // the FNV prime
  return h ^ (h >> 29);
}
}  // namespace detail

// Hashes bytes, continuing from h (pass a previous result to hash several pieces as one), in
// the manner of FNV-1a over 8-byte little-endian words: 32-byte blocks go through four
// independent lanes (the multiplications overlap instead of waiting on each other: a site build
// hashes every page it writes), then the lanes are folded together, then the remaining words and
// bytes one by one, then a final mix.
inline std::uint64_t of(std::string_view bytes, std::uint64_t h = k_seed) {
  std::size_t i = 0;
  if (bytes.size() >= 64) {
    std::uint64_t lane[4] = {h, h ^ 0x9e3779b97f4a7c15ull, h ^ 0xc2b2ae3d27d4eb4full, h ^ 0x165667b19e3779f9ull};
    for (; i + 32 <= bytes.size(); i += 32) {
      for (std::size_t l = 0; l < 4; ++l) lane[l] = detail::step(lane[l], detail::word_at(bytes, i + 8 * l));
    }
    h = lane[0];
    for (std::size_t l = 1; l < 4; ++l) h = detail::step(h, lane[l]);
  }
  for (; i + 8 <= bytes.size(); i += 8) h = detail::step(h, detail::word_at(bytes, i));
  for (; i < bytes.size(); ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * 1099511628211ull;
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
