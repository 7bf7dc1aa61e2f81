// A stable, non-cryptographic 64-bit hash (FNV-1a) for deriving identifiers from keys:
// the same input gives the same output in every process and build, which retries rely on.
// Not for anything an attacker could exploit.
#pragma once

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace ordersvc::plugins::common {

inline constexpr uint64_t kFnvOffsetBasis = 14695981039346656037ULL;

// FNV-1a over `text`, continuing from `hash` (chain calls to hash several parts).
inline uint64_t fnv1a64(std::string_view text, uint64_t hash = kFnvOffsetBasis) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

// Sixteen upper-case hexadecimal digits.
inline std::string hex16(uint64_t value) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016" PRIX64, value);
  return buffer;
}

}  // namespace ordersvc::plugins::common
