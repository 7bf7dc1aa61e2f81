#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace ordersvc::testing {

// The Redis that `servers.sh start-all` started (ORDERSVC_TEST_REDIS_URL), shared with
// other tests: never stopped or paused here.
std::string sharedRedisUrl();

// A name no other test or run uses: "<base>:<pid>:<test name>".
std::string uniqueKey(const std::string& base);

// Runs `redis-cli -u url args...` (args split on spaces) and returns its output without
// the trailing newline. Throws std::runtime_error when redis-cli fails.
std::string redisCli(const std::string& url, const std::string& args);

// Polls `condition` every 50 ms until it holds or `limit` passes; returns the last result.
bool eventually(const std::function<bool()>& condition, std::chrono::seconds limit = std::chrono::seconds(15));

// A Redis of one's own (servers.sh start-redis) for tests that stop or pause it. Stopped
// and removed by the destructor, so a failing test leaves nothing running.
class PrivateRedis {
 public:
  PrivateRedis();
  ~PrivateRedis();
  PrivateRedis(const PrivateRedis&) = delete;
  PrivateRedis& operator=(const PrivateRedis&) = delete;

  const std::string& url() const { return url_; }
  void stop();   // shutdown nosave: the data is gone
  void start();  // again on the same port, empty
  std::string cli(const std::string& args) const { return redisCli(url_, args); }

 private:
  std::string run(const std::string& verb);
  std::string dir_;
  std::string script_;
  std::string url_;
};

}  // namespace ordersvc::testing
