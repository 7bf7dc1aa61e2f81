#include "domain/cart_pricing.h"

#include <utility>

#include "domain/money.h"
#include "kernel/money.h"

namespace ordersvc::domain {

Status checkQuantity(int64_t quantity, int64_t unitsInOtherLines, const CartLimits& limits) {
  if (quantity <= 0) return Error::invalidArgument("quantity: must be at least 1");
  if (quantity > limits.maxQuantityPerLine) {
    return Error::invalidArgument("quantity: at most " + std::to_string(limits.maxQuantityPerLine) + " per line");
  }
  if (unitsInOtherLines + quantity > limits.maxUnitsPerOrder) {
    return Error::unprocessable("an order holds at most " + std::to_string(limits.maxUnitsPerOrder) +
                                " items (MAX_ITEMS_PER_ORDER); this would make " +
                                std::to_string(unitsInOtherLines + quantity));
  }
  return Status::ok();
}

Result<int64_t> subtotalOf(const std::vector<PricingLine>& lines, std::string_view currency) {
  auto sum = Money::of(0, currency);
  if (!sum) return sum.error();
  for (const auto& line : lines) {
    auto lineTotal = Money::of(line.unitPriceMinor, currency);
    if (lineTotal) lineTotal = lineTotal->times(line.quantity);
    if (lineTotal)
      sum = sum->plus(*lineTotal);
    else
      return lineTotal.error();
    if (!sum) return sum.error();
  }
  return sum->minor();
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

Result<Totals> composeTotals(std::string_view currency, int64_t subtotal, int64_t discount, int64_t shipping,
                             int64_t tax, bool pricesIncludeTax, std::vector<int64_t> lineDiscounts) {
  auto total = Money::of(subtotal, currency);
  for (const auto& [amount, sign] :
       {std::pair{discount, -1}, std::pair{shipping, 1}, std::pair{pricesIncludeTax ? int64_t{0} : tax, 1}}) {
    if (!total) break;
    auto part = Money::of(amount, currency);
    if (!part) return part.error();
    total = sign < 0 ? total->minus(*part) : total->plus(*part);
  }
  if (!total) return total.error();
  Totals t;
  t.subtotal = subtotal;
  t.discount = discount;
  t.shipping = shipping;
  t.tax = tax;
  t.pricesIncludeTax = pricesIncludeTax;
  t.total = total->minor();
  t.lineDiscounts = std::move(lineDiscounts);
  return t;
}

}  // namespace ordersvc::domain
