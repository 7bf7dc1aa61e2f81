// The tax of one line, in integer minor units. No floating point anywhere.
//
// The rule (what the rate-table plugin documents to its users):
//  * Tax is computed per line, on the line's total amount, and rounded per line to the
//    currency's minor unit, half up (an exact half of a minor unit rounds up). Amounts
//    are already minor units, so rounding to the minor unit is rounding to an integer:
//    whole pesos for CLP and yen for JPY (0 decimals), cents for USD, PEN, MXN (2).
//  * Prices without tax (exclusive): tax = round(amount × rate); net = amount;
//    gross = amount + tax.
//  * Prices with tax (inclusive): tax = round(amount × rate / (1 + rate)); gross = amount;
//    net = amount - tax. Rounding the tax (not the net) keeps net + tax = gross exactly.
//  * Totals are sums of rounded lines, so they may differ by a minor unit per line from
//    the tax of the summed amounts; that is what a receipt with per-line tax shows.
// Intermediate products use 128-bit integers, so no amount that fits in int64 overflows
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ordersvc::plugins::rate_table {

struct LineTax {
  int64_t net = 0;
  int64_t tax = 0;
  int64_t gross = 0;
  std::string unroundedTax;  // exact tax in minor units, cut after 6 decimals ("446.5")
};

// `amount` >= 0 in minor units, `ratePpm` >= 0 (190000 for 19%). nullopt when the result
// does not fit in int64 (an exclusive amount near the int64 limit).
std::optional<LineTax> computeLineTax(int64_t amount, int64_t ratePpm, bool pricesIncludeTax);

}  // namespace ordersvc::plugins::rate_table
