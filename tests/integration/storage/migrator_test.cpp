#include "platform/storage/migrator.h"
#include "app/module_list.h"

#include <thread>

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include "backend_fixture.h"

namespace ordersvc::testing {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

int countRows(storage::Database& database, const std::string& sql) {
  auto connection = database.acquire();
  if (!connection) throw std::runtime_error(connection.error().message);
  int count = -1;
  connection->session() << sql, into(count), now;
  return count;
}

class MigratorTest : public BackendTest {};

TEST_P(MigratorTest, AppliesEveryMigrationOnceAndIsSafeToRerun) {
  auto database = openFreshDatabase();
  storage::Migrator migrator(*database, app::allMigrations());
  auto before = migrator.status();
  ASSERT_TRUE(before);
  EXPECT_EQ(before->current, 0);
  EXPECT_EQ(before->pending, static_cast<int>(app::allMigrations().size()));

  auto first = migrator.migrate();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->applied.size(), app::allMigrations().size());
  auto second = migrator.migrate();
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(second->current, app::allMigrations().back().version);

  auto after = migrator.status();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->pending, 0);
  EXPECT_EQ(countRows(*database, "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int>(app::allMigrations().size()));
  EXPECT_EQ(countRows(*database, "SELECT COUNT(*) FROM organizations"), 0);
}

TEST_P(MigratorTest, ConcurrentRunsFromSeparatePoolsApplyEachVersionExactlyOnce) {
  auto setup = openFreshDatabase();
  std::vector<std::unique_ptr<storage::Database>> databases;
  for (int i = 0; i < 4; ++i) databases.push_back(openSameDatabase(1));
  std::vector<std::thread> threads;
  std::vector<std::string> errors(databases.size());
  std::vector<std::size_t> appliedCounts(databases.size());
  for (std::size_t i = 0; i < databases.size(); ++i) {
    threads.emplace_back([&, i] {
      auto result = storage::Migrator(*databases[i], app::allMigrations()).migrate();
      if (result) {
        appliedCounts[i] = result->applied.size();
      } else {
        errors[i] = result.error().message;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::size_t totalApplied = 0;
  for (std::size_t i = 0; i < databases.size(); ++i) {
    EXPECT_EQ(errors[i], "") << "run " << i;
    totalApplied += appliedCounts[i];
  }
  EXPECT_EQ(totalApplied, app::allMigrations().size());
  EXPECT_EQ(countRows(*setup, "SELECT COUNT(*) FROM schema_migrations"), static_cast<int>(app::allMigrations().size()));
}

TEST_P(MigratorTest, AFailingMigrationLeavesThePreviousVersion) {
  auto database = openFreshDatabase();
  static const std::vector<storage::Migration> migrations = {
      {1, "good", "CREATE TABLE a (id INTEGER PRIMARY KEY)", "CREATE TABLE a (id INTEGER PRIMARY KEY)"},
      {2, "bad", "CREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1)",
       "CREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1)"},
  };
  auto result = storage::Migrator(*database, migrations).migrate();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::Internal);
  auto status = storage::Migrator(*database, migrations).status();
  ASSERT_TRUE(status);
  EXPECT_EQ(status->current, 1);
  EXPECT_EQ(status->pending, 1);
  // Table b was created inside the failed migration's transaction and rolled back with it.
  EXPECT_EQ(countRows(*database, "SELECT COUNT(*) FROM a"), 0);
  EXPECT_ANY_THROW(countRows(*database, "SELECT COUNT(*) FROM b"));
}

TEST_P(MigratorTest, AnEditedReleasedMigrationStopsStartUp) {
  auto database = openFreshDatabase();
  static const std::vector<storage::Migration> original = {
      {1, "one", "CREATE TABLE a (id INTEGER)", "CREATE TABLE a (id INTEGER)"}};
  static const std::vector<storage::Migration> edited = {
      {1, "one", "CREATE TABLE a (id BIGINT)", "CREATE TABLE a (id BIGINT)"}};
  ASSERT_TRUE(storage::Migrator(*database, original).migrate());
  auto result = storage::Migrator(*database, edited).migrate();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("differs"), std::string::npos) << result.error().message;
}

TEST_P(MigratorTest, PoolNeverHandsOutMoreThanItsCapacityAndReusesReturnedConnections) {
  auto database = openFreshDatabase(2, std::chrono::milliseconds(200));
  {
    auto a = database->acquire();
    auto b = database->acquire();
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_EQ(database->stats().inUse, 2);
    auto c = database->acquire();
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, ErrorCode::Unavailable);
    EXPECT_NE(c.error().message.find("exhausted"), std::string::npos);
  }
  // Returned connections are reused.
  EXPECT_TRUE(database->acquire());
  EXPECT_EQ(database->stats().inUse, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigratorTest, ::testing::Values("sqlite", "postgresql"), backendName);

}  // namespace
}  // namespace ordersvc::testing
