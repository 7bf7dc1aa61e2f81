#include "platform/integrations/redis_pool.h"

#include <algorithm>

#include <Poco/Exception.h>

#include "platform/config/settings.h"
#include "platform/logging/log.h"

namespace ordersvc::integrations {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

RedisPool::RedisPool(const std::string& url, Options options)
    : endpoint_(RedisEndpoint::parse(url)),
      options_([&] {
        options.maxConnections = std::max<std::size_t>(options.maxConnections, 1);
        return std::move(options);
      }()),
      target_(config::redactUrl(url)) {}

RedisPool::~RedisPool() = default;

RedisPool::Acquire RedisPool::acquire(ClientPtr& client, bool& isProbe) {
  std::unique_lock lock(mutex_);
  if (down_) {
    if (probing_ || Clock::now() < downUntil_) return Acquire::Skip;
    probing_ = true;
    isProbe = true;
  }
  const bool free =
      freed_.wait_for(lock, options_.timeout, [&] { return !idle_.empty() || open_ < options_.maxConnections; });
  if (!free) {
    if (isProbe) probing_ = false;
    return Acquire::Busy;
  }
  if (!idle_.empty()) {
    client = std::move(idle_.back());
    idle_.pop_back();
    return Acquire::Got;
  }
  ++open_;  // reserved now, connected outside the lock
  return Acquire::MustConnect;
}

void RedisPool::release(ClientPtr client, bool reusable) {
  ClientPtr closing;  // closed outside the lock
  {
    std::lock_guard lock(mutex_);
    if (reusable && client && !down_) {
      idle_.push_back(std::move(client));
    } else {
      closing = std::move(client);
      --open_;
    }
  }
  freed_.notify_one();
}

void RedisPool::markUp(bool isProbe) {
  if (!isProbe) return;  // only the probe ends an outage: an older call may finish late
  {
    std::lock_guard lock(mutex_);
    down_ = false;
    probing_ = false;
  }
  logging::info("redis reachable again", {{"component", options_.component}, {"target", target_}});
}

void RedisPool::markDown(bool isProbe, const std::string& error) {
  std::vector<ClientPtr> stale;  // the other idle connections most likely broke too
  bool started = false;
  {
    std::lock_guard lock(mutex_);
    started = !down_;
    down_ = true;
    downUntil_ = Clock::now() + options_.backoff;
    if (isProbe) probing_ = false;
    open_ -= idle_.size();
    stale.swap(idle_);
  }
  freed_.notify_all();
  if (started) {
    logging::warn("redis unreachable, skipping it between retries",
                  {{"component", options_.component},
                   {"target", target_},
                   {"error", error},
                   {"retry_ms", static_cast<long long>(options_.backoff.count())}});
  }
}

RedisPool::Result RedisPool::run(const std::function<void(Poco::Redis::Client&)>& fn) {
  ClientPtr client;
  bool isProbe = false;
  const Acquire acquired = acquire(client, isProbe);
  if (acquired == Acquire::Skip) return {Outcome::Skipped, "skipped while Redis is unreachable"};
  if (acquired == Acquire::Busy) return {Outcome::Busy, "no free Redis connection in time"};
  bool reused = acquired == Acquire::Got;
  for (int attempt = 0;; ++attempt) {
    if (!client) {
      std::string error;
      try {
        client = connectRedis(endpoint_, options_.timeout);
      } catch (const Poco::Exception& e) {
        error = e.displayText();
      } catch (const std::exception& e) {
        error = e.what();
      }
      if (!client) {
        release(nullptr, false);
        markDown(isProbe, error);
        return {Outcome::Failed, error};
      }
    }
    const auto started = Clock::now();
    std::string error;
    try {
      fn(*client);
      release(std::move(client), true);
      markUp(isProbe);
      return {Outcome::Ok, {}};
    } catch (const RedisReplyError& e) {
      release(std::move(client), true);
      markUp(isProbe);
      return {Outcome::ReplyError, e.what()};
    } catch (const Poco::Exception& e) {
      error = e.displayText();
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown exception";
    }
    // Poco::Redis reports a time-out and a connection the server closed alike ("Lost
    // connection"). A pooled connection that fails well before the time-out was closed by
    // the server while idle (Redis restarted), so the command never ran: retry it once on
    // a new connection instead of starting an outage. The connection is reserved again.
    release(std::move(client), false);  // Poco has disconnected it already
    const bool quick = Clock::now() - started < options_.timeout / 2;
    if (reused && quick && attempt == 0) {
      std::vector<ClientPtr> stale;  // pooled alongside, so closed by the same restart
      {
        std::lock_guard lock(mutex_);
        ++open_;
        open_ -= idle_.size();
        stale.swap(idle_);
      }
      reused = false;
      continue;
    }
    markDown(isProbe, error);
    return {Outcome::Failed, error};
  }
}

bool RedisPool::availableForTest() const {
  std::lock_guard lock(mutex_);
  return !down_;
}

}  // namespace ordersvc::integrations
