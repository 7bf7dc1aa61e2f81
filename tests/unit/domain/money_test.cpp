#include "domain/money.h"

#include <gtest/gtest.h>

namespace ordersvc::domain {
namespace {

TEST(MoneyTest, ExponentFollowsIso4217) {
  EXPECT_EQ(currencyExponent("CLP"), 0);
  EXPECT_EQ(currencyExponent("JPY"), 0);
  EXPECT_EQ(currencyExponent("USD"), 2);
  EXPECT_EQ(currencyExponent("PEN"), 2);
  EXPECT_EQ(currencyExponent("MXN"), 2);
  EXPECT_EQ(currencyExponent("KWD"), 3);
  EXPECT_EQ(currencyExponent("CLF"), 4);
}

TEST(MoneyTest, ParsesMajorUnitsExactly) {
  EXPECT_EQ(*parseMajorUnits("125.5", "USD"), 12550);
  EXPECT_EQ(*parseMajorUnits("125.50", "USD"), 12550);
  EXPECT_EQ(*parseMajorUnits("0.1", "USD"), 10);
  EXPECT_EQ(*parseMajorUnits("19990", "CLP"), 19990);
  EXPECT_EQ(*parseMajorUnits("19990.0", "CLP"), 19990);  // trailing zeros are harmless
  EXPECT_EQ(*parseMajorUnits("1.234", "KWD"), 1234);
  EXPECT_EQ(*parseMajorUnits("-3.5", "USD"), -350);
}

TEST(MoneyTest, RefusesWhatTheCurrencyCannotHold) {
  EXPECT_FALSE(parseMajorUnits("10.5", "CLP"));
  EXPECT_FALSE(parseMajorUnits("1.999", "USD"));
  EXPECT_FALSE(parseMajorUnits("abc", "USD"));
  EXPECT_FALSE(parseMajorUnits("", "USD"));
  EXPECT_FALSE(parseMajorUnits("1e5", "USD"));
  EXPECT_FALSE(parseMajorUnits("99999999999999999999", "USD"));
  EXPECT_NE(parseMajorUnits("10.5", "CLP").error().message.find("no decimals"), std::string::npos);
}

TEST(MoneyTest, FormatsMinorUnitsAsDecimalText) {
  EXPECT_EQ(formatMajorUnits(12550, "USD"), "125.50");
  EXPECT_EQ(formatMajorUnits(5, "USD"), "0.05");
  EXPECT_EQ(formatMajorUnits(19990, "CLP"), "19990");
  EXPECT_EQ(formatMajorUnits(-350, "USD"), "-3.50");
  EXPECT_EQ(formatMajorUnits(1234, "KWD"), "1.234");
}

TEST(MoneyTest, BasisPointsRoundHalfAwayFromZero) {
  EXPECT_EQ(applyBasisPoints(1995, 1000), 200);  // 199.5 -> 200
  EXPECT_EQ(applyBasisPoints(1994, 1000), 199);
  EXPECT_EQ(applyBasisPoints(-1995, 1000), -200);
  EXPECT_EQ(applyBasisPoints(26970, 1000), 2697);
  EXPECT_EQ(applyBasisPoints(INT64_MAX / 2, 10000), INT64_MAX / 2);  // no overflow
}

TEST(MoneyTest, ProportionalAllocationSumsExactly) {
  const auto parts = allocateProportionally(100, {1, 1, 1});
  EXPECT_EQ(parts, (std::vector<int64_t>{34, 33, 33}));
  const auto uneven = allocateProportionally(2697, {19980, 6990});
  EXPECT_EQ(uneven[0] + uneven[1], 2697);
  EXPECT_EQ(uneven, (std::vector<int64_t>{1998, 699}));
  EXPECT_EQ(allocateProportionally(5, {0, 0}), (std::vector<int64_t>{5, 0}));
  EXPECT_TRUE(allocateProportionally(5, {}).empty());
}

}  // namespace
}  // namespace ordersvc::domain
