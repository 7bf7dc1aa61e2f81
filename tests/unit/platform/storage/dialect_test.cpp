#include "platform/storage/dialect.h"

#include <gtest/gtest.h>

#include "platform/storage/database_url.h"

namespace ordersvc::storage {
namespace {

TEST(DialectTest, PostgresNumbersPlaceholdersOutsideQuotes) {
  auto postgres = Dialect::create(Backend::Postgres);
  EXPECT_EQ(postgres->sql("SELECT a FROM t WHERE b = ? AND c = '?' AND d = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2");
  auto sqlite = Dialect::create(Backend::Sqlite);
  EXPECT_EQ(sqlite->sql("SELECT a FROM t WHERE b = ?"), "SELECT a FROM t WHERE b = ?");
}

TEST(DialectTest, OnlyPostgresSkipsLockedRows) {
  EXPECT_EQ(Dialect::create(Backend::Postgres)->forUpdateSkipLocked(), " FOR UPDATE SKIP LOCKED");
  EXPECT_EQ(Dialect::create(Backend::Sqlite)->forUpdateSkipLocked(), "");
}

TEST(DatabaseUrlTest, PostgresUrlBecomesLibpqKeywords) {
  auto url = DatabaseUrl::parse("postgresql://orders%40x:p%27ss@db.local:6543/orders?sslmode=require", 7);
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->backend, Backend::Postgres);
  EXPECT_EQ(url->connector, "PostgreSQL");
  EXPECT_NE(url->connectionString.find("host='db.local'"), std::string::npos) << url->connectionString;
  EXPECT_NE(url->connectionString.find("port=6543"), std::string::npos);
  EXPECT_NE(url->connectionString.find("dbname='orders'"), std::string::npos);
  EXPECT_NE(url->connectionString.find("user='orders@x'"), std::string::npos);
  EXPECT_NE(url->connectionString.find("password='p\\'ss'"), std::string::npos) << url->connectionString;
  EXPECT_NE(url->connectionString.find("connect_timeout=7"), std::string::npos);
  EXPECT_NE(url->connectionString.find("sslmode='require'"), std::string::npos);
  EXPECT_EQ(url->displayUrl.find("p%27ss"), std::string::npos);
}

TEST(DatabaseUrlTest, SqliteUrlIsAPath) {
  auto absolute = DatabaseUrl::parse("sqlite:///var/lib/o.db", 5);
  ASSERT_TRUE(absolute);
  EXPECT_EQ(absolute->sqlitePath, "/var/lib/o.db");
  auto relative = DatabaseUrl::parse("sqlite://data/o.db", 5);
  ASSERT_TRUE(relative);
  EXPECT_EQ(relative->sqlitePath, "data/o.db");
}

TEST(DatabaseUrlTest, RejectsWhatCannotWork) {
  EXPECT_FALSE(DatabaseUrl::parse("postgresql://u:p@h:5432/", 5));
  EXPECT_FALSE(DatabaseUrl::parse("postgresql://u:p@h/db?foo=bar", 5));
  EXPECT_FALSE(DatabaseUrl::parse("mysql://h/db", 5));
  EXPECT_FALSE(DatabaseUrl::parse("sqlite://", 5));
}

}  // namespace
}  // namespace ordersvc::storage
