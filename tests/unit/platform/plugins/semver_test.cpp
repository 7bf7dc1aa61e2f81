#include "platform/plugins/semver.h"

#include <gtest/gtest.h>

namespace ordersvc::plugins {
namespace {

SemVer v(const char* text) {
  return *SemVer::parse(text);
}

TEST(SemVerTest, ParsesAndOrdersVersions) {
  EXPECT_FALSE(SemVer::parse("1.2"));
  EXPECT_FALSE(SemVer::parse("01.2.3"));
  EXPECT_FALSE(SemVer::parse("1.2.3-"));
  EXPECT_EQ(v("1.2.3+build.7").toString(), "1.2.3");
  EXPECT_LT(v("1.2.3"), v("1.10.0"));
  EXPECT_LT(v("1.0.0-alpha"), v("1.0.0-alpha.1"));
  EXPECT_LT(v("1.0.0-alpha.1"), v("1.0.0-beta"));
  EXPECT_LT(v("1.0.0-rc.1"), v("1.0.0"));
  EXPECT_LT(v("1.0.0-2"), v("1.0.0-10"));
}

TEST(VersionRangeTest, CaretTildeWildcardsAndComparators) {
  auto in = [](const char* range, const char* version) { return VersionRange::parse(range)->contains(v(version)); };
  EXPECT_TRUE(in("^1.2.3", "1.9.0"));
  EXPECT_FALSE(in("^1.2.3", "2.0.0"));
  EXPECT_FALSE(in("^1.2.3", "1.2.2"));
  EXPECT_TRUE(in("^0.2.3", "0.2.9"));
  EXPECT_FALSE(in("^0.2.3", "0.3.0"));
  EXPECT_TRUE(in("~1.2", "1.2.9"));
  EXPECT_FALSE(in("~1.2", "1.3.0"));
  EXPECT_TRUE(in("1.x", "1.99.0"));
  EXPECT_FALSE(in("1.x", "2.0.0"));
  EXPECT_TRUE(in(">=1.0.0 <2.0.0", "1.5.0"));
  EXPECT_FALSE(in(">=1.0.0 <2.0.0", "2.0.0"));
  EXPECT_TRUE(in("*", "7.0.0"));
  EXPECT_TRUE(in("2.0.0", "2.0.0"));
  EXPECT_FALSE(in("2.0.0", "2.0.1"));
  // Pre-releases only when asked for by name.
  EXPECT_FALSE(in("^1.0.0", "1.1.0-beta"));
  EXPECT_TRUE(in(">=1.1.0-beta <2.0.0", "1.1.0-beta"));
  EXPECT_FALSE(VersionRange::parse("^x"));
  EXPECT_FALSE(VersionRange::parse(""));
  EXPECT_FALSE(VersionRange::parse(">=banana"));
}

TEST(VersionRangeTest, BestPicksTheHighestMatch) {
  const std::vector<SemVer> versions = {v("1.0.0"), v("1.4.2"), v("2.0.0"), v("1.5.0-rc.1")};
  EXPECT_EQ(VersionRange::parse("^1")->best(versions)->toString(), "1.4.2");
  EXPECT_EQ(VersionRange::parse("*")->best(versions)->toString(), "2.0.0");
  EXPECT_FALSE(VersionRange::parse("^3")->best(versions));
}

}  // namespace
}  // namespace ordersvc::plugins
