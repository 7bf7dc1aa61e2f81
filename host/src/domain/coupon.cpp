#include "domain/coupon.h"

#include <algorithm>
#include <cctype>

#include "domain/money.h"

namespace ordersvc::domain {

std::string_view couponKindName(CouponKind kind) {
  switch (kind) {
    case CouponKind::Percentage:
      return "percentage";
    case CouponKind::FixedAmount:
      return "fixed_amount";
    case CouponKind::FreeShipping:
      return "free_shipping";
  }
  return "percentage";
}

std::optional<CouponKind> parseCouponKind(std::string_view name) {
  for (CouponKind kind : {CouponKind::Percentage, CouponKind::FixedAmount, CouponKind::FreeShipping}) {
    if (couponKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Status normalizeCoupon(Coupon& coupon) {
  std::transform(coupon.code.begin(), coupon.code.end(), coupon.code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::transform(coupon.currency.begin(), coupon.currency.end(), coupon.currency.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (coupon.code.size() < 3 || coupon.code.size() > 40 ||
      !std::all_of(coupon.code.begin(), coupon.code.end(),
                   [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; })) {
    return Error::invalidArgument("code: 3 to 40 letters, digits, '-' or '_'");
  }
  switch (coupon.kind) {
    case CouponKind::Percentage:
      if (coupon.percentBasisPoints <= 0 || coupon.percentBasisPoints > 10000) {
        return Error::invalidArgument("percent: more than 0 and at most 100");
      }
      break;
    case CouponKind::FixedAmount:
      if (!isCurrencyCode(coupon.currency)) return Error::invalidArgument("currency: an ISO 4217 code is required");
      if (coupon.amountMinor <= 0) return Error::invalidArgument("amount: must be more than 0");
      break;
    case CouponKind::FreeShipping:
      break;
  }
  if (coupon.minSubtotalMinor < 0) return Error::invalidArgument("min_subtotal: must not be negative");
  if (coupon.startsAtMs && coupon.endsAtMs && *coupon.endsAtMs <= *coupon.startsAtMs) {
    return Error::invalidArgument("ends_at: must be after starts_at");
  }
  if (coupon.usageLimit && *coupon.usageLimit < 1) return Error::invalidArgument("usage_limit: at least 1");
  if (coupon.perCustomerLimit && *coupon.perCustomerLimit < 1) {
    return Error::invalidArgument("per_customer_limit: at least 1");
  }
  return Status::ok();
}

Result<CouponEffect> evaluateCoupon(const Coupon& coupon, int64_t subtotalMinor, const std::string& currency,
                                    int64_t nowMs, int64_t usedByCustomer) {
  const auto refuse = [&](const std::string& why) { return Error::unprocessable("coupon " + coupon.code + " " + why); };
  if (!coupon.active) return refuse("is not active");
  if (coupon.startsAtMs && nowMs < *coupon.startsAtMs) return refuse("is not valid yet");
  if (coupon.endsAtMs && nowMs >= *coupon.endsAtMs) return refuse("has expired");
  if (coupon.usageLimit && coupon.timesUsed >= *coupon.usageLimit) return refuse("has been used up");
  if (coupon.perCustomerLimit && usedByCustomer >= *coupon.perCustomerLimit) {
    return refuse("was already used by this customer as often as allowed");
  }
  if (subtotalMinor < coupon.minSubtotalMinor) {
    return refuse("needs a subtotal of at least " + formatMajorUnits(coupon.minSubtotalMinor, currency) + " " +
                  currency);
  }
  CouponEffect effect;
  switch (coupon.kind) {
    case CouponKind::Percentage:
      effect.discountMinor = applyBasisPoints(subtotalMinor, coupon.percentBasisPoints);
      break;
    case CouponKind::FixedAmount:
      if (coupon.currency != currency) return refuse("is in " + coupon.currency + ", the cart in " + currency);
      effect.discountMinor = coupon.amountMinor;
      break;
    case CouponKind::FreeShipping:
      effect.freeShipping = true;
      break;
  }
  effect.discountMinor = std::min(effect.discountMinor, subtotalMinor);
  return effect;
}

}  // namespace ordersvc::domain
