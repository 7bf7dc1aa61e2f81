#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kernel/result.h"

namespace ordersvc::domain {

enum class CouponKind { Percentage, FixedAmount, FreeShipping };

std::string_view couponKindName(CouponKind kind);
std::optional<CouponKind> parseCouponKind(std::string_view name);

// An organization's discount code.
struct Coupon {
  std::string code;  // upper-case, [A-Z0-9_-]{3,40}
  CouponKind kind = CouponKind::Percentage;
  int64_t percentBasisPoints = 0;  // Percentage: 1000 = 10 %
  int64_t amountMinor = 0;         // FixedAmount, in `currency`
  std::string currency;            // FixedAmount only
  int64_t minSubtotalMinor = 0;    // in the cart's currency
  std::optional<int64_t> startsAtMs;
  std::optional<int64_t> endsAtMs;
  std::optional<int64_t> usageLimit;        // redemptions overall
  std::optional<int64_t> perCustomerLimit;  // redemptions per signed-in customer
  int64_t timesUsed = 0;
  bool active = true;
};

// Checks the fields an admin supplies; upper-cases the code and currency.
Status normalizeCoupon(Coupon& coupon);

struct CouponEffect {
  int64_t discountMinor = 0;  // never more than the subtotal
  bool freeShipping = false;
};

// What `coupon` does to a cart with `subtotalMinor` in `currency` at `nowMs`, given how
// often this customer already redeemed it. Errors (Unprocessable) say why it does not
// apply: inactive, not yet valid, expired, below the minimum subtotal, used up overall
// or by this customer, or a fixed amount in another currency.
Result<CouponEffect> evaluateCoupon(const Coupon& coupon, int64_t subtotalMinor, const std::string& currency,
                                    int64_t nowMs, int64_t usedByCustomer);

}  // namespace ordersvc::domain
