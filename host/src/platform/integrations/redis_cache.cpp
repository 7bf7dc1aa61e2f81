#include "platform/integrations/redis_cache.h"

#include <algorithm>

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Type.h>

#include "platform/logging/log.h"
#include "platform/metrics/metrics_registry.h"

namespace ordersvc::integrations {

namespace {

RedisPool::Options poolOptions(const RedisCacheOptions& options) {
  RedisPool::Options pool;
  pool.timeout = options.timeout;
  pool.backoff = options.backoff;
  pool.maxConnections = options.maxConnections;
  pool.component = "cache";
  return pool;
}

}  // namespace

RedisCache::RedisCache(const std::string& redisUrl, const RedisCacheOptions& options)
    : options_(options), pool_(redisUrl, poolOptions(options)) {
  if (auto* registry = options_.metrics) {
    const std::string requests = "ordersvc_cache_requests_total";
    const std::string requestsHelp = "Cache look-ups, by result (an unreachable cache is a miss).";
    hits_ = &registry->counter(requests, requestsHelp, {{"result", "hit"}});
    misses_ = &registry->counter(requests, requestsHelp, {{"result", "miss"}});
    const std::string errors = "ordersvc_cache_errors_total";
    const std::string errorsHelp = "Cache operations that did not reach Redis (failed, or skipped during back-off).";
    getErrors_ = &registry->counter(errors, errorsHelp, {{"op", "get"}});
    putErrors_ = &registry->counter(errors, errorsHelp, {{"op", "put"}});
    eraseErrors_ = &registry->counter(errors, errorsHelp, {{"op", "erase"}});
    dirtyGauge_ = &registry->gauge("ordersvc_cache_dirty_keys", "Keys whose invalidation has not reached Redis yet.");
  }
}

std::unique_ptr<Cache> makeRedisCache(const std::string& redisUrl, const RedisCacheOptions& options) {
  return std::make_unique<RedisCache>(redisUrl, options);
}

void RedisCache::countError(metrics::Counter* counter) {
  if (counter != nullptr) counter->increment();
}

std::optional<std::string> RedisCache::get(const std::string& key) {
  bool bypass = false;
  const std::uint64_t generation = dirtyGeneration(key, bypass);
  std::optional<std::string> value;
  if (bypass) {
    // serves nothing until the marks it had to forget have expired
  } else if (generation != 0) {
    // Redis may still hold the value the failed erase() meant to remove: never read it,
    // retry the removal instead. Either way this is a miss.
    if (deleteInRedis(key)) {
      clearDirty(key, generation);
    } else {
      countError(getErrors_);
    }
  } else {
    Poco::Redis::Array command;
    command << "GET" << options_.prefix + key;
    const auto result = pool_.run([&](Poco::Redis::Client& client) {
      const auto reply = redisCall(client, command);
      const auto* bulk = dynamic_cast<const Poco::Redis::Type<Poco::Redis::BulkString>*>(reply.get());
      if (bulk != nullptr && !bulk->value().isNull()) value = bulk->value().value();
    });
    if (!result.ok()) countError(getErrors_);
  }
  if (auto* counter = value ? hits_ : misses_) counter->increment();
  return value;
}

void RedisCache::put(const std::string& key, const std::string& value, std::chrono::seconds ttl) {
  if (ttl.count() <= 0) return;
  bool bypass = false;
  const std::uint64_t generation = dirtyGeneration(key, bypass);
  if (bypass) return;
  Poco::Redis::Array command;
  command << "SET" << options_.prefix + key << value << "EX" << std::to_string(std::min(ttl, options_.maxTtl).count());
  const auto result = pool_.run([&](Poco::Redis::Client& client) { redisCall(client, command); });
  if (!result.ok()) {
    countError(putErrors_);
    return;
  }
  // The SET replaced whatever stale value a failed erase() left behind.
  if (generation != 0) clearDirty(key, generation);
}

void RedisCache::erase(const std::string& key) {
  bool bypass = false;
  const std::uint64_t generation = dirtyGeneration(key, bypass);
  if (deleteInRedis(key)) {
    if (generation != 0) clearDirty(key, generation);
    return;
  }
  countError(eraseErrors_);
  markDirty(key);
}

bool RedisCache::deleteInRedis(const std::string& key) {
  Poco::Redis::Array command;
  command << "DEL" << options_.prefix + key;
  return pool_.run([&](Poco::Redis::Client& client) { redisCall(client, command); }).ok();
}

std::uint64_t RedisCache::dirtyGeneration(const std::string& key, bool& bypass) {
  const auto now = Clock::now();
  std::lock_guard lock(dirtyMutex_);
  bypass = now < bypassUntil_;
  const auto it = dirty_.find(key);
  if (it == dirty_.end()) return 0;
  if (now - it->second.markedAt >= options_.maxTtl) {  // any value Redis held has expired
    dirty_.erase(it);
    if (dirtyGauge_ != nullptr) dirtyGauge_->set(static_cast<double>(dirty_.size()));
    return 0;
  }
  return it->second.generation;
}

void RedisCache::markDirty(const std::string& key) {
  const auto now = Clock::now();
  bool overflowed = false;
  {
    std::lock_guard lock(dirtyMutex_);
    if (dirty_.size() >= options_.maxDirtyKeys && !dirty_.contains(key)) {
      std::erase_if(dirty_, [&](const auto& entry) { return now - entry.second.markedAt >= options_.maxTtl; });
    }
    if (dirty_.size() >= options_.maxDirtyKeys && !dirty_.contains(key)) {
      // Forgetting a mark could serve a stale value; serving nothing until every value
      // Redis might hold now has expired cannot.
      overflowed = true;
      bypassUntil_ = now + options_.maxTtl;
      dirty_.clear();
    } else {
      dirty_[key] = Dirty{++lastGeneration_, now};
    }
    if (dirtyGauge_ != nullptr) dirtyGauge_->set(static_cast<double>(dirty_.size()));
  }
  if (overflowed) {
    logging::error("cache: too many invalidations failed while Redis was unreachable; serving nothing for max TTL",
                   {{"max_dirty_keys", static_cast<long long>(options_.maxDirtyKeys)},
                    {"max_ttl_s", static_cast<long long>(options_.maxTtl.count())}});
  }
}

void RedisCache::clearDirty(const std::string& key, std::uint64_t generation) {
  std::lock_guard lock(dirtyMutex_);
  const auto it = dirty_.find(key);
  // A newer failed erase() re-marked the key while this removal ran: it needs its own.
  if (it == dirty_.end() || it->second.generation != generation) return;
  dirty_.erase(it);
  if (dirtyGauge_ != nullptr) dirtyGauge_->set(static_cast<double>(dirty_.size()));
}

std::size_t RedisCache::dirtyKeysForTest() const {
  std::lock_guard lock(dirtyMutex_);
  return dirty_.size();
}

}  // namespace ordersvc::integrations
