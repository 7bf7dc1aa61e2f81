// Money as the plugin ABI carries it: an integer count of minor units and an ISO 4217
// code. Never a floating-point number (DESIGN.md, "Domain rules").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ordersvc::plugins::common {

struct Money {
  int64_t value = 0;  // minor units: cents for USD, pesos for CLP
  std::string currency;

  friend bool operator==(const Money&, const Money&) = default;
};

// Three upper-case ASCII letters. Says nothing about whether ISO lists the code: a plugin
// that must know the currency checks that itself.
bool isCurrencyCode(std::string_view code);

// Two upper-case ASCII letters (ISO 3166-1 alpha-2 shape).
bool isCountryCode(std::string_view code);

// Decimals of the currency's minor unit per ISO 4217: 0 for CLP, JPY, KRW, PYG, …,
// 3 for BHD, KWD, …, 2 for every other code.
int currencyDecimals(std::string_view currency);

// "12.34 USD", "1234 CLP": for messages, never for arithmetic.
std::string formatMoney(const Money& money);

}  // namespace ordersvc::plugins::common
