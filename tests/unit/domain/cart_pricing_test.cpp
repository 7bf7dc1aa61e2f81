#include "domain/cart_pricing.h"

#include <gtest/gtest.h>

namespace ordersvc::domain {
namespace {

TEST(CartPricingTest, QuantityBounds) {
  const CartLimits limits{10, 10};
  EXPECT_EQ(checkQuantity(0, 0, limits).error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(checkQuantity(-1, 0, limits).error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(checkQuantity(11, 0, limits).error().code, ErrorCode::InvalidArgument);
  EXPECT_TRUE(checkQuantity(4, 6, limits));
  const auto over = checkQuantity(5, 6, limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::Unprocessable);
  EXPECT_NE(over.error().message.find("MAX_ITEMS_PER_ORDER"), std::string::npos);
}

TEST(CartPricingTest, TotalsExclusiveAddTaxInclusiveDoNot) {
  const auto exclusive = composeTotals("CLP", 10000, 1000, 500, 1805, false, {});
  ASSERT_TRUE(exclusive);
  EXPECT_EQ(exclusive->total, 10000 - 1000 + 500 + 1805);
  const auto inclusive = composeTotals("CLP", 10000, 1000, 500, 1437, true, {});
  ASSERT_TRUE(inclusive);
  EXPECT_EQ(inclusive->total, 9500);
  EXPECT_EQ(inclusive->tax, 1437);
  // A total past 64 bits is refused, not wrapped into a wrong (negative) amount.
  const auto overflow = composeTotals("CLP", INT64_MAX - 10, 0, 500, 0, false, {});
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().code, ErrorCode::Unprocessable);
}

TEST(CartPricingTest, SubtotalUnitsWeightAndDiscountSpread) {
  const std::vector<PricingLine> lines = {{"a", 9990, 2, 200}, {"b", 6990, 1, 450}};
  EXPECT_EQ(*subtotalOf(lines, "CLP"), 26970);
  // A price times a quantity past 64 bits is refused with a reason, never wrapped.
  const auto huge = subtotalOf({{"a", INT64_MAX / 2, 3, 0}}, "CLP");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::Unprocessable);
  EXPECT_FALSE(subtotalOf({{"a", INT64_MAX / 2, 1, 0}, {"b", INT64_MAX / 2, 1, 0}, {"c", 2, 1, 0}}, "CLP"));
  EXPECT_EQ(totalUnitsOf(lines), 3);
  EXPECT_EQ(totalWeightOf(lines), 850);
  const auto spread = spreadDiscount(lines, 2697);
  EXPECT_EQ(spread[0] + spread[1], 2697);
}

TEST(CartPricingTest, FreeShippingByCouponOrThreshold) {
  EXPECT_TRUE(shippingIsFree(100, 0, true));
  EXPECT_FALSE(shippingIsFree(100, 0, false));  // 0 = no threshold
  EXPECT_TRUE(shippingIsFree(50000, 50000, false));
  EXPECT_FALSE(shippingIsFree(49999, 50000, false));
}

}  // namespace
}  // namespace ordersvc::domain
