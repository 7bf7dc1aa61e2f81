// The Redis rate limiter against the real redis-server: the script's arithmetic, buckets
// shared between limiters (as between processes), expiry, NOSCRIPT, and the in-process
// fallback while Redis is stopped (a private Redis for those).
#include "platform/http/redis_rate_limiter.h"

#include <atomic>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "redis_test_support.h"

namespace ordersvc::testing {
namespace {

using api::RateLimit;

constexpr int64_t kT0 = 1'700'000'000'000;

TEST(RedisRateLimitTest, BurstThenRejectsWithRetryAfter) {
  auto limiter = api::makeRedisRateLimiter(sharedRedisUrl());
  const std::string bucket = uniqueKey("rl");
  const RateLimit limit{60, 3};
  for (int64_t remaining : {2, 1, 0}) {
    const auto decision = limiter->take(bucket, limit, kT0);
    EXPECT_TRUE(decision.allowed);
    EXPECT_EQ(decision.remaining, remaining);
  }
  const auto rejected = limiter->take(bucket, limit, kT0);
  EXPECT_FALSE(rejected.allowed);
  EXPECT_EQ(rejected.remaining, 0);
  EXPECT_GE(rejected.retryAfterSeconds, 1);
  EXPECT_EQ(rejected.retryAfterSeconds, 1);
  EXPECT_TRUE(limiter->take(bucket + ":slow", {6, 1}, kT0).allowed);
  EXPECT_EQ(limiter->take(bucket + ":slow", {6, 1}, kT0).retryAfterSeconds, 10);
}

TEST(RedisRateLimitTest, RefillsWithTheCallersClock) {
  auto limiter = api::makeRedisRateLimiter(sharedRedisUrl());
  const std::string bucket = uniqueKey("rl");
  const RateLimit limit{60, 2};
  EXPECT_TRUE(limiter->take(bucket, limit, kT0).allowed);
  EXPECT_TRUE(limiter->take(bucket, limit, kT0).allowed);
  EXPECT_FALSE(limiter->take(bucket, limit, kT0 + 999).allowed);
  EXPECT_TRUE(limiter->take(bucket, limit, kT0 + 1000).allowed);
  EXPECT_FALSE(limiter->take(bucket, limit, kT0 + 500).allowed);  // earlier time: nothing refilled
  const auto full = limiter->take(bucket, limit, kT0 + 60'000);
  EXPECT_TRUE(full.allowed);
  EXPECT_EQ(full.remaining, 1);
}

TEST(RedisRateLimitTest, TwoLimitersShareOneBucket) {
  // Two objects with their own connections, as two processes would have.
  auto first = api::makeRedisRateLimiter(sharedRedisUrl());
  auto second = api::makeRedisRateLimiter(sharedRedisUrl());
  const std::string bucket = uniqueKey("rl");
  const RateLimit limit{60, 4};
  EXPECT_TRUE(first->take(bucket, limit, kT0).allowed);
  EXPECT_TRUE(second->take(bucket, limit, kT0).allowed);
  EXPECT_TRUE(first->take(bucket, limit, kT0).allowed);
  EXPECT_EQ(second->take(bucket, limit, kT0).remaining, 0);
  EXPECT_FALSE(first->take(bucket, limit, kT0).allowed);
  EXPECT_FALSE(second->take(bucket, limit, kT0).allowed);
  EXPECT_TRUE(second->take(bucket, limit, kT0 + 1000).allowed);  // one refilled token, taken once
  EXPECT_FALSE(first->take(bucket, limit, kT0 + 1000).allowed);
}

TEST(RedisRateLimitTest, ManyThreadsOnSeveralLimitersNeverOverGrant) {
  std::vector<std::unique_ptr<api::RateLimiter>> limiters;
  for (int i = 0; i < 3; ++i) limiters.push_back(api::makeRedisRateLimiter(sharedRedisUrl()));
  const std::string bucket = uniqueKey("rl");
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (limiters[t % 3]->take(bucket, {1, 100}, kT0).allowed) ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 100);
}

TEST(RedisRateLimitTest, UnlimitedWhenPerMinuteIsZero) {
  const std::string url = sharedRedisUrl();
  auto limiter = api::makeRedisRateLimiter(url);
  const std::string bucket = uniqueKey("rl");
  for (int i = 0; i < 100; ++i) {
    const auto decision = limiter->take(bucket, {0, 1}, kT0);
    ASSERT_TRUE(decision.allowed);
    EXPECT_EQ(decision.remaining, std::numeric_limits<int64_t>::max());
  }
  EXPECT_EQ(redisCli(url, "EXISTS ordersvc:ratelimit:" + bucket), "0");
}

TEST(RedisRateLimitTest, BucketIsPrefixedAndExpiresOnceFullAgain) {
  const std::string url = sharedRedisUrl();
  auto limiter = api::makeRedisRateLimiter(url);
  const std::string bucket = uniqueKey("rl");
  limiter->take(bucket, {60, 2}, kT0);
  EXPECT_EQ(redisCli(url, "EXISTS ordersvc:ratelimit:" + bucket), "1");
  EXPECT_EQ(redisCli(url, "TYPE ordersvc:ratelimit:" + bucket), "hash");
  // Full again 1 s after the take; kept one more second of slack.
  const int pttl = std::stoi(redisCli(url, "PTTL ordersvc:ratelimit:" + bucket));
  EXPECT_GT(pttl, 0);
  EXPECT_LE(pttl, 2000);
}

TEST(RedisRateLimitTest, DecidesExactlyAsTheInProcessLimiter) {
  auto redis = api::makeRedisRateLimiter(sharedRedisUrl());
  api::InProcessRateLimiter local;
  const std::string base = uniqueKey("rl");
  // Buckets with different limits, taken from in a pseudo-random order over time.
  const RateLimit limits[] = {{7, 1}, {7, 4}, {57, 2}, {600, 5}, {1, 3}};
  uint64_t seed = 42;
  const auto next = [&](uint64_t range) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int64_t>((seed >> 33) % range);
  };
  int64_t now = kT0;
  int allowed = 0;
  for (int i = 0; i < 400; ++i) {
    now += next(3) == 0 ? next(20'000) : 0;
    const auto which = next(5);
    const std::string bucket = base + ":" + std::to_string(which);
    const auto expected = local.take(bucket, limits[which], now);
    const auto actual = redis->take(bucket, limits[which], now);
    ASSERT_EQ(actual.allowed, expected.allowed) << i;
    ASSERT_EQ(actual.remaining, expected.remaining) << i;
    ASSERT_EQ(actual.retryAfterSeconds, expected.retryAfterSeconds) << i;
    allowed += actual.allowed ? 1 : 0;
  }
  EXPECT_GT(allowed, 0);
  EXPECT_LT(allowed, 400);  // both outcomes were compared
}

TEST(RedisRateLimitTest, LoadsTheScriptAgainAfterScriptFlush) {
  PrivateRedis redis;
  auto limiter = api::makeRedisRateLimiter(redis.url());
  ASSERT_TRUE(limiter->take("c", {60, 2}, kT0).allowed);
  redis.cli("SCRIPT FLUSH");
  const auto decision = limiter->take("c", {60, 2}, kT0);  // NOSCRIPT, then EVAL
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.remaining, 0);
  EXPECT_EQ(redis.cli("HGET ordersvc:ratelimit:c level"), "0");  // in Redis, not the fallback
}

TEST(RedisRateLimitOutageTest, FallsBackToInProcessAndStillLimits) {
  PrivateRedis redis;
  api::RedisRateLimiterOptions options;
  options.backoff = std::chrono::milliseconds(100);
  auto limiter = api::makeRedisRateLimiter(redis.url(), options);
  ASSERT_TRUE(limiter->take("c", {60, 3}, kT0).allowed);
  redis.stop();
  const RateLimit limit{60, 3};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter->take("down", limit, kT0).allowed) << i;
  const auto rejected = limiter->take("down", limit, kT0);
  EXPECT_FALSE(rejected.allowed);
  EXPECT_GE(rejected.retryAfterSeconds, 1);
  EXPECT_TRUE(limiter->take("down", limit, kT0 + 1000).allowed);

  redis.start();
  EXPECT_TRUE(eventually([&] {
    limiter->take("back", limit, kT0);
    return redis.cli("EXISTS ordersvc:ratelimit:back") == "1";
  }));
}

TEST(RedisRateLimitOutageTest, UnreachableFromTheStartStillLimits) {
  PrivateRedis redis;
  redis.stop();
  auto limiter = api::makeRedisRateLimiter(redis.url());
  EXPECT_TRUE(limiter->take("c", {60, 1}, kT0).allowed);
  EXPECT_FALSE(limiter->take("c", {60, 1}, kT0).allowed);
  EXPECT_THROW(api::makeRedisRateLimiter("rediss://127.0.0.1:1"), std::invalid_argument);
}

}  // namespace
}  // namespace ordersvc::testing
