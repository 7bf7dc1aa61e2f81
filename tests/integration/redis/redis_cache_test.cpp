// The Redis cache against the real redis-server: values, TTLs, key prefix, metrics, and
// what happens while Redis is stopped or paused (a private Redis for those).
#include "platform/integrations/redis_cache.h"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "platform/metrics/metrics_registry.h"
#include "redis_test_support.h"

namespace ordersvc::testing {
namespace {

using integrations::Cache;
using integrations::RedisCache;
using integrations::RedisCacheOptions;
using std::chrono::seconds;

TEST(NoCacheTest, AlwaysMisses) {
  integrations::NoCache cache;
  cache.put("k", "v", seconds(60));
  EXPECT_EQ(cache.get("k"), std::nullopt);
  cache.erase("k");
  EXPECT_EQ(cache.get("k"), std::nullopt);
}

TEST(RedisCacheTest, PutGetErase) {
  auto cache = integrations::makeRedisCache(sharedRedisUrl());
  const std::string key = uniqueKey("cache");
  EXPECT_EQ(cache->get(key), std::nullopt);
  cache->put(key, "v1", seconds(60));
  EXPECT_EQ(cache->get(key), "v1");
  cache->put(key, "v2", seconds(60));
  EXPECT_EQ(cache->get(key), "v2");
  cache->erase(key);
  EXPECT_EQ(cache->get(key), std::nullopt);
  cache->erase(key);  // erasing a missing key is fine
  EXPECT_EQ(cache->get(key), std::nullopt);
}

TEST(RedisCacheTest, ValuesAreBinarySafe) {
  auto cache = integrations::makeRedisCache(sharedRedisUrl());
  const std::string key = uniqueKey("cache");
  std::string value = std::string("a\r\nb\0c$5\r\n", 11);
  for (int i = 0; i < 20000; ++i) value.push_back(static_cast<char>(i * 7));
  cache->put(key, value, seconds(60));
  EXPECT_EQ(cache->get(key), value);
  cache->put(key, "", seconds(60));
  EXPECT_EQ(cache->get(key), "");  // an empty value is a hit, not a miss
  cache->erase(key);
}

TEST(RedisCacheTest, KeysArePrefixed) {
  const std::string url = sharedRedisUrl();
  const std::string key = uniqueKey("cache");
  auto cache = integrations::makeRedisCache(url);
  cache->put(key, "value", seconds(60));
  EXPECT_EQ(redisCli(url, "GET ordersvc:" + key), "value");
  EXPECT_EQ(redisCli(url, "EXISTS " + key), "0");

  RedisCacheOptions options;
  options.prefix = "ordersvc-other:";
  auto other = integrations::makeRedisCache(url, options);
  EXPECT_EQ(other->get(key), std::nullopt);  // its own key space
  other->put(key, "other", seconds(60));
  EXPECT_EQ(redisCli(url, "GET ordersvc-other:" + key), "other");
  EXPECT_EQ(cache->get(key), "value");
  cache->erase(key);
  other->erase(key);
}

TEST(RedisCacheTest, EntriesExpireAfterTheirTtl) {
  const std::string url = sharedRedisUrl();
  const std::string key = uniqueKey("cache");
  auto cache = integrations::makeRedisCache(url);
  cache->put(key, "short-lived", seconds(1));
  const int pttl = std::stoi(redisCli(url, "PTTL ordersvc:" + key));
  EXPECT_GT(pttl, 0);
  EXPECT_LE(pttl, 1000);
  EXPECT_TRUE(eventually([&] { return !cache->get(key).has_value(); }));
}

TEST(RedisCacheTest, LongTtlsAreShortenedToMaxTtlAndZeroStoresNothing) {
  const std::string url = sharedRedisUrl();
  const std::string key = uniqueKey("cache");
  RedisCacheOptions options;
  options.maxTtl = seconds(5);
  auto cache = integrations::makeRedisCache(url, options);
  cache->put(key, "v", seconds(86400));
  const int ttl = std::stoi(redisCli(url, "TTL ordersvc:" + key));
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 5);
  cache->erase(key);
  cache->put(key, "v", seconds(0));
  EXPECT_EQ(cache->get(key), std::nullopt);
  EXPECT_EQ(redisCli(url, "EXISTS ordersvc:" + key), "0");
}

TEST(RedisCacheTest, CountsHitsMissesAndErrors) {
  metrics::MetricsRegistry registry;
  RedisCacheOptions options;
  options.metrics = &registry;
  auto cache = integrations::makeRedisCache(sharedRedisUrl(), options);
  const std::string key = uniqueKey("cache");
  cache->get(key);
  cache->put(key, "v", seconds(60));
  cache->get(key);
  cache->get(key);
  cache->erase(key);
  EXPECT_EQ(registry.counter("ordersvc_cache_requests_total", "", {{"result", "hit"}}).value(), 2);
  EXPECT_EQ(registry.counter("ordersvc_cache_requests_total", "", {{"result", "miss"}}).value(), 1);
  EXPECT_EQ(registry.counter("ordersvc_cache_errors_total", "", {{"op", "get"}}).value(), 0);

  PrivateRedis redis;
  auto down = integrations::makeRedisCache(redis.url(), options);
  redis.stop();
  EXPECT_EQ(down->get(key), std::nullopt);
  down->put(key, "v", seconds(60));
  down->erase(key);
  EXPECT_EQ(registry.counter("ordersvc_cache_requests_total", "", {{"result", "miss"}}).value(), 2);
  EXPECT_EQ(registry.counter("ordersvc_cache_errors_total", "", {{"op", "get"}}).value(), 1);
  EXPECT_EQ(registry.counter("ordersvc_cache_errors_total", "", {{"op", "put"}}).value(), 1);
  EXPECT_EQ(registry.counter("ordersvc_cache_errors_total", "", {{"op", "erase"}}).value(), 1);
  EXPECT_EQ(registry.gauge("ordersvc_cache_dirty_keys", "").value(), 1);
  EXPECT_NE(registry.render().find("ordersvc_cache_requests_total{result=\"hit\"} 2"), std::string::npos)
      << registry.render();
}

TEST(RedisCacheTest, ManyThreadsShareTheConnections) {
  RedisCacheOptions options;
  options.maxConnections = 3;
  options.timeout = std::chrono::milliseconds(2000);  // waiting for a busy connection is no failure here
  auto cache = integrations::makeRedisCache(sharedRedisUrl(), options);
  const std::string base = uniqueKey("cache");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const std::string key = base + ":" + std::to_string(t) + ":" + std::to_string(i % 5);
        const std::string value = std::to_string(t * 1000 + i);
        cache->put(key, value, seconds(60));
        if (cache->get(key) != value) ++wrong;
        cache->erase(key);
        if (cache->get(key).has_value()) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(RedisCacheTest, UsesThePasswordUserAndDatabaseOfTheUrl) {
  PrivateRedis redis;
  const std::string user = "cacheuser";
  redis.cli("ACL SETUSER " + user + " on '>s3cret' '~*' '+@all'");
  const std::string port = redis.url().substr(redis.url().rfind(':') + 1);
  auto cache = integrations::makeRedisCache("redis://" + user + ":s3cret@127.0.0.1:" + port + "/3");
  cache->put("k", "in-db-3", seconds(60));
  EXPECT_EQ(cache->get("k"), "in-db-3");
  EXPECT_EQ(redis.cli("-n 3 GET ordersvc:k"), "in-db-3");
  EXPECT_EQ(redis.cli("-n 0 EXISTS ordersvc:k"), "0");

  auto wrongPassword = integrations::makeRedisCache("redis://" + user + ":nope@127.0.0.1:" + port + "/3");
  EXPECT_EQ(wrongPassword->get("k"), std::nullopt);  // AUTH refused: a miss, no throw
}

TEST(RedisCacheTest, RejectsUrlsItCannotUse) {
  EXPECT_THROW(integrations::makeRedisCache("rediss://127.0.0.1:6380"), std::invalid_argument);
  EXPECT_THROW(integrations::makeRedisCache("http://127.0.0.1:6379"), std::invalid_argument);
  EXPECT_THROW(integrations::makeRedisCache("redis://"), std::invalid_argument);
}

// ------------------------------------------------------------------ Redis away

RedisCacheOptions quickRetry() {
  RedisCacheOptions options;
  options.backoff = std::chrono::milliseconds(100);
  return options;
}

TEST(RedisCacheOutageTest, StoppedRedisMissesAndNothingThrows) {
  PrivateRedis redis;
  RedisCache cache(redis.url(), RedisCacheOptions{});
  cache.put("k", "v", seconds(60));
  ASSERT_EQ(cache.get("k"), "v");
  redis.stop();
  for (int i = 0; i < 50; ++i) {  // the first call fails, the rest are skipped during back-off
    EXPECT_NO_THROW({
      EXPECT_EQ(cache.get("k"), std::nullopt);
      cache.put("k", "v", seconds(60));
      cache.erase("other");
    });
  }
  redis.start();
  EXPECT_TRUE(eventually([&] {
    cache.put("back", "again", seconds(60));
    return cache.get("back") == "again";
  }));
}

TEST(RedisCacheOutageTest, RestartedRedisIsUsedAgainAtOnce) {
  PrivateRedis redis;
  RedisCache cache(redis.url(), RedisCacheOptions{});
  cache.put("k", "v", seconds(60));
  ASSERT_EQ(cache.get("k"), "v");  // a connection now sits in the pool
  redis.stop();
  redis.start();
  // The pooled connection was closed by the restart: replaced at once, no outage.
  cache.put("k", "after restart", seconds(60));
  EXPECT_EQ(cache.get("k"), "after restart");
}

TEST(RedisCacheOutageTest, FailedEraseIsNotServedWhenRedisComesBackWithTheOldValue) {
  PrivateRedis redis;
  RedisCache cache(redis.url(), quickRetry());
  cache.put("k", "old", seconds(60));
  redis.stop();
  cache.erase("k");  // fails: Redis is down
  EXPECT_EQ(cache.dirtyKeysForTest(), 1u);
  redis.start();
  // As if Redis came back from a snapshot taken before the erase.
  redis.cli("SET ordersvc:k old EX 60");
  RedisCache unaware(redis.url(), quickRetry());
  EXPECT_EQ(unaware.get("k"), "old");  // what would be served without the dirty mark

  EXPECT_TRUE(eventually([&] {
    EXPECT_EQ(cache.get("k"), std::nullopt);  // every read until the DEL got through
    return cache.dirtyKeysForTest() == 0;
  }));
  EXPECT_EQ(redis.cli("EXISTS ordersvc:k"), "0");  // the retried DEL removed it
  EXPECT_EQ(cache.get("k"), std::nullopt);
  cache.put("k", "new", seconds(60));
  EXPECT_EQ(cache.get("k"), "new");
}

TEST(RedisCacheOutageTest, EraseTimingOutOnAPausedRedisIsNeverServedStale) {
  PrivateRedis redis;
  RedisCache cache(redis.url(), quickRetry());
  cache.put("k", "old", seconds(60));
  ASSERT_EQ(cache.get("k"), "old");
  // Writes block, reads are served: the DEL times out while GET would still work.
  redis.cli("CLIENT PAUSE 60000 WRITE");
  struct Unpause {
    PrivateRedis& redis;
    ~Unpause() {
      try {
        redis.cli("CLIENT UNPAUSE");
      } catch (...) {
      }
    }
  } unpause{redis};
  cache.erase("k");
  EXPECT_EQ(cache.dirtyKeysForTest(), 1u);
  RedisCache unaware(redis.url(), quickRetry());
  EXPECT_EQ(unaware.get("k"), "old");  // Redis serves the stale value to anyone who asks

  // Well past several back-off periods: each read retries the DEL (which times out again)
  // and misses.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(cache.get("k"), std::nullopt) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(cache.dirtyKeysForTest(), 1u);

  redis.cli("CLIENT UNPAUSE");
  EXPECT_TRUE(eventually([&] {
    EXPECT_EQ(cache.get("k"), std::nullopt);
    return cache.dirtyKeysForTest() == 0;
  }));
  EXPECT_EQ(redis.cli("EXISTS ordersvc:k"), "0");
}

TEST(RedisCacheOutageTest, ASuccessfulPutClearsTheDirtyMark) {
  PrivateRedis redis;
  RedisCache cache(redis.url(), quickRetry());
  redis.stop();
  cache.erase("k");
  ASSERT_EQ(cache.dirtyKeysForTest(), 1u);
  redis.start();
  EXPECT_TRUE(eventually([&] {
    cache.put("k", "fresh", seconds(60));
    return cache.dirtyKeysForTest() == 0;
  }));
  EXPECT_EQ(cache.get("k"), "fresh");
}

}  // namespace
}  // namespace ordersvc::testing
