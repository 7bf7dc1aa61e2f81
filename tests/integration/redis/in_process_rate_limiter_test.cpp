// InProcessRateLimiter: token bucket arithmetic with a controlled clock, eviction, threads.
#include <atomic>
#include <limits>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "platform/http/rate_limiter.h"

namespace ordersvc::api {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // any wall-clock time, in ms

TEST(InProcessRateLimiterTest, BurstThenRejectsWithRetryAfter) {
  InProcessRateLimiter limiter;
  const RateLimit limit{60, 3};
  for (int64_t remaining : {2, 1, 0}) {
    const auto decision = limiter.take("client", limit, kT0);
    EXPECT_TRUE(decision.allowed);
    EXPECT_EQ(decision.remaining, remaining);
    EXPECT_EQ(decision.retryAfterSeconds, 0);
  }
  const auto rejected = limiter.take("client", limit, kT0);
  EXPECT_FALSE(rejected.allowed);
  EXPECT_EQ(rejected.remaining, 0);
  EXPECT_EQ(rejected.retryAfterSeconds, 1);

  // 6 per minute: one token every 10 s.
  EXPECT_TRUE(limiter.take("slow", {6, 1}, kT0).allowed);
  EXPECT_EQ(limiter.take("slow", {6, 1}, kT0).retryAfterSeconds, 10);
}

TEST(InProcessRateLimiterTest, RefillsPerMinuteOverSixtyTokensPerSecond) {
  InProcessRateLimiter limiter;
  const RateLimit limit{60, 2};
  EXPECT_TRUE(limiter.take("c", limit, kT0).allowed);
  EXPECT_TRUE(limiter.take("c", limit, kT0).allowed);
  EXPECT_FALSE(limiter.take("c", limit, kT0).allowed);
  EXPECT_FALSE(limiter.take("c", limit, kT0 + 999).allowed);
  EXPECT_TRUE(limiter.take("c", limit, kT0 + 1000).allowed);
  EXPECT_FALSE(limiter.take("c", limit, kT0 + 1000).allowed);
  const auto full = limiter.take("c", limit, kT0 + 60'000);  // refills up to the burst only
  EXPECT_TRUE(full.allowed);
  EXPECT_EQ(full.remaining, 1);
}

TEST(InProcessRateLimiterTest, RetryAfterIsTheTimeUntilOneTokenRoundedUp) {
  InProcessRateLimiter limiter;
  const RateLimit limit{1, 1};  // one per minute
  ASSERT_TRUE(limiter.take("c", limit, kT0).allowed);
  EXPECT_EQ(limiter.take("c", limit, kT0).retryAfterSeconds, 60);
  EXPECT_EQ(limiter.take("c", limit, kT0 + 30'000).retryAfterSeconds, 30);
  EXPECT_EQ(limiter.take("c", limit, kT0 + 58'001).retryAfterSeconds, 2);
  EXPECT_EQ(limiter.take("c", limit, kT0 + 59'999).retryAfterSeconds, 1);  // at least 1
  EXPECT_TRUE(limiter.take("c", limit, kT0 + 60'000).allowed);
}

TEST(InProcessRateLimiterTest, UnlimitedWhenPerMinuteIsZero) {
  InProcessRateLimiter limiter;
  for (int i = 0; i < 1000; ++i) {
    const auto decision = limiter.take("c", {0, 1}, kT0);
    ASSERT_TRUE(decision.allowed);
    EXPECT_EQ(decision.remaining, std::numeric_limits<int64_t>::max());
  }
  EXPECT_TRUE(limiter.take("c", {-5, 1}, kT0).allowed);
  EXPECT_EQ(limiter.bucketCountForTest(), 0u);  // nothing to remember
}

TEST(InProcessRateLimiterTest, BucketsAreIndependentAndBurstBelowOneIsOne) {
  InProcessRateLimiter limiter;
  EXPECT_TRUE(limiter.take("a", {60, 0}, kT0).allowed);
  EXPECT_FALSE(limiter.take("a", {60, 0}, kT0).allowed);
  EXPECT_TRUE(limiter.take("b", {60, -3}, kT0).allowed);
  EXPECT_FALSE(limiter.take("b", {60, 1}, kT0).allowed);
}

TEST(InProcessRateLimiterTest, AnEarlierTimeRefillsNothing) {
  InProcessRateLimiter limiter;
  const RateLimit limit{60, 1};
  ASSERT_TRUE(limiter.take("c", limit, kT0 + 10'000).allowed);
  EXPECT_FALSE(limiter.take("c", limit, kT0).allowed);           // clock went back: no refill
  EXPECT_FALSE(limiter.take("c", limit, kT0 + 10'999).allowed);  // and no double refill later
  EXPECT_TRUE(limiter.take("c", limit, kT0 + 11'000).allowed);
}

TEST(InProcessRateLimiterTest, ForgetsBucketsOnceTheyAreFullAgain) {
  InProcessRateLimiter limiter;
  const RateLimit limit{60, 1};  // full again 1 s after a take
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.take("c" + std::to_string(i), limit, kT0).allowed);
  EXPECT_EQ(limiter.bucketCountForTest(), 100u);
  for (int i = 0; i < 20; ++i) limiter.take("other", {0, 1}, kT0 + 500);  // unlimited: no bucket
  for (int i = 0; i < 20; ++i) limiter.take("late", limit, kT0 + 999);
  EXPECT_EQ(limiter.bucketCountForTest(), 101u);  // none full yet
  for (int i = 0; i < 20; ++i) limiter.take("late", limit, kT0 + 1000);
  EXPECT_EQ(limiter.bucketCountForTest(), 1u);
  EXPECT_TRUE(limiter.take("c7", limit, kT0 + 1000).allowed);  // a forgotten bucket is a full one
}

TEST(InProcessRateLimiterTest, MemoryStaysBoundedWithManyActiveBuckets) {
  InProcessRateLimiter limiter(100);
  const RateLimit limit{1, 1};  // full again only after a minute
  for (int i = 0; i < 10'000; ++i) {
    limiter.take("c" + std::to_string(i), limit, kT0 + i);
    ASSERT_LE(limiter.bucketCountForTest(), 100u);
  }
  EXPECT_FALSE(limiter.take("c9999", limit, kT0 + 10'000).allowed);  // recent buckets still limit
}

TEST(InProcessRateLimiterTest, ConcurrentTakesGrantExactlyTheBurst) {
  InProcessRateLimiter limiter;
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter.take("shared", {1, 50}, kT0).allowed) ++allowed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 50);
}

}  // namespace
}  // namespace ordersvc::api
