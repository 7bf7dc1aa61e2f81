#include "platform/http/rate_limiter.h"

#include <algorithm>
#include <limits>

namespace ordersvc::api {

namespace detail {

namespace {

constexpr int64_t kMaxBurst = 1'000'000'000;
constexpr int64_t kMaxPerMinute = 1'000'000'000'000;

int64_t ceilDiv(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}  // a >= 0, b > 0

}  // namespace

NormalizedLimit normalize(const RateLimit& limit) {
  return {std::clamp<int64_t>(limit.perMinute, 1, kMaxPerMinute),
          std::clamp<int64_t>(limit.burst, 1, kMaxBurst) * kTokenUnits};
}

int64_t msUntilFull(int64_t level, const NormalizedLimit& limit) {
  return level >= limit.capacity ? 0 : ceilDiv(limit.capacity - level, limit.perMinute);
}

int retryAfterSeconds(int64_t msUntilToken) {
  const int64_t seconds = ceilDiv(std::max<int64_t>(msUntilToken, 0), 1000);
  return static_cast<int>(std::clamp<int64_t>(seconds, 1, std::numeric_limits<int>::max()));
}

RateDecision unlimitedDecision() {
  return {true, 0, std::numeric_limits<int64_t>::max()};
}

RateDecision takeToken(int64_t& level, int64_t& lastMs, const NormalizedLimit& limit, int64_t nowMs) {
  level = std::min(level, limit.capacity);  // the burst may have been lowered
  if (nowMs > lastMs) {
    // Clamped to the time until full, so the product cannot overflow.
    const int64_t elapsed = std::min(nowMs - lastMs, msUntilFull(level, limit));
    level = std::min(limit.capacity, level + elapsed * limit.perMinute);
    lastMs = nowMs;
  }
  RateDecision decision;
  if (level >= kTokenUnits) {
    level -= kTokenUnits;
  } else {
    decision.allowed = false;
    decision.retryAfterSeconds = retryAfterSeconds(ceilDiv(kTokenUnits - level, limit.perMinute));
  }
  decision.remaining = level / kTokenUnits;
  return decision;
}

}  // namespace detail

InProcessRateLimiter::InProcessRateLimiter(std::size_t maxBuckets)
    : maxBuckets_(std::max<std::size_t>(maxBuckets, 1)) {}

RateDecision InProcessRateLimiter::take(const std::string& bucketKey, const RateLimit& limit, int64_t nowMs) {
  if (limit.perMinute <= 0) return detail::unlimitedDecision();
  const auto normalized = detail::normalize(limit);
  std::lock_guard lock(mutex_);
  evictFull(nowMs);
  auto [it, inserted] = buckets_.try_emplace(bucketKey);
  Bucket& bucket = it->second;
  if (inserted) {
    bucket.level = normalized.capacity;
    bucket.lastMs = nowMs;
  } else {
    byFullAt_.erase(bucket.byFullAt);
  }
  const RateDecision decision = detail::takeToken(bucket.level, bucket.lastMs, normalized, nowMs);
  bucket.byFullAt = byFullAt_.emplace(bucket.lastMs + detail::msUntilFull(bucket.level, normalized), &it->first);
  if (buckets_.size() > maxBuckets_) {
    // Over the bound: forget the bucket that will be full soonest (least lenient choice),
    // never the one just used.
    auto victim = byFullAt_.begin();
    if (victim->second == &it->first) ++victim;
    buckets_.erase(buckets_.find(*victim->second));  // by iterator: the key is the node's own
    byFullAt_.erase(victim);
  }
  return decision;
}

void InProcessRateLimiter::evictFull(int64_t nowMs) {
  // A few per call keeps each call cheap; a call adds at most one bucket, so the backlog
  // of full buckets still shrinks.
  for (int i = 0; i < 8 && !byFullAt_.empty() && byFullAt_.begin()->first <= nowMs; ++i) {
    const auto first = byFullAt_.begin();
    buckets_.erase(buckets_.find(*first->second));  // by iterator: the key is the node's own
    byFullAt_.erase(first);
  }
}

std::size_t InProcessRateLimiter::bucketCountForTest() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace ordersvc::api
