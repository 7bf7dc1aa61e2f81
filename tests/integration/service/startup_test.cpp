// Start-up, configuration and command line of the real binary.
#include <fstream>

#include <Poco/File.h>
#include <gtest/gtest.h>

#include "app/module_list.h"
#include "platform/storage/migration.h"
#include "service_process.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(StartupTest, HelpListsEveryConfigurationKey) {
  const auto outcome = runService({}, {"--help"});
  EXPECT_EQ(outcome.exitCode, 0);
  for (const char* key : {"DATABASE_URL",
                          "DATABASE_POOL_SIZE",
                          "DATABASE_MAX_OVERFLOW",
                          "REDIS_URL",
                          "CACHE_TTL_CART",
                          "CACHE_TTL_ORDER",
                          "RABBITMQ_URL",
                          "RABBITMQ_EXCHANGE",
                          "RABBITMQ_QUEUE_ORDERS",
                          "RABBITMQ_QUEUE_PAYMENTS",
                          "INVENTORY_GRPC_HOST",
                          "INVENTORY_GRPC_PORT",
                          "CATALOG_GRPC_HOST",
                          "CATALOG_GRPC_PORT",
                          "ORDER_RESERVATION_TTL_MINUTES",
                          "CART_EXPIRY_DAYS",
                          "MAX_ITEMS_PER_ORDER",
                          "MIN_ORDER_AMOUNT",
                          "FREE_SHIPPING_THRESHOLD",
                          "PAYMENT_RETRY_ATTEMPTS",
                          "ABANDONED_CART_HOURS",
                          "HTTP_PORT",
                          "GRPC_PORT",
                          "LOG_LEVEL",
                          "LOG_FORMAT",
                          "STRIPE_SECRET_KEY",
                          "PAYPAL_CLIENT_ID",
                          "--print-config",
                          "--config"}) {
    EXPECT_TRUE(contains(outcome.stdoutText, key)) << key;
  }
}

TEST(StartupTest, PrintConfigShowsLayersAndRedactsSecrets) {
  const std::string dir = makeTempDir("ordersvc_cfg");
  std::ofstream(dir + "/override.properties") << "HTTP_PORT = 9123\nLOG_LEVEL = debug\n";
  const auto outcome = runService({{"LOG_LEVEL", "warn"},
                                   {"STRIPE_SECRET_KEY", "sk_live_very_secret"},
                                   {"DATABASE_URL", "postgresql://orders:dbpass99@db.example:5432/orders"}},
                                  {"--print-config", "--config=" + dir + "/override.properties"});
  ASSERT_EQ(outcome.exitCode, 0) << outcome.stderrText;
  EXPECT_TRUE(contains(outcome.stdoutText, "HTTP_PORT=9123  # file " + dir + "/override.properties"))
      << outcome.stdoutText;
  EXPECT_TRUE(contains(outcome.stdoutText, "LOG_LEVEL=warn  # environment"));
  EXPECT_TRUE(contains(outcome.stdoutText, "GRPC_PORT=50054  # default"));
  EXPECT_TRUE(contains(outcome.stdoutText, "STRIPE_SECRET_KEY=********"));
  EXPECT_TRUE(contains(outcome.stdoutText, "DATABASE_URL=postgresql://orders:********@db.example:5432/orders"));
  EXPECT_FALSE(contains(outcome.stdoutText, "sk_live_very_secret"));
  EXPECT_FALSE(contains(outcome.stdoutText, "dbpass99"));
}

TEST(StartupTest, DefaultConfigFileInWorkingDirectoryIsRead) {
  const std::string dir = makeTempDir("ordersvc_cfgdir");
  Poco::File(dir + "/config").createDirectories();
  std::ofstream(dir + "/config/ordersvc.properties") << "RABBITMQ_EXCHANGE = from_default_file\n";
  const auto outcome = runService({}, {"--print-config"}, std::chrono::seconds(60), dir);
  ASSERT_EQ(outcome.exitCode, 0);
  EXPECT_TRUE(contains(outcome.stdoutText, "RABBITMQ_EXCHANGE=from_default_file  # file config/ordersvc.properties"));
}

