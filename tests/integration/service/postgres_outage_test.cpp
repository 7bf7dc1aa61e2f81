// The database goes away under a running service and comes back.
#include <thread>

#include <gtest/gtest.h>

#include "service_process.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

// A private PostgreSQL cluster for this test alone, so stopping it disturbs no other test.
class PrivatePostgres {
 public:
  PrivatePostgres() : dir_(makeTempDir("ordersvc_pg_outage")), script_(requiredEnv("ORDERSVC_TEST_SERVERS_SCRIPT")) {
    url_ = run("start-pg");
  }
  ~PrivatePostgres() { runCommand(script_ + " stop-pg " + dir_); }
  const std::string& url() const { return url_; }
  void stop() { run("stop-pg"); }
  void start() { run("start-pg"); }

 private:
  std::string run(const std::string& verb) {
    const auto result = runCommand(script_ + " " + verb + " " + dir_ + " 2>/dev/null");
    if (result.exitCode != 0) throw std::runtime_error(verb + " failed: " + result.output);
    std::string out = result.output;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
  std::string dir_;
  std::string script_;
  std::string url_;
};

int waitForStatus(int port, const std::string& path, int wanted, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int last = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    last = httpGet(port, path).status;
    if (last == wanted) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return last;
}

TEST(PostgresOutageTest, ReadinessFollowsTheDatabaseAndRecovers) {
  PrivatePostgres postgres;
  ServiceProcess service(ServiceProcess::Env{{"DATABASE_URL", postgres.url()},
                                             {"DATABASE_CONNECT_TIMEOUT_SECONDS", "2"},
                                             {"DATABASE_POOL_TIMEOUT_SECONDS", "2"}});
  const int port = service.httpPort();
  ASSERT_EQ(httpGet(port, "/health/ready").status, 200);
  ASSERT_EQ(httpGet(port, "/health/db").status, 200);

  postgres.stop();
  EXPECT_EQ(waitForStatus(port, "/health/ready", 503, std::chrono::seconds(30)), 503);
  const auto down = httpGet(port, "/health/db");
  EXPECT_EQ(down.status, 503);
  EXPECT_NE(down.body.find("SERVICE_UNAVAILABLE"), std::string::npos) << down.body;
  const auto ready = httpGet(port, "/health/ready");
  EXPECT_NE(ready.body.find("database"), std::string::npos) << ready.body;  // names the failing check
  EXPECT_EQ(httpGet(port, "/health").status, 200);                          // liveness is unaffected

  postgres.start();
  EXPECT_EQ(waitForStatus(port, "/health/ready", 200, std::chrono::seconds(30)), 200);
  // Every pooled connection works again, not just one: several in a row succeed.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(httpGet(port, "/health/db").status, 200) << i;

  service.signal(SIGTERM);
  EXPECT_EQ(service.waitExit(std::chrono::seconds(30)), 0);
}

}  // namespace
}  // namespace ordersvc::testing
