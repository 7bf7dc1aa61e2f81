// The event catalogue: every published type once, each named <resource>.<what>.
#include "kernel/event_types.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace ordersvc::testing {
namespace {

TEST(EventTypesTest, EachTypeOnceAndNamedResourceDotWhat) {
  std::set<std::string_view> seen;
  for (const auto type : events::allEventTypes()) {
    EXPECT_TRUE(seen.insert(type).second) << type << " listed twice";
    const auto dot = type.find('.');
    ASSERT_NE(dot, std::string_view::npos) << type;
    EXPECT_TRUE(type.substr(0, dot) == "order" || type.substr(0, dot) == "payment" || type.substr(0, dot) == "cart")
        << type;
  }
  EXPECT_EQ(seen.size(), 25u);
}

}  // namespace
}  // namespace ordersvc::testing
