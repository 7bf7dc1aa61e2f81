// The schema history after its migrations moved next to their owners: the same
// versions, names and SQL as released (an edited released migration would stop every
// deployed database from starting), in one gap-free order.
#include "app/module_list.h"

#include <map>
#include <string>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <gtest/gtest.h>

namespace ordersvc::testing {
namespace {

std::string sha256(std::string_view text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text.data(), static_cast<unsigned>(text.size()));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

TEST(SchemaHistoryTest, ReleasedMigrationsKeepTheirVersionsNamesAndText) {
  // sha256 of the SQLite and PostgreSQL text of each release, taken from the tree
  // before the migrations moved (host/src/storage/migrations.cpp at eeafe1c).
  const std::map<int, std::pair<std::string, std::string>> released = {
      {1,
       {"676c8bdabdf550d4d13534172249bb2641d911906e6bac294f0999ee7c486a5b",
        "6d0d59c6a51523f09081c52a9e77037f0f8b81392997b4266f17063ef8ae4e94"}},
      {2,
       {"228ae77767f119c6fcad6deba26724b57dd3646ec8a63dc334cd1404f27a5360",
        "b4dc8450896fabeb1af5c83892bc21ad88e98bfa8762d902698000735739ab6b"}},
      {3,
       {"f43702ea4186e8aa2b88c04191e1a59ca69d78b8628d58c09f90529e48dcae70",
        "e43eeff74f7c3e438e0979b0c3cd2ab4a12ab5035915929e465dd3471e643dbe"}},
      {4,
       {"85570135e11e3a5bb8414d23de965ab4669d9c3842b6a8380943b4d4b98f4736",
        "85570135e11e3a5bb8414d23de965ab4669d9c3842b6a8380943b4d4b98f4736"}},
      {5,
       {"0fd44a8eb6d07c223eea81cffe8e8b5c19ecb9bca4693201246a98b25fab2021",
        "d8c4e6840480d1c62bb751b68e2f2d4a0d2fbea24b6f6c2c2979595eda282698"}},
      {6,
       {"21f04bfe83f4d90cd06e6be5fc51b956a1a64a9b9b891b0caee7360322dcf74e",
        "21f04bfe83f4d90cd06e6be5fc51b956a1a64a9b9b891b0caee7360322dcf74e"}},
      {7,
       {"2b1053f379584b81cd468724c907f3bea6e064527bc2c8ac50913975fa8b812a",
        "2b1053f379584b81cd468724c907f3bea6e064527bc2c8ac50913975fa8b812a"}},
  };
  const auto& all = app::allMigrations();
  ASSERT_GE(all.size(), released.size());
  for (const auto& [version, sums] : released) {
    const auto& migration = all.at(static_cast<std::size_t>(version - 1));
    EXPECT_EQ(migration.version, version);
    EXPECT_EQ(sha256(migration.sqlite), sums.first) << "released migration " << version << " was edited (SQLite)";
    EXPECT_EQ(sha256(migration.postgres), sums.second)
        << "released migration " << version << " was edited (PostgreSQL)";
  }
  EXPECT_EQ(std::string(all.at(0).name), "create organizations");
  EXPECT_EQ(std::string(all.at(6).name), "create fraud_rules and payment_risk_signals");
}

TEST(SchemaHistoryTest, OneOrderWithoutGapsOrRepeats) {
  EXPECT_TRUE(storage::checkMigrationOrder(app::allMigrations()));
  auto gap = app::allMigrations();
  gap.erase(gap.begin() + 2);
  const auto refused = storage::checkMigrationOrder(gap);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("version 3 belongs"), std::string::npos) << refused.error().message;
  auto twice = app::allMigrations();
  twice.insert(twice.begin() + 1, twice[1]);
  EXPECT_FALSE(storage::checkMigrationOrder(twice));
}

}  // namespace
}  // namespace ordersvc::testing
