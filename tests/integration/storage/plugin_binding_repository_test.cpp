#include "app/module_list.h"
#include "platform/plugins/sql_plugin_binding_repository.h"

#include <gtest/gtest.h>

#include "backend_fixture.h"
#include "platform/storage/migrator.h"
#include "platform/tenancy/sql_organization_repository.h"

namespace ordersvc::testing {
namespace {

class PluginBindingRepositoryTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    database_ = openFreshDatabase();
    ASSERT_TRUE(storage::Migrator(*database_, app::allMigrations()).migrate());
    storage::SqlOrganizationRepository organizations(*database_);
    ASSERT_TRUE(organizations.create("org_a", {"org-a", "A", "CL", "CLP", "active"}, "2026-11-25T10:00:00.000Z"));
    ASSERT_TRUE(organizations.create("org_b", {"org-b", "B", "PE", "PEN", "active"}, "2026-11-25T10:00:00.000Z"));
    repository_ = std::make_unique<storage::SqlPluginBindingRepository>(*database_);
  }

  plugins::PluginBinding binding(const std::string& org, const std::string& id) {
    plugins::PluginBinding b;
    b.organizationId = org;
    b.instanceId = id;
    b.pluginId = "stripe";
    b.kind = "payment";
    b.versionRange = "^1";
    b.publicConfigJson = R"({"account":"acct_1"})";
    b.sealedSecrets = "v1:sealed";
    return b;
  }

  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<storage::SqlPluginBindingRepository> repository_;
};

TEST_P(PluginBindingRepositoryTest, SavesReadsAndScopesByOrganization) {
  auto saved = repository_->save(binding("org_a", "stripe-main"), std::nullopt, "2026-11-25T10:00:00.000Z");
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->revision, 1);
  ASSERT_TRUE(repository_->save(binding("org_a", "stripe-eu"), std::nullopt, "2026-11-25T10:00:00.000Z"));
  ASSERT_TRUE(repository_->save(binding("org_b", "stripe-main"), std::nullopt, "2026-11-25T10:00:00.000Z"));
  auto found = repository_->find("org_a", "stripe-main");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->publicConfigJson, R"({"account":"acct_1"})");
  EXPECT_EQ(found->sealedSecrets, "v1:sealed");
  EXPECT_EQ(found->createdAt, "2026-11-25T10:00:00.000Z");
  EXPECT_EQ(repository_->listForOrganization("org_a")->size(), 2u);
  EXPECT_EQ(repository_->listForOrganization("org_b")->size(), 1u);
  EXPECT_EQ(repository_->listAll()->size(), 3u);
  EXPECT_EQ(repository_->find("org_b", "stripe-eu").error().code, ErrorCode::NotFound);
}

TEST_P(PluginBindingRepositoryTest, RevisionsGuardConcurrentEdits) {
  ASSERT_TRUE(repository_->save(binding("org_a", "s"), std::nullopt, "2026-11-25T10:00:00.000Z"));
  auto second = repository_->save(binding("org_a", "s"), 1, "2026-11-25T11:00:00.000Z");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->revision, 2);
  auto stale = repository_->save(binding("org_a", "s"), 1, "2026-11-25T12:00:00.000Z");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::Conflict);
  EXPECT_EQ(repository_->find("org_a", "s")->revision, 2);
}

TEST_P(PluginBindingRepositoryTest, UnknownOrganizationIsRejectedByTheForeignKey) {
  auto orphan = repository_->save(binding("org_nope", "s"), std::nullopt, "2026-11-25T10:00:00.000Z");
  EXPECT_FALSE(orphan);
}

TEST_P(PluginBindingRepositoryTest, RemoveDeletesOnlyThatInstance) {
  ASSERT_TRUE(repository_->save(binding("org_a", "s1"), std::nullopt, "2026-11-25T10:00:00.000Z"));
  ASSERT_TRUE(repository_->save(binding("org_a", "s2"), std::nullopt, "2026-11-25T10:00:00.000Z"));
  ASSERT_TRUE(repository_->remove("org_a", "s1"));
  EXPECT_EQ(repository_->remove("org_a", "s1").error().code, ErrorCode::NotFound);
  EXPECT_EQ(repository_->listForOrganization("org_a")->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, PluginBindingRepositoryTest, ::testing::Values("sqlite", "postgresql"), backendName);

}  // namespace
}  // namespace ordersvc::testing