TEST(StartupTest, InvalidValuesStopStartUpNamingTheKey) {
  struct Case {
    std::string key, value;
  };
  for (const Case& c : {Case{"DATABASE_POOL_SIZE", "abc"}, Case{"DATABASE_URL", "postgresql://u:p@host:notaport/db"},
                        Case{"REDIS_URL", "localhost:6379"}, Case{"HTTP_PORT", "-1"}, Case{"LOG_FORMAT", "yaml"},
                        Case{"MIN_ORDER_AMOUNT", "ten"}}) {
    const auto outcome = runService({{c.key, c.value}}, {});
    EXPECT_EQ(outcome.exitCode, 78) << c.key;
    EXPECT_TRUE(contains(outcome.stderrText, c.key)) << c.key << ": " << outcome.stderrText;
  }
}

TEST(StartupTest, UnknownKeyInConfigFileStopsStartUp) {
  const std::string dir = makeTempDir("ordersvc_cfgbad");
  std::ofstream(dir + "/bad.properties") << "HTTP_PROT = 1\n";
  const auto outcome = runService({}, {"--config=" + dir + "/bad.properties"});
  EXPECT_EQ(outcome.exitCode, 78);
  EXPECT_TRUE(contains(outcome.stderrText, "HTTP_PROT"));
}

TEST(StartupTest, UnknownOptionIsAUsageError) {
  const auto outcome = runService({}, {"--no-such-option"});
  EXPECT_EQ(outcome.exitCode, 64);
  EXPECT_TRUE(contains(outcome.stderrText, "no-such-option")) << outcome.stderrText;
}

TEST(StartupTest, UnreachableDatabaseIsRetriedThenStartUpFailsClearly) {
  // Port 1 on loopback refuses connections at once, so every attempt fails fast.
  const auto outcome = runService({{"DATABASE_URL", "postgresql://ordersvc:secretpw@127.0.0.1:1/ordersvc"},
                                   {"DATABASE_STARTUP_TIMEOUT_SECONDS", "2"}},
                                  {}, std::chrono::seconds(60));
  EXPECT_EQ(outcome.exitCode, 69);
  EXPECT_TRUE(contains(outcome.stderrText, "unreachable after")) << outcome.stderrText;
  EXPECT_TRUE(contains(outcome.stdoutText, "retrying")) << outcome.stdoutText;
  EXPECT_FALSE(contains(outcome.stdoutText + outcome.stderrText, "secretpw"));
}

TEST(StartupTest, EmbeddedDefaultCreatesItsSqliteFileUnderDataDir) {
  ServiceProcess service(ServiceProcess::Env{});
  EXPECT_TRUE(Poco::File(service.workDir() + "/data/ordersvc.db").exists());
  EXPECT_EQ(httpGet(service.httpPort(), "/health/ready").status, 200);
  service.signal(SIGINT);  // Ctrl-C
  EXPECT_EQ(service.waitExit(std::chrono::seconds(30)), 0);
}

TEST(StartupTest, TwoProcessesMigratingOneFreshPostgresBothBecomeReady) {
  const std::string url = createPostgresDatabase("ordersvc_twoproc");
  ServiceProcess::Options options;
  options.env = {{"DATABASE_URL", url}};
  options.waitUntilReady = false;
  ServiceProcess first(options);
  ServiceProcess second(options);
  ASSERT_TRUE(first.waitReady(std::chrono::seconds(60))) << first.stdoutText() << first.stderrText();
  ASSERT_TRUE(second.waitReady(std::chrono::seconds(60))) << second.stdoutText() << second.stderrText();
  EXPECT_EQ(httpGet(first.httpPort(), "/health/ready").status, 200);
  EXPECT_EQ(httpGet(second.httpPort(), "/health/ready").status, 200);
  // Between them the two applied each migration exactly once: the advisory lock makes
  // one process apply all of them and the other find nothing left to do.
  const std::string total = std::to_string(app::allMigrations().size());
  const std::string logs = first.stdoutText() + "\n" + second.stdoutText();
  EXPECT_TRUE(contains(logs, "applied_now=" + total)) << logs;
  EXPECT_TRUE(contains(logs, "applied_now=0")) << logs;
  const auto count = runCommand("psql '" + url + "' -Atc 'SELECT COUNT(*) FROM schema_migrations'");
  EXPECT_EQ(count.output, total + "\n");
}

}  // namespace
}  // namespace ordersvc::testing
