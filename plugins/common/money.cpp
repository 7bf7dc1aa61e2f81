#include "common/money.h"

#include <array>
#include <cstdlib>

namespace ordersvc::plugins::common {

namespace {

bool allUpper(std::string_view text, std::size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// ISO 4217 currencies whose minor unit is not the cent. Anything else has 2 decimals,
// which is right for every active code not listed here.
constexpr std::array<std::string_view, 16> kZeroDecimal = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                                           "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF"};
constexpr std::array<std::string_view, 7> kThreeDecimal = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};

}  // namespace

bool isCurrencyCode(std::string_view code) {
  return allUpper(code, 3);
}

bool isCountryCode(std::string_view code) {
  return allUpper(code, 2);
}

int currencyDecimals(std::string_view currency) {
  for (std::string_view c : kZeroDecimal) {
    if (c == currency) return 0;
  }
  for (std::string_view c : kThreeDecimal) {
    if (c == currency) return 3;
  }
  return 2;
}

std::string formatMoney(const Money& money) {
  const int decimals = currencyDecimals(money.currency);
  // Unsigned negation keeps INT64_MIN representable.
  const uint64_t magnitude =
      money.value < 0 ? 0 - static_cast<uint64_t>(money.value) : static_cast<uint64_t>(money.value);
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  std::string out = money.value < 0 ? "-" : "";
  out += std::to_string(magnitude / scale);
  if (decimals > 0) {
    const std::string fraction = std::to_string(magnitude % scale);
    out += '.';
    out += std::string(static_cast<std::size_t>(decimals) - fraction.size(), '0');
    out += fraction;
  }
  out += ' ';
  out += money.currency;
  return out;
}

}  // namespace ordersvc::plugins::common
