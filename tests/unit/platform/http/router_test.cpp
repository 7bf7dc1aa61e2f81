#include "platform/http/router.h"

#include <gtest/gtest.h>

namespace ordersvc::api {
namespace {

Handler answer(int status) {
  return [status](const Request&) { return Response{status, "", "text/plain", {}}; };
}

TEST(RouterTest, MatchesLiteralAndPlaceholderSegments) {
  Router router;
  router.add("GET", "/health", answer(200));
  router.add("GET", "/api/v1/organizations/{org_id}/plugins/{instance_id}", answer(201));
  auto match = router.match("GET", "/api/v1/organizations/org_1/plugins/inst_9");
  ASSERT_EQ(match.kind, Router::Match::Kind::Found);
  EXPECT_EQ(match.route, "/api/v1/organizations/{org_id}/plugins/{instance_id}");
  EXPECT_EQ(match.params.at("org_id"), "org_1");
  EXPECT_EQ(match.params.at("instance_id"), "inst_9");
  EXPECT_EQ((*match.handler)(Request{}).status, 201);
  EXPECT_EQ(router.match("GET", "/health/").kind, Router::Match::Kind::Found);
}

TEST(RouterTest, UnknownPathIsNotFound) {
  Router router;
  router.add("GET", "/health", answer(200));
  EXPECT_EQ(router.match("GET", "/healthz").kind, Router::Match::Kind::NotFound);
  EXPECT_EQ(router.match("GET", "/health/extra").kind, Router::Match::Kind::NotFound);
  EXPECT_EQ(router.match("GET", "/").kind, Router::Match::Kind::NotFound);
}

TEST(RouterTest, WrongMethodListsTheAllowedOnes) {
  Router router;
  router.add("GET", "/things/{id}", answer(200));
  router.add("DELETE", "/things/{id}", answer(204));
  auto match = router.match("POST", "/things/7");
  ASSERT_EQ(match.kind, Router::Match::Kind::MethodNotAllowed);
  EXPECT_EQ(match.allowed, (std::vector<std::string>{"DELETE", "GET", "HEAD"}));
  EXPECT_EQ(match.route, "/things/{id}");
}

TEST(RouterTest, HeadIsServedByGet) {
  Router router;
  router.add("GET", "/health", answer(200));
  EXPECT_EQ(router.match("HEAD", "/health").kind, Router::Match::Kind::Found);
}

TEST(RouterTest, RoutesListsEveryRegistrationInOrderWithoutHead) {
  Router router;
  router.add("GET", "/things/{id}", answer(200));
  router.add("DELETE", "/things/{id}", answer(204));
  router.add("POST", "/things", answer(201));
  const auto routes = router.routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/things/{id}");
  EXPECT_EQ(routes[1].method, "DELETE");
  EXPECT_EQ(routes[2].method, "POST");
  EXPECT_EQ(routes[2].pattern, "/things");
}

}  // namespace
}  // namespace ordersvc::api
