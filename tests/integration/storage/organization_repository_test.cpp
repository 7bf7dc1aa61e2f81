#include "app/module_list.h"
#include "platform/tenancy/sql_organization_repository.h"

#include <gtest/gtest.h>

#include "backend_fixture.h"
#include "platform/storage/migrator.h"

namespace ordersvc::testing {
namespace {

class OrganizationRepositoryTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    database_ = openFreshDatabase();
    auto migrated = storage::Migrator(*database_, app::allMigrations()).migrate();
    ASSERT_TRUE(migrated) << migrated.error().message;
    repository_ = std::make_unique<storage::SqlOrganizationRepository>(*database_);
  }

  domain::OrganizationDraft draft(const std::string& slug) { return {slug, "Org " + slug, "CL", "CLP", "active"}; }

  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<storage::SqlOrganizationRepository> repository_;
};

TEST_P(OrganizationRepositoryTest, CreatedOrganizationReadsBackIdentically) {
  auto created = repository_->create("org_001", draft("acme"), "2026-11-25T10:00:00.123Z");
  ASSERT_TRUE(created) << created.error().message;
  auto found = repository_->findById("org_001");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->slug, "acme");
  EXPECT_EQ(found->name, "Org acme");
  EXPECT_EQ(found->country, "CL");
  EXPECT_EQ(found->defaultCurrency, "CLP");
  EXPECT_EQ(found->status, "active");
  EXPECT_EQ(found->createdAt, "2026-11-25T10:00:00.123Z");
  EXPECT_EQ(found->updatedAt, "2026-11-25T10:00:00.123Z");
  auto bySlug = repository_->findBySlug("acme");
  ASSERT_TRUE(bySlug);
  EXPECT_EQ(bySlug->id, "org_001");
}

TEST_P(OrganizationRepositoryTest, MissingOrganizationIsNotFound) {
  auto found = repository_->findById("org_missing");
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, ErrorCode::NotFound);
  EXPECT_EQ(repository_->findBySlug("nope").error().code, ErrorCode::NotFound);
}

TEST_P(OrganizationRepositoryTest, DuplicateIdOrSlugIsAConflict) {
  ASSERT_TRUE(repository_->create("org_001", draft("acme"), "2026-11-25T10:00:00.000Z"));
  auto sameSlug = repository_->create("org_002", draft("acme"), "2026-11-25T10:00:00.000Z");
  ASSERT_FALSE(sameSlug);
  EXPECT_EQ(sameSlug.error().code, ErrorCode::Conflict);
  auto sameId = repository_->create("org_001", draft("other"), "2026-11-25T10:00:00.000Z");
  ASSERT_FALSE(sameId);
  EXPECT_EQ(sameId.error().code, ErrorCode::Conflict);
  // Nothing half-written: the failed inserts left no rows behind.
  auto all = repository_->list(std::nullopt, 10);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST_P(OrganizationRepositoryTest, ListPagesByCursorInIdOrder) {
  for (const char* id : {"org_c", "org_a", "org_e", "org_b", "org_d"}) {
    ASSERT_TRUE(repository_->create(id, draft(std::string("s-") + id[4]), "2026-11-25T10:00:00.000Z"));
  }
  auto first = repository_->list(std::nullopt, 2);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, "org_a");
  EXPECT_EQ((*first)[1].id, "org_b");
  auto second = repository_->list(first->back().id, 2);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].id, "org_c");
  auto last = repository_->list(std::string("org_d"), 2);
  ASSERT_TRUE(last);
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].id, "org_e");
}

TEST_P(OrganizationRepositoryTest, UpdateChangesFieldsAndTimestamp) {
  ASSERT_TRUE(repository_->create("org_001", draft("acme"), "2026-11-25T10:00:00.000Z"));
  ASSERT_TRUE(repository_->create("org_002", draft("beta"), "2026-11-25T10:00:00.000Z"));
  auto changed =
      repository_->update("org_001", {"acme-pe", "Acme Peru", "PE", "PEN", "suspended"}, "2026-11-26T08:30:00.500Z");
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->slug, "acme-pe");
  EXPECT_EQ(changed->country, "PE");
  EXPECT_EQ(changed->status, "suspended");
  EXPECT_EQ(changed->createdAt, "2026-11-25T10:00:00.000Z");
  EXPECT_EQ(changed->updatedAt, "2026-11-26T08:30:00.500Z");
  EXPECT_EQ(repository_->update("org_404", draft("x1"), "2026-11-26T08:30:00.500Z").error().code, ErrorCode::NotFound);
  EXPECT_EQ(repository_->update("org_002", draft("acme-pe"), "2026-11-26T08:30:00.500Z").error().code,
            ErrorCode::Conflict);
}

TEST_P(OrganizationRepositoryTest, DatabaseRejectsInvalidStatusEvenIfCallerSkipsValidation) {
  auto bad = repository_->create("org_x", {"x-1", "X", "CL", "CLP", "deleted"}, "2026-11-25T10:00:00.000Z");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::Internal);
}

INSTANTIATE_TEST_SUITE_P(Backends, OrganizationRepositoryTest, ::testing::Values("sqlite", "postgresql"), backendName);

}  // namespace
}  // namespace ordersvc::testing
