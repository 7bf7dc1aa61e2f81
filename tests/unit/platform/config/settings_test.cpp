#include "platform/config/settings.h"

#include <fstream>

#include <gtest/gtest.h>

#include "platform/config/setting_spec.h"
#include "platform/config/settings_loader.h"

namespace ordersvc::config {
namespace {

SettingLayer layer(std::string name, std::map<std::string, std::string> values, bool strict = true) {
  return SettingLayer{std::move(name), std::move(values), strict};
}

TEST(SettingsTest, DefaultsCoverEveryKeyOfTheServiceDescription) {
  auto settings = Settings::resolve({});
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_EQ(settings->getInt("HTTP_PORT"), 8004);
  EXPECT_EQ(settings->getInt("GRPC_PORT"), 50054);
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
                          "LOG_LEVEL",
                          "LOG_FORMAT",
                          "STRIPE_SECRET_KEY",
                          "PAYPAL_CLIENT_SECRET",
                          "MERCADOPAGO_ACCESS_TOKEN",
                          "FEDEX_API_KEY",
                          "UPS_CLIENT_SECRET",
                          "DHL_API_KEY"}) {
    EXPECT_NE(findSetting(key), nullptr) << key;
  }
  EXPECT_EQ(settings->sourceOf("HTTP_PORT"), "default");
}

TEST(SettingsTest, LaterLayersWin) {
  auto settings = Settings::resolve({layer("file a", {{"HTTP_PORT", "9000"}, {"LOG_LEVEL", "debug"}}),
                                     layer("file b", {{"HTTP_PORT", "9001"}}),
                                     layer("environment", {{"LOG_LEVEL", "warn"}}, false)});
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->getInt("HTTP_PORT"), 9001);
  EXPECT_EQ(settings->sourceOf("HTTP_PORT"), "file b");
  EXPECT_EQ(settings->get("LOG_LEVEL"), "warn");
  EXPECT_EQ(settings->sourceOf("LOG_LEVEL"), "environment");
}

TEST(SettingsTest, NonIntegerStopsWithTheKeyNamed) {
  auto settings = Settings::resolve({layer("environment", {{"DATABASE_POOL_SIZE", "abc"}}, false)});
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().code, ErrorCode::Configuration);
  EXPECT_NE(settings.error().message.find("DATABASE_POOL_SIZE"), std::string::npos);
  EXPECT_NE(settings.error().message.find("not an integer"), std::string::npos);
}

TEST(SettingsTest, OutOfRangeIntegerIsRejected) {
  EXPECT_FALSE(Settings::resolve({layer("env", {{"HTTP_PORT", "70000"}}, false)}));
  EXPECT_FALSE(Settings::resolve({layer("env", {{"DATABASE_POOL_SIZE", "0"}}, false)}));
  EXPECT_TRUE(Settings::resolve({layer("env", {{"DATABASE_POOL_SIZE", " 7 "}}, false)}));
}

TEST(SettingsTest, MalformedUrlsAreRejectedWithoutShowingThePassword) {
  for (const std::string url : {"not a url", "mysql://u:p@h/db", "postgresql://u:hunter2@host:notaport/db",
                                "postgresql://u:hunter2@:5432/db", "sqlite://"}) {
    auto settings = Settings::resolve({layer("env", {{"DATABASE_URL", url}}, false)});
    ASSERT_FALSE(settings) << url;
    EXPECT_NE(settings.error().message.find("DATABASE_URL"), std::string::npos) << settings.error().message;
    EXPECT_EQ(settings.error().message.find("hunter2"), std::string::npos) << settings.error().message;
  }
  EXPECT_FALSE(Settings::resolve({layer("env", {{"REDIS_URL", "http://localhost:6379"}}, false)}));
  EXPECT_FALSE(Settings::resolve({layer("env", {{"RABBITMQ_URL", "amqp://guest:guest@:5672"}}, false)}));
  EXPECT_TRUE(Settings::resolve({layer("env", {{"DATABASE_URL", "postgresql://u:p@db.example:5432/orders"}}, false)}));
  EXPECT_TRUE(Settings::resolve({layer("env", {{"DATABASE_URL", "sqlite:///var/lib/ordersvc/o.db"}}, false)}));
}

