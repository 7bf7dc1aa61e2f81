#include "domain/money.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <utility>

namespace ordersvc::domain {

namespace {

struct Exponent {
  std::string_view code;
  int digits;
};

// ISO 4217 currencies whose minor unit is not the usual two digits.
constexpr std::array<Exponent, 22> kUnusual = {{
    {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"ISK", 0}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0},
    {"PYG", 0}, {"RWF", 0}, {"UGX", 0}, {"UYI", 0}, {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0},
    {"XPF", 0}, {"BHD", 3}, {"JOD", 3}, {"KWD", 3}, {"OMR", 3}, {"CLF", 4},
}};

constexpr int64_t kPowersOfTen[] = {1, 10, 100, 1000, 10000};

}  // namespace

int currencyExponent(std::string_view currency) {
  for (const auto& entry : kUnusual) {
    if (entry.code == currency) return entry.digits;
  }
  return 2;
}

bool isCurrencyCode(std::string_view currency) {
  if (currency.size() != 3) return false;
  for (char c : currency) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

Result<int64_t> parseMajorUnits(std::string_view text, std::string_view currency) {
  const auto invalid = [&](const std::string& why) {
    return Error::invalidArgument("amount " + std::string(text) + " " + std::string(currency) + ": " + why);
  };
  if (text.empty()) return invalid("empty");
  bool negative = false;
  std::size_t i = 0;
  if (text[0] == '-') {
    negative = true;
    ++i;
  }
  const int exponent = currencyExponent(currency);
  // Integers up to 10^15 major units leave room for the scale factor in int64.
  constexpr int64_t kMaxMajor = 1'000'000'000'000'000;
  int64_t major = 0;
  int64_t fraction = 0;
  int fractionDigits = 0;
  bool sawDigit = false;
  bool inFraction = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !inFraction) {
      inFraction = true;
      continue;
    }
    if (c < '0' || c > '9') return invalid("not a decimal number");
    sawDigit = true;
    if (inFraction) {
      if (c == '0' && fractionDigits >= exponent) continue;  // trailing zeros are harmless
      if (fractionDigits >= exponent) {
        return invalid(exponent == 0 ? "this currency has no decimals"
                                     : "at most " + std::to_string(exponent) + " decimals in this currency");
      }
      fraction = fraction * 10 + (c - '0');
      ++fractionDigits;
    } else {
      major = major * 10 + (c - '0');
      if (major > kMaxMajor) return invalid("too large");
    }
  }
  if (!sawDigit) return invalid("not a decimal number");
  // A trailing zero skipped above still counted nothing; scale what was read.
  int64_t minor = major * kPowersOfTen[exponent] + fraction * kPowersOfTen[exponent - fractionDigits];
  return negative ? -minor : minor;
}

std::string formatMajorUnits(int64_t minor, std::string_view currency) {
  const int exponent = currencyExponent(currency);
  const bool negative = minor < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  std::string out = std::to_string(magnitude / static_cast<uint64_t>(kPowersOfTen[exponent]));
  if (exponent > 0) {
    std::string fraction = std::to_string(magnitude % static_cast<uint64_t>(kPowersOfTen[exponent]));
    out += "." + std::string(static_cast<std::size_t>(exponent) - fraction.size(), '0') + fraction;
  }
  return negative ? "-" + out : out;
}

int64_t applyBasisPoints(int64_t amount, int64_t basisPoints) {
  const __int128 product = static_cast<__int128>(amount) * basisPoints;
  const __int128 half = 5000;
  const __int128 rounded = product >= 0 ? (product + half) / 10000 : (product - half) / 10000;
  return static_cast<int64_t>(rounded);
}

std::vector<int64_t> allocateProportionally(int64_t total, const std::vector<int64_t>& weights) {
  std::vector<int64_t> parts(weights.size(), 0);
  __int128 sum = 0;
  for (int64_t w : weights) sum += w;
  if (sum <= 0 || weights.empty()) {
    if (!parts.empty()) parts[0] = total;
    return parts;
  }
  int64_t assigned = 0;
  std::vector<std::pair<__int128, std::size_t>> remainders;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const __int128 exact = static_cast<__int128>(total) * weights[i];
    parts[i] = static_cast<int64_t>(exact / sum);
    assigned += parts[i];
    remainders.emplace_back(exact % sum, i);
  }
  // Hand out what truncation left over, largest remainder first, earlier line on ties.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  int64_t left = total - assigned;
  for (std::size_t k = 0; left != 0 && k < remainders.size(); ++k) {
    parts[remainders[k].second] += left > 0 ? 1 : -1;
    left += left > 0 ? -1 : 1;
  }
  return parts;
}

}  // namespace ordersvc::domain
