// Rate limiting of the commerce routes through the real binary: per client in one
// process, and shared by two processes through the shared Redis (REDIS_URL). Storage
// plays no part, so these run on SQLite only.
#include <gtest/gtest.h>

#include "commerce_test_support.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;

// 60 per minute refills one request per second; a burst of 3 at once.
constexpr int kBurst = 3;

ServiceProcess::Env limitedEnv(const std::string& workDir) {
  std::string databaseUrl;
  auto env = demoServiceEnv("sqlite", workDir, databaseUrl);
  env["RATE_LIMIT_CLIENT_PER_MINUTE"] = "60";
  env["RATE_LIMIT_CLIENT_BURST"] = std::to_string(kBurst);
  return env;
}

// A customer no other test or run uses: its own bucket, in its own organization (so the
// per-organization bucket, shared in Redis, is its own too). An unknown organization's
// catalog is simply empty.
Caller freshClient() {
  return customer(uniqueName("rl_client"), uniqueName("rl_org"));
}

struct Burst {
  Caller client;
  std::vector<HttpResult> answers;
  bool quick = false;  // all sent within one refill period (1 s)
};

// Sends GET /api/v1/products once to each port in turn, as a fresh client. The bucket
// gains a request per second, so a burst proves the limit only when it took less than a
// second; on a machine too busy for that the burst is repeated with another fresh client
// (no assertion depends on how long it took).
Burst quickBurst(const std::vector<int>& ports) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    Burst burst;
    burst.client = freshClient();
    const auto started = std::chrono::steady_clock::now();
    for (int port : ports) burst.answers.push_back(send(port, burst.client, "GET", "/api/v1/products"));
    burst.quick = std::chrono::steady_clock::now() - started < std::chrono::seconds(1);
    if (burst.quick) return burst;
  }
  return Burst{};
}

void expectLimited(const HttpResult& answer, const std::string& context) {
  EXPECT_EQ(answer.status, 429) << context << ": " << answer.body;
  EXPECT_EQ(errorCode(answer), "RATE_LIMITED") << context << ": " << answer.body;
  ASSERT_TRUE(answer.headers.count("retry-after")) << context;
  EXPECT_GE(std::stoi(answer.headers.at("retry-after")), 1) << context;
}

TEST(CommerceRateLimitTest, FourthQuickRequestOfOneClientIs429AndOthersStillPass) {
  const std::string workDir = makeTempDir("ordersvc_rate_limit");
  auto service = startService(limitedEnv(workDir), workDir);
  const int port = service->httpPort();
  const auto burst = quickBurst({port, port, port, port});
  ASSERT_TRUE(burst.quick) << "five attempts of four requests each took over a second";
  for (int i = 0; i < kBurst; ++i)
    EXPECT_EQ(burst.answers[i].status, 200) << "request " << i + 1 << ": " << burst.answers[i].body;
  expectLimited(burst.answers[kBurst], "4th request");
  // Another client has its own bucket.
  const auto other = send(port, freshClient(), "GET", "/api/v1/products");
  EXPECT_EQ(other.status, 200) << other.body;
  // So has a guest (limited by its address).
  const auto guestAnswer = send(port, guest(kDemoOrg), "GET", "/api/v1/products");
  EXPECT_EQ(guestAnswer.status, 200) << guestAnswer.body;
}

TEST(CommerceRateLimitTest, TwoProcessesSharingRedisShareTheBurst) {
  const std::string firstDir = makeTempDir("ordersvc_rate_limit_a");
  const std::string secondDir = makeTempDir("ordersvc_rate_limit_b");
  auto env = limitedEnv(firstDir);
  env["REDIS_URL"] = requiredEnv("ORDERSVC_TEST_REDIS_URL");
  auto first = startService(env, firstDir);
  auto second = startService(env, secondDir);  // its own SQLite file (DATA_DIR); the Redis is shared
  const int a = first->httpPort();
  const int b = second->httpPort();
  const auto burst = quickBurst({a, b, a, b, a});
  ASSERT_TRUE(burst.quick) << "five attempts of five requests each took over a second";
  for (int i = 0; i < kBurst; ++i)
    EXPECT_EQ(burst.answers[i].status, 200) << "request " << i + 1 << ": " << burst.answers[i].body;
  expectLimited(burst.answers[3], "4th request, on the second process");
  expectLimited(burst.answers[4], "5th request, on the first process");
  const Caller other = freshClient();
  EXPECT_EQ(send(a, other, "GET", "/api/v1/products").status, 200);
  EXPECT_EQ(send(b, other, "GET", "/api/v1/products").status, 200);
}

}  // namespace
}  // namespace ordersvc::testing
