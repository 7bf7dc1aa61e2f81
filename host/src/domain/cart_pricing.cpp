#include "domain/cart_pricing.h"

#include <utility>

#include "domain/money.h"

namespace ordersvc::domain {

Status checkQuantity(int64_t quantity, int64_t unitsInOtherLines, const CartLimits& limits) {
  if (quantity <= 0) return Error::invalidArgument("quantity: must be at least 1");
  if (quantity > limits.maxQuantityPerLine) {
    return Error::invalidArgument("quantity: at most " + std::to_string(limits.maxQuantityPerLine) + " per line");
  }
  if (unitsInOtherLines + quantity > limits.maxUnitsPerOrder) {
    return Error{ErrorCode::Unprocessable, "an order holds at most " + std::to_string(limits.maxUnitsPerOrder) +
                                               " items (MAX_ITEMS_PER_ORDER); this would make " +
                                               std::to_string(unitsInOtherLines + quantity)};
  }
  return Status::ok();
}

int64_t subtotalOf(const std::vector<PricingLine>& lines) {
  int64_t sum = 0;
  for (const auto& line : lines) sum += line.subtotal();
  return sum;
}

int64_t totalUnitsOf(const std::vector<PricingLine>& lines) {
  int64_t sum = 0;
  for (const auto& line : lines) sum += line.quantity;
  return sum;
}

int64_t totalWeightOf(const std::vector<PricingLine>& lines) {
  int64_t sum = 0;
  for (const auto& line : lines) sum += static_cast<int64_t>(line.weightGrams) * line.quantity;
  return sum;
}

std::vector<int64_t> spreadDiscount(const std::vector<PricingLine>& lines, int64_t discount) {
  std::vector<int64_t> weights;
  weights.reserve(lines.size());
  for (const auto& line : lines) weights.push_back(line.subtotal());
  return allocateProportionally(discount, weights);
}

bool shippingIsFree(int64_t discountedSubtotal, int64_t freeShippingThresholdMinor, bool couponGivesFreeShipping) {
  if (couponGivesFreeShipping) return true;
  return freeShippingThresholdMinor > 0 && discountedSubtotal >= freeShippingThresholdMinor;
}

Totals composeTotals(int64_t subtotal, int64_t discount, int64_t shipping, int64_t tax, bool pricesIncludeTax,
                     std::vector<int64_t> lineDiscounts) {
  Totals t;
  t.subtotal = subtotal;
  t.discount = discount;
  t.shipping = shipping;
  t.tax = tax;
  t.pricesIncludeTax = pricesIncludeTax;
  t.total = subtotal - discount + shipping + (pricesIncludeTax ? 0 : tax);
  t.lineDiscounts = std::move(lineDiscounts);
  return t;
}

}  // namespace ordersvc::domain
