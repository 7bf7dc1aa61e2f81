#include "platform/http/openapi_routes.h"

#include <gtest/gtest.h>

namespace ordersvc::api {
namespace {

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}
bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(OpenApiRoutesTest, WorkingDirectoryFirstThenTheInstallPrefixOfTheBinary) {
  const auto candidates = openApiDocumentCandidates("/opt/ordersvc/bin/ordersvc");
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0], "api/openapi.json");
  // <prefix>/<datadir>/ordersvc/openapi.json: /opt/ordersvc/share/ordersvc/openapi.json with
  // the default datadir; an absolute CMAKE_INSTALL_DATADIR is used as it is.
  EXPECT_TRUE(startsWith(candidates[1], "/")) << candidates[1];
  EXPECT_TRUE(endsWith(candidates[1], "/ordersvc/openapi.json")) << candidates[1];
  EXPECT_EQ(candidates[1].find("/bin/"), std::string::npos) << candidates[1];
}

TEST(OpenApiRoutesTest, RegistersOnePublicGetRoute) {
  RouteTable table;
  addOpenApiRoutes(table, "/nonexistent/bin/ordersvc");
  const auto& rows = table.rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].method, "GET");
  EXPECT_EQ(rows[0].path, "/openapi.json");
  EXPECT_EQ(rows[0].audience, Audience::Public);
  EXPECT_EQ(rows[0].policies, kNoPolicy);
}

}  // namespace
}  // namespace ordersvc::api
