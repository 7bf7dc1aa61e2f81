#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.h"

namespace ordersvc::domain {

// One cart or order line as pricing sees it; prices are minor units of one currency.
struct PricingLine {
  std::string lineId;
  int64_t unitPriceMinor = 0;
  int64_t quantity = 0;
  int weightGrams = 0;

  int64_t subtotal() const { return unitPriceMinor * quantity; }
};

// Limits a cart must respect, from configuration.
struct CartLimits {
  int64_t maxUnitsPerOrder = 100;  // MAX_ITEMS_PER_ORDER: units over all lines
  int64_t maxQuantityPerLine = 100;
};

// Checks a requested line quantity (InvalidArgument: <= 0 or absurd) and the order-wide
// unit count after the change (Unprocessable: over MAX_ITEMS_PER_ORDER).
Status checkQuantity(int64_t quantity, int64_t unitsInOtherLines, const CartLimits& limits);

// The sum of the lines' subtotals, in minor units of `currency`. Errors: Unprocessable
// when a line or the sum does not fit in 64 bits (a price or quantity beyond any real
// one: refused, never wrapped into a wrong total).
Result<int64_t> subtotalOf(const std::vector<PricingLine>& lines, std::string_view currency);
int64_t totalUnitsOf(const std::vector<PricingLine>& lines);
int64_t totalWeightOf(const std::vector<PricingLine>& lines);

// The money of a cart or order once discount, shipping and tax are known.
struct Totals {
  int64_t subtotal = 0;
  int64_t discount = 0;
  int64_t shipping = 0;
  int64_t tax = 0;
  int64_t total = 0;
  bool pricesIncludeTax = false;
  std::vector<int64_t> lineDiscounts;  // the discount spread over the lines, same order
};

// Spreads `discount` over the lines by their subtotals; the taxable base of each line
// is its subtotal minus its share.
std::vector<int64_t> spreadDiscount(const std::vector<PricingLine>& lines, int64_t discount);

// Shipping is free when a coupon says so or when the discounted subtotal reaches the
// threshold (0 = no threshold).
bool shippingIsFree(int64_t discountedSubtotal, int64_t freeShippingThresholdMinor, bool couponGivesFreeShipping);

// total = subtotal - discount + shipping (+ tax when prices exclude it), all of
// `currency`. Errors: Unprocessable when the total does not fit in 64 bits.
Result<Totals> composeTotals(std::string_view currency, int64_t subtotal, int64_t discount, int64_t shipping,
                             int64_t tax, bool pricesIncludeTax, std::vector<int64_t> lineDiscounts);

}  // namespace ordersvc::domain
