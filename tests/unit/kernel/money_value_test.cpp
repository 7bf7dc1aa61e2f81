// The kernel's Money value: one currency per amount, and arithmetic that refuses to
// overflow instead of wrapping into a wrong amount.
#include "kernel/money.h"

#include <limits>

#include <gtest/gtest.h>

namespace ordersvc::testing {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

Money clp(int64_t minor) {
  return *Money::of(minor, "CLP");
}

TEST(MoneyValueTest, NeedsAnIsoShapedCurrency) {
  EXPECT_TRUE(Money::of(100, "USD"));
  for (const char* bad : {"", "us", "usd", "USDX", "U$D"}) {
    const auto refused = Money::of(100, bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
  }
}

TEST(MoneyValueTest, AddsSubtractsAndMultipliesExactly) {
  EXPECT_EQ(*clp(19990).plus(clp(10)), clp(20000));
  EXPECT_EQ(*clp(100).minus(clp(250)), clp(-150));
  EXPECT_EQ(*clp(9990).times(3), clp(29970));
  EXPECT_EQ(clp(-150).toString(), "-150 CLP");
  EXPECT_TRUE(Money::zero("USD").isZero());
  EXPECT_TRUE(clp(-1).isNegative());
}

TEST(MoneyValueTest, RefusesToMixCurrencies) {
  const auto mixed = clp(100).plus(*Money::of(100, "USD"));
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(mixed.error().message.find("CLP with USD"), std::string::npos) << mixed.error().message;
  EXPECT_FALSE(clp(100).minus(*Money::of(1, "USD")));
}

TEST(MoneyValueTest, RefusesOverflowAtEveryEdge) {
  EXPECT_TRUE(clp(kMax - 1).plus(clp(1)));
  EXPECT_FALSE(clp(kMax).plus(clp(1)));
  EXPECT_TRUE(clp(kMin + 1).minus(clp(1)));
  EXPECT_FALSE(clp(kMin).minus(clp(1)));
  EXPECT_FALSE(clp(kMax / 2 + 1).times(2));
  EXPECT_TRUE(clp(kMax / 2).times(2));
  EXPECT_FALSE(clp(kMin).times(-1));
  const auto overflow = clp(kMax).times(10);
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().code, ErrorCode::Unprocessable);
}

}  // namespace
}  // namespace ordersvc::testing
