// The Redis cache of carts and orders through the real binary: reads say X-Cache miss
// then hit, a change is seen at once, a cached copy is shown to nobody the database would
// refuse, and a Redis that stops mid-test only costs the cache. About Redis, not storage:
// SQLite only.
#include <gtest/gtest.h>

#include "commerce_test_support.h"
#include "redis_test_support.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;

std::unique_ptr<ServiceProcess> startWithRedis(const std::string& redisUrl) {
  const std::string workDir = makeTempDir("ordersvc_commerce_cache");
  std::string databaseUrl;
  auto env = demoServiceEnv("sqlite", workDir, databaseUrl);
  env["REDIS_URL"] = redisUrl;
  return startService(env, workDir);
}

std::string cacheOf(const HttpResult& result) {
  const auto found = result.headers.find("x-cache");
  return found == result.headers.end() ? "<no X-Cache>" : found->second;
}

std::string statusOf(const HttpResult& result) {
  if (result.status != 200) return describe(result);
  return parseObject(result.body)->getObject("data")->getValue<std::string>("status");
}

TEST(CommerceCacheTest, OrderAndCartReadsAreCachedAndChangesAreSeenAtOnce) {
  auto service = startWithRedis(requiredEnv("ORDERSVC_TEST_REDIS_URL"));
  const int port = service->httpPort();
  const std::string subject = uniqueName("a1");  // ids are random too: no key meets another run's
  const Caller a1 = customer(subject);
  const std::string order = placeOrder(port, a1, "v_mug", 1);
  const std::string path = "/api/v1/orders/" + order;

  const auto first = send(port, a1, "GET", path);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(cacheOf(first), "miss");
  const auto second = send(port, a1, "GET", path);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(cacheOf(second), "hit");
  EXPECT_EQ(second.body, first.body);
  // The cached copy is checked like the database row: other customers and organizations
  // get 404, staff of the organization see it.
  EXPECT_EQ(send(port, customer("a2"), "GET", path).status, 404);
  EXPECT_EQ(send(port, customer(subject, "shop_b"), "GET", path).status, 404);
  const auto staff = send(port, operatorOf("ao"), "GET", path);
  EXPECT_EQ(staff.status, 200) << staff.body;
  EXPECT_EQ(cacheOf(staff), "hit");

  const auto cancelled = send(port, a1, "POST", path + "/cancel", R"({"reason":"cache test"})");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  const auto afterCancel = send(port, a1, "GET", path);
  EXPECT_EQ(statusOf(afterCancel), "cancelled");
  EXPECT_EQ(cacheOf(afterCancel), "miss");
  const auto cachedAgain = send(port, a1, "GET", path);
  EXPECT_EQ(statusOf(cachedAgain), "cancelled");
  EXPECT_EQ(cacheOf(cachedAgain), "hit");

  // A guest cart: cached with its token, served to its token only.
  const CartRef cart = createCart(port, guest(kDemoOrg));
  const Caller owner = guest(kDemoOrg, cart.token);
  addItem(port, owner, cart.id, "v_tee_m", 1);
  const std::string cartPath = "/api/v1/carts/" + cart.id;
  EXPECT_EQ(cacheOf(send(port, owner, "GET", cartPath)), "miss");
  EXPECT_EQ(cacheOf(send(port, owner, "GET", cartPath)), "hit");
  EXPECT_EQ(send(port, guest(kDemoOrg), "GET", cartPath).status, 404);
  EXPECT_EQ(send(port, guest(kDemoOrg, "someone-elses-token"), "GET", cartPath).status, 404);
  EXPECT_EQ(send(port, customer("a2"), "GET", cartPath).status, 404);
  addItem(port, owner, cart.id, "v_tee_m", 2);
  const auto changed = send(port, owner, "GET", cartPath);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(cacheOf(changed), "miss");
  EXPECT_EQ(parseObject(changed.body)->getObject("data")->getValue<int>("items_count"), 3) << changed.body;
}

TEST(CommerceCacheTest, RequestsAreAnsweredFromTheDatabaseWhileRedisIsDown) {
  PrivateRedis redis;  // stopped here; never the shared one
  auto service = startWithRedis(redis.url());
  const int port = service->httpPort();
  const Caller a1 = customer("a1");
  const std::string order = placeOrder(port, a1, "v_mug", 1);
  const std::string path = "/api/v1/orders/" + order;
  ASSERT_EQ(cacheOf(send(port, a1, "GET", path)), "miss");
  const auto cached = send(port, a1, "GET", path);
  ASSERT_EQ(cacheOf(cached), "hit");

  redis.stop();
  const auto withoutRedis = send(port, a1, "GET", path);
  ASSERT_EQ(withoutRedis.status, 200) << withoutRedis.body;
  EXPECT_EQ(cacheOf(withoutRedis), "miss");
  EXPECT_EQ(withoutRedis.body, cached.body);
  const auto cancelled = send(port, a1, "POST", path + "/cancel", "{}");
  EXPECT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(statusOf(send(port, a1, "GET", path)), "cancelled");
  // Carts too: created, changed and read without the cache.
  const CartRef cart = createCart(port, a1);
  addItem(port, a1, cart.id, "v_tee_l", 1);
  const auto cart2 = send(port, a1, "GET", "/api/v1/carts/" + cart.id);
  EXPECT_EQ(cart2.status, 200) << cart2.body;

  // Back again (empty): nothing stale is served.
  redis.start();
  EXPECT_EQ(statusOf(send(port, a1, "GET", path)), "cancelled");
  EXPECT_EQ(statusOf(send(port, a1, "GET", path)), "cancelled");
}

}  // namespace
}  // namespace ordersvc::testing
