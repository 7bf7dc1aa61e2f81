#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace ordersvc::metrics {
class MetricsRegistry;
}

namespace ordersvc::integrations {

// A look-aside cache of strings shared by the request threads (and, with Redis, by every
// process using the same Redis). It is an optimisation only: nothing it does ever fails
// a request. A value may disappear at any time; callers re-read the source on a miss.
//
// Thread-safety: every method may be called from any thread.
class Cache {
 public:
  virtual ~Cache() = default;

  // The value stored under `key`, or nullopt on a miss, when the cache is unreachable,
  // or when the key may hold a value an earlier erase() could not remove. Never throws.
  virtual std::optional<std::string> get(const std::string& key) = 0;

  // Stores `value` under `key` for `ttl` (best effort: dropped when the cache is
  // unreachable; a ttl of zero or less stores nothing). Never throws.
  virtual void put(const std::string& key, const std::string& value, std::chrono::seconds ttl) = 0;

  // Removes `key` (invalidation after the source changed). When the cache cannot be
  // reached, the key is still never served again until a later removal succeeds. Never throws.
  virtual void erase(const std::string& key) = 0;
};

// The embedded default (no REDIS_URL): caches nothing, every get() is a miss.
class NoCache final : public Cache {
 public:
  std::optional<std::string> get(const std::string&) override { return std::nullopt; }
  void put(const std::string&, const std::string&, std::chrono::seconds) override {}
  void erase(const std::string&) override {}
};

struct RedisCacheOptions {
  std::chrono::milliseconds timeout{200};   // connect, and each reply
  std::chrono::milliseconds backoff{1000};  // after a failure, skip Redis this long
  std::size_t maxConnections = 8;
  std::string prefix = "ordersvc:";  // before every key in Redis
  // Longer TTLs are shortened to this. It also bounds how long a key whose erase failed
  // must be distrusted: by then any value it held has expired. Every process sharing the
  // Redis should use the same value.
  std::chrono::seconds maxTtl{3600};
  // Keys whose erase failed, remembered at most; beyond it the cache stops serving
  // anything for maxTtl (see RedisCache).
  std::size_t maxDirtyKeys = 100000;
  // Counts hits, misses and errors when set; must outlive the cache.
  metrics::MetricsRegistry* metrics = nullptr;
};

// A Cache in Redis at `redisUrl` (redis://[[user]:password@]host[:port][/db]).
// Connects lazily: an unreachable Redis is not an error here.
// Throws std::invalid_argument for a URL it cannot use (unparsable, rediss://).
std::unique_ptr<Cache> makeRedisCache(const std::string& redisUrl, const RedisCacheOptions& options = {});

}  // namespace ordersvc::integrations
