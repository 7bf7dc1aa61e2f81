#include "platform/logging/log.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace ordersvc::logging {
namespace {

TEST(LogTest, JsonLinesAreValidJsonWithTypedFields) {
  const std::string line = renderForTest(Format::Json, Level::Warn, "http \"request\"\n",
                                         {{"status", 404}, {"path", "/a b"}, {"duration_ms", 1.5}, {"ok", false}});
  auto parsed = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(parsed->getValue<std::string>("level"), "warn");
  EXPECT_EQ(parsed->getValue<std::string>("msg"), "http \"request\"\n");
  EXPECT_EQ(parsed->getValue<int>("status"), 404);
  EXPECT_EQ(parsed->getValue<std::string>("path"), "/a b");
  EXPECT_DOUBLE_EQ(parsed->getValue<double>("duration_ms"), 1.5);
  EXPECT_FALSE(parsed->getValue<bool>("ok"));
}

TEST(LogTest, TextLinesQuoteValuesWithSpaces) {
  EXPECT_EQ(
      renderForTest(Format::Text, Level::Info, "http request", {{"path", "/x"}, {"reason", "two words"}, {"n", 3}}),
      "http request path=/x reason=\"two words\" n=3");
}

TEST(LogTest, ControlCharactersAreEscaped) {
  const std::string line = renderForTest(Format::Json, Level::Info,
                                         std::string("a\x01"
                                                     "b"),
                                         {});
  EXPECT_NE(line.find("\\u0001"), std::string::npos);
}

TEST(LogTest, ParsesLevelNames) {
  EXPECT_EQ(parseLevel("debug"), Level::Debug);
  EXPECT_EQ(parseLevel("off"), Level::Off);
  EXPECT_EQ(parseLevel("nonsense"), Level::Info);
}

}  // namespace
}  // namespace ordersvc::logging
