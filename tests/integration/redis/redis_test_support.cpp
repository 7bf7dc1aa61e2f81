#include "redis_test_support.h"

#include <unistd.h>

#include <stdexcept>
#include <thread>

#include <Poco/File.h>
#include <gtest/gtest.h>

#include "test_env.h"

namespace ordersvc::testing {

namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

std::string sharedRedisUrl() {
  return requiredEnv("ORDERSVC_TEST_REDIS_URL");
}

std::string uniqueKey(const std::string& base) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return base + ":" + std::to_string(::getpid()) + ":" + (info != nullptr ? info->name() : "none");
}

std::string redisCli(const std::string& url, const std::string& args) {
  // stderr dropped (runCommand adds 2>&1 outside the parentheses): redis-cli warns about
  // passwords on the command line.
  const auto result = runCommand("(redis-cli -u '" + url + "' " + args + " 2>/dev/null)");
  if (result.exitCode != 0) throw std::runtime_error("redis-cli " + args + " failed: " + result.output);
  return trimmed(result.output);
}

bool eventually(const std::function<bool()>& condition, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

PrivateRedis::PrivateRedis()
    : dir_(makeTempDir("ordersvc_redis")), script_(requiredEnv("ORDERSVC_TEST_SERVERS_SCRIPT")) {
  url_ = run("start-redis");
}

PrivateRedis::~PrivateRedis() {
  runCommand("bash " + script_ + " stop-redis " + dir_);
  try {
    Poco::File(dir_).remove(true);
  } catch (...) {
  }
}

void PrivateRedis::stop() {
  run("stop-redis");
}

void PrivateRedis::start() {
  run("start-redis");
}

std::string PrivateRedis::run(const std::string& verb) {
  // Only the URL on stdout; the script's log lines go to a file, shown if it fails.
  const std::string log = dir_ + "/servers.log";
  const auto result = runCommand("(bash " + script_ + " " + verb + " " + dir_ + " 2>" + log + ")");
  if (result.exitCode != 0) {
    throw std::runtime_error("servers.sh " + verb + " failed: " + runCommand("tail -n 20 " + log).output);
  }
  return trimmed(result.output);
}

}  // namespace ordersvc::testing
