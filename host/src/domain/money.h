#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.h"

namespace ordersvc::domain {

// Money inside the service is an integer count of the currency's minor unit plus an
// ISO 4217 code: 19990 CLP is 19,990 pesos (no minor unit), 1999 USD is $19.99.
// Floating point never holds an amount; decimals appear only at the JSON edge.

// Digits after the decimal point for `currency` (ISO 4217 minor unit): 0 for CLP, JPY,
// KRW, PYG, ...; 3 for BHD, KWD, ...; 4 for CLF; 2 otherwise.
int currencyExponent(std::string_view currency);

// Three upper-case ASCII letters.
bool isCurrencyCode(std::string_view currency);

// "125.5" or "19990" (major units, as a client writes them) -> minor units.
// Errors: InvalidArgument when the text is not a plain decimal, has more decimals than
// the currency allows ("10.5" CLP, "1.999" USD) or is out of range.
Result<int64_t> parseMajorUnits(std::string_view decimalText, std::string_view currency);

// 12550 USD -> "125.50"; 19990 CLP -> "19990".
std::string formatMajorUnits(int64_t minor, std::string_view currency);

// `amount` * `basisPoints` / 10000, rounded half away from zero (1 bp = 0.01 %).
int64_t applyBasisPoints(int64_t amount, int64_t basisPoints);

// Splits `total` over `weights` in proportion, the parts summing to exactly `total`
// (largest remainder; ties to the earlier weight). Used to spread an order discount over
// its lines so each line's taxable base is known. Weights must be >= 0.
std::vector<int64_t> allocateProportionally(int64_t total, const std::vector<int64_t>& weights);

}  // namespace ordersvc::domain
