#include "platform/http/redis_rate_limiter.h"

#include <Poco/DigestEngine.h>
#include <Poco/Redis/Array.h>
#include <Poco/SHA1Engine.h>

#include "platform/logging/log.h"

namespace ordersvc::api {

namespace {

// KEYS[1] bucket; ARGV: perMinute (token units per ms), capacity (units), nowMs.
// Returns {allowed 0/1, whole tokens left, ms until one token (0 when allowed)}.
// Mirrors detail::takeToken. Numbers stay below 2^53, exact in Lua's doubles.
constexpr const char* kTakeScript = R"lua(
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local unit = 60000
local state = redis.call('HMGET', KEYS[1], 'level', 'last')
local level = tonumber(state[1])
local last = tonumber(state[2])
if level == nil or last == nil then
  level = capacity
  last = now
end
if level > capacity then level = capacity end
if now > last then
  level = math.min(capacity, level + (now - last) * rate)
  last = now
end
local allowed = 0
local wait = 0
if level >= unit then
  level = level - unit
  allowed = 1
else
  wait = math.ceil((unit - level) / rate)
end
redis.call('HSET', KEYS[1], 'level', string.format('%.0f', level), 'last', string.format('%.0f', last))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - level) / rate) + 1000)
return {allowed, math.floor(level / unit), wait}
)lua";

const std::string& scriptSha() {
  static const std::string sha = [] {
    Poco::SHA1Engine engine;
    engine.update(std::string(kTakeScript));
    return Poco::DigestEngine::digestToHex(engine.digest());
  }();
  return sha;
}

integrations::RedisPool::Options poolOptions(const RedisRateLimiterOptions& options) {
  integrations::RedisPool::Options pool;
  pool.timeout = options.timeout;
  pool.backoff = options.backoff;
  pool.maxConnections = options.maxConnections;
  pool.component = "rate_limiter";
  return pool;
}

}  // namespace

RedisRateLimiter::RedisRateLimiter(const std::string& redisUrl, const RedisRateLimiterOptions& options)
    : options_(options), pool_(redisUrl, poolOptions(options)), fallback_(options.fallbackMaxBuckets) {}

std::unique_ptr<RateLimiter> makeRedisRateLimiter(const std::string& redisUrl, const RedisRateLimiterOptions& options) {
  return std::make_unique<RedisRateLimiter>(redisUrl, options);
}

RateDecision RedisRateLimiter::take(const std::string& bucketKey, const RateLimit& limit, int64_t nowMs) {
  if (limit.perMinute <= 0) return detail::unlimitedDecision();
  const auto normalized = detail::normalize(limit);
  const std::string key = options_.prefix + bucketKey;
  const std::string perMinute = std::to_string(normalized.perMinute);
  const std::string capacity = std::to_string(normalized.capacity);
  const std::string now = std::to_string(nowMs);

  RateDecision decision;
  const auto result = pool_.run([&](Poco::Redis::Client& client) {
    Poco::Redis::Array evalSha;
    evalSha << "EVALSHA" << scriptSha() << "1" << key << perMinute << capacity << now;
    Poco::Redis::RedisType::Ptr reply;
    try {
      reply = integrations::redisCall(client, evalSha);
    } catch (const integrations::RedisReplyError& e) {
      // Not loaded yet on this server (first use, restart, SCRIPT FLUSH): EVAL loads it.
      if (std::string_view(e.what()).rfind("NOSCRIPT", 0) != 0) throw;
      Poco::Redis::Array eval;
      eval << "EVAL" << kTakeScript << "1" << key << perMinute << capacity << now;
      reply = integrations::redisCall(client, eval);
    }
    const auto* array = dynamic_cast<const Poco::Redis::Type<Poco::Redis::Array>*>(reply.get());
    if (array == nullptr || array->value().size() != 3) {
      throw integrations::RedisReplyError("unexpected reply to the rate limit script");
    }
    const Poco::Redis::Array& values = array->value();
    decision.allowed = values.get<Poco::Int64>(0) == 1;
    decision.remaining = values.get<Poco::Int64>(1);
    decision.retryAfterSeconds = decision.allowed ? 0 : detail::retryAfterSeconds(values.get<Poco::Int64>(2));
  });
  if (result.ok()) {
    if (fallingBack_.exchange(false)) logging::info("rate limiting in Redis again", {{"component", "rate_limiter"}});
    return decision;
  }
  // A busy pool is no outage: decided locally this once, without a log line.
  if (result.outcome != integrations::RedisPool::Outcome::Busy && !fallingBack_.exchange(true)) {
    logging::warn("rate limiting falls back to in-process buckets while Redis is unavailable",
                  {{"component", "rate_limiter"}, {"error", result.error}});
  }
  return fallback_.take(bucketKey, limit, nowMs);
}

}  // namespace ordersvc::api
