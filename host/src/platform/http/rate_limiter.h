#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ordersvc::api {

// A token bucket: it holds at most `burst` tokens and refills perMinute/60 tokens per
// second; each request takes one. perMinute 0 (or less) means unlimited. A burst below 1
// counts as 1. Very large values are clamped (burst to 1e9, perMinute to 1e12).
struct RateLimit {
  int64_t perMinute = 0;
  int64_t burst = 1;
};

struct RateDecision {
  bool allowed = true;
  int retryAfterSeconds = 0;  // when rejected: ceil(seconds until one token), at least 1
  int64_t remaining = 0;      // whole tokens left after this request; INT64_MAX if unlimited
};

// Decides whether a request may proceed under the limit of its bucket (a client, a
// tenant, a route: whatever `bucketKey` names). `nowMs` is the caller's wall clock in
// milliseconds; a bucket never goes back in time (an earlier nowMs refills nothing).
// A bucket is created full on first use; the limit applies as passed on each call.
//
// Thread-safety: take() may be called from any thread.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  virtual RateDecision take(const std::string& bucketKey, const RateLimit& limit, int64_t nowMs) = 0;
};

// Buckets in this process's memory. Memory stays bounded: a bucket idle long enough to be
// full again is forgotten (a new bucket starts full, so nothing changes), and beyond
// `maxBuckets` the bucket closest to full is forgotten early (that client gets a fresh
// burst; the bound matters more).
//
// Thread-safety: take() may be called from any thread (one mutex).
class InProcessRateLimiter final : public RateLimiter {
 public:
  explicit InProcessRateLimiter(std::size_t maxBuckets = 100000);
  RateDecision take(const std::string& bucketKey, const RateLimit& limit, int64_t nowMs) override;

  std::size_t bucketCountForTest() const;

 private:
  struct Bucket {
    int64_t level = 0;   // tokens * kTokenUnits
    int64_t lastMs = 0;  // time of the last refill
    std::multimap<int64_t, const std::string*>::iterator byFullAt;
  };
  void evictFull(int64_t nowMs);  // requires mutex_

  const std::size_t maxBuckets_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;      // guarded by mutex_
  std::multimap<int64_t, const std::string*> byFullAt_;  // guarded by mutex_; full-again time -> key
};

struct RedisRateLimiterOptions {
  std::chrono::milliseconds timeout{200};   // connect, and each reply
  std::chrono::milliseconds backoff{1000};  // after a failure, limit in process this long
  std::size_t maxConnections = 8;
  std::string prefix = "ordersvc:ratelimit:";
  std::size_t fallbackMaxBuckets = 100000;  // of the in-process fallback
};

// A RateLimiter whose buckets live in Redis at `redisUrl`, so every process using that
// Redis shares them (see RedisRateLimiter). Connects lazily. Throws std::invalid_argument
// for a URL it cannot use (unparsable, rediss://).
std::unique_ptr<RateLimiter> makeRedisRateLimiter(const std::string& redisUrl,
                                                  const RedisRateLimiterOptions& options = {});

namespace detail {

// The bucket arithmetic shared by InProcessRateLimiter and the Redis script (which
// repeats it in Lua): integers in 1/60000 of a token, so a token refills in exactly
// 60000/perMinute ms and both implementations decide identically.
inline constexpr int64_t kTokenUnits = 60000;
struct NormalizedLimit {
  int64_t perMinute = 0;  // units per ms
  int64_t capacity = 0;   // burst * kTokenUnits
};
NormalizedLimit normalize(const RateLimit& limit);  // requires limit.perMinute > 0
// Refills the bucket to nowMs and takes a token if there is one.
RateDecision takeToken(int64_t& level, int64_t& lastMs, const NormalizedLimit& limit, int64_t nowMs);
RateDecision unlimitedDecision();
// ms after lastMs at which the bucket is full again.
int64_t msUntilFull(int64_t level, const NormalizedLimit& limit);
int retryAfterSeconds(int64_t msUntilToken);

}  // namespace detail

}  // namespace ordersvc::api
