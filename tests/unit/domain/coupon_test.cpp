#include "domain/coupon.h"

#include <gtest/gtest.h>

namespace ordersvc::domain {
namespace {

Coupon percent(int64_t bp) {
  Coupon c;
  c.code = "SAVE10";
  c.kind = CouponKind::Percentage;
  c.percentBasisPoints = bp;
  return c;
}

TEST(CouponTest, PercentageOfTheSubtotalRoundedPerCurrencyUnit) {
  auto effect = evaluateCoupon(percent(1000), 26970, "CLP", 0, 0);
  ASSERT_TRUE(effect);
  EXPECT_EQ(effect->discountMinor, 2697);
  EXPECT_FALSE(effect->freeShipping);
  EXPECT_EQ(evaluateCoupon(percent(1250), 1995, "USD", 0, 0)->discountMinor, 249);  // 249.375
}

TEST(CouponTest, FixedAmountNeverExceedsTheSubtotalAndMustShareTheCurrency) {
  Coupon c;
  c.code = "FIVE";
  c.kind = CouponKind::FixedAmount;
  c.amountMinor = 5000;
  c.currency = "CLP";
  EXPECT_EQ(evaluateCoupon(c, 3000, "CLP", 0, 0)->discountMinor, 3000);
  EXPECT_EQ(evaluateCoupon(c, 9000, "CLP", 0, 0)->discountMinor, 5000);
  const auto other = evaluateCoupon(c, 9000, "USD", 0, 0);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::Unprocessable);
}

TEST(CouponTest, FreeShippingGivesNoDiscount) {
  Coupon c;
  c.code = "SHIPFREE";
  c.kind = CouponKind::FreeShipping;
  const auto effect = evaluateCoupon(c, 1000, "CLP", 0, 0);
  EXPECT_TRUE(effect->freeShipping);
  EXPECT_EQ(effect->discountMinor, 0);
}

TEST(CouponTest, WindowMinimumAndLimitsSayWhy) {
  Coupon c = percent(1000);
  c.startsAtMs = 1000;
  c.endsAtMs = 2000;
  EXPECT_NE(evaluateCoupon(c, 100, "CLP", 999, 0).error().message.find("not valid yet"), std::string::npos);
  EXPECT_TRUE(evaluateCoupon(c, 100, "CLP", 1000, 0));
  EXPECT_NE(evaluateCoupon(c, 100, "CLP", 2000, 0).error().message.find("expired"), std::string::npos);
  c = percent(1000);
  c.minSubtotalMinor = 20000;
  EXPECT_NE(evaluateCoupon(c, 19999, "CLP", 0, 0).error().message.find("at least 20000 CLP"), std::string::npos);
  c = percent(1000);
  c.usageLimit = 3;
  c.timesUsed = 3;
  EXPECT_NE(evaluateCoupon(c, 100, "CLP", 0, 0).error().message.find("used up"), std::string::npos);
  c = percent(1000);
  c.perCustomerLimit = 1;
  EXPECT_TRUE(evaluateCoupon(c, 100, "CLP", 0, 0));
  EXPECT_FALSE(evaluateCoupon(c, 100, "CLP", 0, 1));
  c.active = false;
  EXPECT_FALSE(evaluateCoupon(c, 100, "CLP", 0, 0));
}

TEST(CouponTest, NormalizeChecksWhatAnAdminSends) {
  Coupon c = percent(1000);
  c.code = "welcome-10";
  ASSERT_TRUE(normalizeCoupon(c));
  EXPECT_EQ(c.code, "WELCOME-10");
  c.code = "a b";
  EXPECT_FALSE(normalizeCoupon(c));
  c = percent(0);
  EXPECT_FALSE(normalizeCoupon(c));
  c = percent(10001);
  EXPECT_FALSE(normalizeCoupon(c));
  Coupon fixed;
  fixed.code = "FIXED";
  fixed.kind = CouponKind::FixedAmount;
  fixed.amountMinor = 100;
  EXPECT_FALSE(normalizeCoupon(fixed));  // currency required
  fixed.currency = "clp";
  ASSERT_TRUE(normalizeCoupon(fixed));
  EXPECT_EQ(fixed.currency, "CLP");
}

}  // namespace
}  // namespace ordersvc::domain
