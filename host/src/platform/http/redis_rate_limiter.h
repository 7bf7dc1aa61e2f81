#pragma once

#include <atomic>
#include <string>

#include "platform/http/rate_limiter.h"
#include "platform/integrations/redis_pool.h"

namespace ordersvc::api {

// Token buckets in Redis, shared by every process that uses the same Redis and prefix.
// Each take() is one Lua script (EVALSHA, EVAL when Redis answers NOSCRIPT) that refills,
// takes and stores the bucket atomically, in a hash {level, last} under
// prefix + bucketKey that expires once the bucket would be full again (a missing bucket
// is a full one, so expiry loses nothing). The arithmetic is detail::takeToken's, so
// Redis and the fallback decide alike.
//
// Time is the caller's nowMs, not Redis TIME. Rationale: the interface passes the clock,
// so the limiter is deterministic and testable, and the in-process fallback uses the
// same time base when Redis goes away. Several processes share a bucket correctly as long
// as their clocks agree (NTP keeps hosts within milliseconds): the script never moves a
// bucket's time backwards, so a process whose clock lags refills nothing twice, and a
// clock running ahead by d can grant at most d * perMinute / 60000 extra tokens once.
//
// Redis unreachable (or failing the script): the call is decided by an in-process
// InProcessRateLimiter instead, and the switch is logged once per outage. Each process
// then limits on its own, so the shared limit is looser (up to one full limit per
// process) until Redis returns; it neither rejects everything nor lets everything through.
//
// Thread-safety: take() may be called from any thread.
class RedisRateLimiter final : public RateLimiter {
 public:
  // Throws std::invalid_argument for a URL RedisEndpoint::parse refuses. Does not connect.
  RedisRateLimiter(const std::string& redisUrl, const RedisRateLimiterOptions& options);

  RateDecision take(const std::string& bucketKey, const RateLimit& limit, int64_t nowMs) override;

 private:
  const RedisRateLimiterOptions options_;
  integrations::RedisPool pool_;
  InProcessRateLimiter fallback_;
  std::atomic<bool> fallingBack_{false};
};

}  // namespace ordersvc::api