TEST(SettingsTest, ChoicesBooleansAndDecimalsAreChecked) {
  EXPECT_FALSE(Settings::resolve({layer("env", {{"LOG_FORMAT", "xml"}}, false)}));
  EXPECT_FALSE(Settings::resolve({layer("env", {{"DEBUG_ROUTES", "maybe"}}, false)}));
  EXPECT_FALSE(Settings::resolve({layer("env", {{"MIN_ORDER_AMOUNT", "-5"}}, false)}));
  EXPECT_FALSE(Settings::resolve({layer("env", {{"MIN_ORDER_AMOUNT", "1e3"}}, false)}));
  auto ok = Settings::resolve(
      {layer("env", {{"LOG_FORMAT", "JSON"}, {"DEBUG_ROUTES", "yes"}, {"MIN_ORDER_AMOUNT", "10.50"}}, false)});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->get("LOG_FORMAT"), "json");
  EXPECT_TRUE(ok->getBool("DEBUG_ROUTES"));
  EXPECT_EQ(ok->get("MIN_ORDER_AMOUNT"), "10.50");
}

TEST(SettingsTest, UnknownKeyInAFileIsAnErrorButIgnoredInTheEnvironment) {
  auto fromFile = Settings::resolve({layer("file x.properties", {{"HTTP_PROT", "1"}})});
  ASSERT_FALSE(fromFile);
  EXPECT_NE(fromFile.error().message.find("HTTP_PROT"), std::string::npos);
  EXPECT_NE(fromFile.error().message.find("x.properties"), std::string::npos);
  EXPECT_TRUE(Settings::resolve({layer("environment", {{"HTTP_PROT", "1"}}, false)}));
}

TEST(SettingsTest, SecretsAndUrlPasswordsAreRedacted) {
  auto settings = Settings::resolve({layer("env",
                                           {{"STRIPE_SECRET_KEY", "sk_test_123"},
                                            {"DATABASE_URL", "postgresql://orders:s3cret@db:5432/orders"},
                                            {"RABBITMQ_URL", "amqp://guest:guest@mq:5672/%2f"}},
                                           false)});
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->redacted("STRIPE_SECRET_KEY"), "********");
  EXPECT_EQ(settings->redacted("DATABASE_URL"), "postgresql://orders:********@db:5432/orders");
  EXPECT_EQ(settings->redacted("RABBITMQ_URL"), "amqp://guest:********@mq:5672/%2f");
  EXPECT_EQ(settings->redacted("HTTP_PORT"), "8004");
  EXPECT_EQ(settings->get("STRIPE_SECRET_KEY"), "sk_test_123");
}

TEST(SettingsTest, SecretValuesNeverAppearInErrors) {
  auto settings = Settings::resolve({layer("env", {{"PAYPAL_MODE", "hunter2"}}, false)});
  ASSERT_FALSE(settings);  // PAYPAL_MODE is not secret: its value may be shown
  EXPECT_NE(settings.error().message.find("hunter2"), std::string::npos);
}

TEST(RedactUrlTest, MasksOnlyThePassword) {
  EXPECT_EQ(redactUrl("redis://:pw@h:6379/0"), "redis://:********@h:6379/0");
  EXPECT_EQ(redactUrl("redis://h:6379/0"), "redis://h:6379/0");
  EXPECT_EQ(redactUrl("postgresql://user@h/db"), "postgresql://user@h/db");
  EXPECT_EQ(redactUrl("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
  EXPECT_EQ(redactUrl("plain"), "plain");
}

TEST(SettingsLoaderTest, ReadsPropertiesFilesAndReportsMissingOnes) {
  const std::string path = ::testing::TempDir() + "/settings_loader_test.properties";
  {
    std::ofstream out(path);
    out << "# comment\nHTTP_PORT = 9100\nRABBITMQ_EXCHANGE=events\n";
  }
  auto fileLayer = readPropertiesFile(path);
  ASSERT_TRUE(fileLayer) << fileLayer.error().message;
  EXPECT_EQ(fileLayer->values.at("HTTP_PORT"), "9100");
  EXPECT_EQ(fileLayer->values.at("RABBITMQ_EXCHANGE"), "events");

  auto missing = loadSettings(SettingSources{std::nullopt, std::string("/nonexistent/x.properties"), false});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/x.properties"), std::string::npos);
}

}  // namespace
}  // namespace ordersvc::config
