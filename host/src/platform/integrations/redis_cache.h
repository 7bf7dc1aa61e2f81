#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "platform/integrations/cache.h"
#include "platform/integrations/redis_pool.h"

namespace ordersvc::metrics {
class Counter;
class Gauge;
}  // namespace ordersvc::metrics

namespace ordersvc::integrations {

// The Cache in Redis: keys are options.prefix + key, values plain strings with an expiry
// (SET EX). Redis being slow or gone never fails a call: get() misses and put() is
// dropped, each after at most one short time-out, and then without any wait for the
// back-off period (RedisPool).
//
// Dirty keys. An erase() that cannot reach Redis leaves the old value there; if Redis
// comes back with it (it was only partitioned, paused, or restarted from a snapshot), a
// later get() would serve it although the source changed. So such keys are remembered
// locally as dirty: get() of a dirty key is a miss and first retries the DEL; the mark is
// cleared once a DEL (or a SET that overwrites the value) succeeds. A mark older than
// options.maxTtl is dropped, since every value Redis held then has expired. When more
// than options.maxDirtyKeys marks would be needed, the cache serves nothing (every get a
// miss, puts dropped) for options.maxTtl rather than forget a mark.
// The marks are per process: another process using the same Redis may still read the
// stale value until it expires; shorter TTLs bound that.
//
// Thread-safety: every method may be called from any thread.
class RedisCache final : public Cache {
 public:
  // Throws std::invalid_argument for a URL RedisEndpoint::parse refuses. Does not connect.
  RedisCache(const std::string& redisUrl, const RedisCacheOptions& options);

  std::optional<std::string> get(const std::string& key) override;
  void put(const std::string& key, const std::string& value, std::chrono::seconds ttl) override;
  void erase(const std::string& key) override;

  std::size_t dirtyKeysForTest() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Dirty {
    std::uint64_t generation = 0;
    Clock::time_point markedAt;
  };
  // The key's dirty generation (0: clean). Sets `bypass` while the cache serves nothing.
  std::uint64_t dirtyGeneration(const std::string& key, bool& bypass);
  void markDirty(const std::string& key);
  void clearDirty(const std::string& key, std::uint64_t generation);  // unless re-marked since
  bool deleteInRedis(const std::string& key);
  void countError(metrics::Counter* counter);

  const RedisCacheOptions options_;
  RedisPool pool_;
  metrics::Counter* hits_ = nullptr;
  metrics::Counter* misses_ = nullptr;
  metrics::Counter* getErrors_ = nullptr;
  metrics::Counter* putErrors_ = nullptr;
  metrics::Counter* eraseErrors_ = nullptr;
  metrics::Gauge* dirtyGauge_ = nullptr;

  mutable std::mutex dirtyMutex_;
  std::unordered_map<std::string, Dirty> dirty_;  // guarded by dirtyMutex_
  std::uint64_t lastGeneration_ = 0;              // guarded by dirtyMutex_
  Clock::time_point bypassUntil_{};               // guarded by dirtyMutex_
};

}  // namespace ordersvc::integrations
