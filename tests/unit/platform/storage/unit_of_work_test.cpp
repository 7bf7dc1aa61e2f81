// The UnitOfWork repository ports take, on a real SQLite file: after-commit work runs
// only after a commit, a unit that is not committed leaves nothing behind, and rows are
// read by column name whatever the SELECT order.
#include "platform/storage/unit_of_work.h"

#include <filesystem>

#include <gtest/gtest.h>

namespace ordersvc::testing {
namespace {

class UnitOfWorkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ordersvc-uow-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "-" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    std::filesystem::create_directories(dir_);
    storage::DatabaseOptions options;
    options.poolSize = 2;
    options.maxOverflow = 0;
    options.acquireTimeout = std::chrono::milliseconds(200);
    database_ = std::make_unique<storage::Database>(
        *storage::DatabaseUrl::parse("sqlite://" + (dir_ / "uow.db").string(), 5), options);
    auto c = database_->acquire();
    ASSERT_TRUE(c);
    storage::SqlQuery(*c, "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT, size BIGINT)").exec();
    units_ = std::make_unique<storage::SqlUnitsOfWork>(*database_);
  }
  void TearDown() override {
    database_.reset();
    std::filesystem::remove_all(dir_);
  }

  int64_t count() {
    auto c = database_->acquire();
    auto rows = storage::SqlQuery(*c, "SELECT COUNT(*) AS n FROM notes").rows();
    return storage::Row(rows, 0).integer("n");
  }

  std::unique_ptr<storage::UnitOfWork> begin() {
    auto unit = units_->begin();
    EXPECT_TRUE(unit) << unit.error().message;
    return std::move(*unit);
  }
  static storage::Connection& sql(const std::unique_ptr<storage::UnitOfWork>& unit) {
    return storage::sqlConnectionOf(*unit);
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<storage::SqlUnitsOfWork> units_;
};

TEST_F(UnitOfWorkTest, AfterCommitWorkRunsOnlyOnceTheChangeIsVisible) {
  std::vector<std::string> ran;
  {
    auto unit = begin();
    storage::SqlQuery(sql(unit), "INSERT INTO notes (id, body, size) VALUES ('n1', 'hello', 5)").exec();
    unit->afterCommit([&] { ran.push_back("erase cache; seen " + std::to_string(count())); });
    unit->afterCommit([&] { ran.push_back("wake relay"); });
    EXPECT_TRUE(ran.empty());
    ASSERT_TRUE(unit->commit());
    const auto twice = unit->commit();
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, ErrorCode::Internal);
  }
  EXPECT_EQ(ran, (std::vector<std::string>{"erase cache; seen 1", "wake relay"}));
  EXPECT_EQ(count(), 1);
}

TEST_F(UnitOfWorkTest, AUnitNotCommittedLeavesNothingAndRunsNothing) {
  bool ran = false;
  {
    auto unit = begin();
    storage::SqlQuery(sql(unit), "INSERT INTO notes (id, body, size) VALUES ('n1', 'hello', 5)").exec();
    unit->afterCommit([&] { ran = true; });
  }
  EXPECT_FALSE(ran);
  EXPECT_EQ(count(), 0);
  // The connection went back to the pool usable, with no transaction left open on it
  // (SQLite would refuse the next writer if one were).
  auto next = begin();
  storage::SqlQuery(sql(next), "INSERT INTO notes (id, body, size) VALUES ('n2', 'again', 5)").exec();
  ASSERT_TRUE(next->commit());
  EXPECT_EQ(count(), 1);
}

TEST_F(UnitOfWorkTest, AnExhaustedPoolIsUnavailableNotAWait) {
  auto first = database_->acquire();
  auto second = database_->acquire();
  ASSERT_TRUE(first && second);
  const auto third = units_->begin();
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::Unavailable);
}

TEST_F(UnitOfWorkTest, RowsAreReadByColumnName) {
  {
    auto unit = begin();
    storage::SqlQuery(sql(unit), "INSERT INTO notes (id, body, size) VALUES ('n1', 'hello', 5), ('n2', NULL, NULL)")
        .exec();
    ASSERT_TRUE(unit->commit());
  }
  auto c = database_->acquire();
  auto result = storage::SqlQuery(*c, "SELECT size, body, id FROM notes ORDER BY id").rows();
  const auto rows = storage::rowsOf(result);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text("id"), "n1");
  EXPECT_EQ(rows[0].text("body"), "hello");
  EXPECT_EQ(rows[0].integer("size"), 5);
  EXPECT_TRUE(rows[0].boolean("size"));
  EXPECT_EQ(rows[1].optionalText("body"), std::nullopt);
  EXPECT_EQ(rows[1].optionalInteger("size"), std::nullopt);
  EXPECT_EQ(rows[1].text("body"), "");
  EXPECT_THROW((void)rows[0].text("missing"), std::out_of_range);
}

TEST_F(UnitOfWorkTest, AJoinedUnitWritesInTheOwnersTransactionAndLeavesTheCommitToIt) {
  auto c = database_->acquire();
  ASSERT_TRUE(c);
  {
    storage::Transaction owner(*c);
    auto joined = storage::SqlUnitOfWork::joining(*c);
    storage::SqlQuery(joined->connection(), "INSERT INTO notes (id, body, size) VALUES ('n1', 'joined', 1)").exec();
    const auto refused = joined->commit();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Internal);
    EXPECT_THROW(joined->afterCommit([] {}), std::logic_error);
    // The owner rolls back (destroyed uncommitted): the joined write goes with it.
  }
  auto other = database_->acquire();
  auto rows = storage::SqlQuery(*other, "SELECT COUNT(*) AS n FROM notes").rows();
  EXPECT_EQ(storage::Row(rows, 0).integer("n"), 0);
}

TEST_F(UnitOfWorkTest, ASqlRepositoryRefusesAUnitThatIsNotSql) {
  struct NotSql final : storage::UnitOfWork {
    void afterCommit(std::function<void()>) override {}
    Status commit() override { return Status::ok(); }
    Error errorOf(const std::exception& e, const std::string&) override { return Error::internal(e.what()); }
  } fake;
  EXPECT_THROW((void)storage::sqlConnectionOf(fake), std::logic_error);
}

}  // namespace
}  // namespace ordersvc::testing
