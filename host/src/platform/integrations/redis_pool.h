#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/Redis/Client.h>

#include "platform/integrations/redis_connection.h"

namespace ordersvc::integrations {

// A few Poco::Redis::Client connections to one Redis, shared by the threads of one
// component (the cache, the rate limiter), for callers that must not wait on a Redis that
// is gone: every connect and every reply has a short time-out, and after a failure the
// pool refuses work for `backoff` instead of paying that time-out again on each call.
// When the back-off ends, one caller tries Redis again (the others keep being refused
// until it succeeds or fails), so an outage costs one time-out per back-off period.
//
// Outages are logged once when they start and once when they end.
//
// Thread-safety: every method may be called from any thread.
class RedisPool {
 public:
  struct Options {
    std::chrono::milliseconds timeout{200};   // connect, and each reply
    std::chrono::milliseconds backoff{1000};  // refuse work this long after a failure
    std::size_t maxConnections = 8;           // open at once; further callers wait up to `timeout`
    std::string component = "redis";          // names the user in log lines
  };

  enum class Outcome {
    Ok,          // fn ran to completion
    Skipped,     // not tried: back-off after a failure, or another caller is probing
    Busy,        // not tried: no free connection within `timeout` (Redis is not known to be down)
    Failed,      // connect or I/O failed (or fn threw); back-off started
    ReplyError,  // Redis answered fn's command with an error reply; the connection is fine
  };
  struct Result {
    Outcome outcome = Outcome::Skipped;
    std::string error;  // empty when Ok
    bool ok() const { return outcome == Outcome::Ok; }
  };

  // Parses `url` (see RedisEndpoint); connects lazily, on first use.
  // Throws std::invalid_argument for a URL RedisEndpoint::parse refuses.
  RedisPool(const std::string& url, Options options);
  ~RedisPool();
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  // Runs `fn` with a connected client, which fn may use for any number of commands
  // (redisCall). fn reports a server error reply by letting RedisReplyError escape and
  // anything else by throwing anything else; the latter discards the connection.
  // Never throws. fn is called at most twice: when a pooled connection turns out to have
  // been closed by the server (Redis restarted) before fn got a reply, fn is repeated once
  // on a new connection, so fn must be safe to repeat in that case (a command the
  // server never received).
  Result run(const std::function<void(Poco::Redis::Client&)>& fn);

  // False while in back-off after a failure.
  bool availableForTest() const;

 private:
  using ClientPtr = std::unique_ptr<Poco::Redis::Client>;
  enum class Acquire { Got, MustConnect, Skip, Busy };
  Acquire acquire(ClientPtr& client, bool& isProbe);
  void release(ClientPtr client, bool reusable);
  void markUp(bool isProbe);
  void markDown(bool isProbe, const std::string& error);

  const RedisEndpoint endpoint_;
  const Options options_;
  const std::string target_;  // redacted URL for log lines

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<ClientPtr> idle_;                        // guarded by mutex_
  std::size_t open_ = 0;                               // guarded by mutex_; idle + in use
  bool down_ = false;                                  // guarded by mutex_
  std::chrono::steady_clock::time_point downUntil_{};  // guarded by mutex_
  bool probing_ = false;                               // guarded by mutex_
};

}  // namespace ordersvc::integrations
