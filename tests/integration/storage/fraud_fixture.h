#pragma once

#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "app/module_list.h"
#include "backend_fixture.h"
#include "modules/fraud/sql_fraud_repository.h"
#include "platform/storage/database.h"
#include "platform/storage/migrator.h"
#include "platform/storage/sql_query.h"
#include "platform/storage/unit_of_work.h"
#include "platform/tenancy/sql_organization_repository.h"

namespace ordersvc::testing {

// A migrated database of the parameter's backend with two organizations, org_a and org_b,
// for the fraud store and the fraud assessment (fraud_rules references organizations).
class FraudBackendTest : public BackendTest {
 protected:
  static constexpr int64_t kNow = 1'800'000'000'000;
  static constexpr int64_t kMinute = 60'000;

  void SetUp() override {
    BackendTest::SetUp();
    database_ = openFreshDatabase();
    auto migrated = storage::Migrator(*database_, app::allMigrations()).migrate();
    ASSERT_TRUE(migrated) << migrated.error().message;
    storage::SqlOrganizationRepository organizations(*database_);
    for (const char* org : {"org_a", "org_b"}) {
      const domain::OrganizationDraft draft{std::string("slug-") + org[4], "Org", "CL", "CLP", "active"};
      auto created = organizations.create(org, draft, "2026-11-25T10:00:00.000Z");
      ASSERT_TRUE(created) << created.error().message;
    }
    auto connection = database_->acquire();
    ASSERT_TRUE(connection) << connection.error().message;
    connection_.emplace(std::move(*connection));
    unit_ = storage::SqlUnitOfWork::joining(*connection_);
  }

  void TearDown() override {
    unit_.reset();
    connection_.reset();
    BackendTest::TearDown();
  }

  // One text column of payment_risk_signals for a payment ("" when NULL, "<none>" without a row).
  std::string signalColumn(const std::string& org, const std::string& paymentId, const std::string& column) {
    auto rows = storage::SqlQuery(*connection_, "SELECT " + column +
                                                    " FROM payment_risk_signals WHERE organization_id = ? "
                                                    "AND payment_id = ?")
                    .arg(org)
                    .arg(paymentId)
                    .rows();
    if (rows.rowCount() == 0) return "<none>";
    return storage::textAt(rows, 0, 0);
  }

  storage::Connection& c() { return *connection_; }
  // The repository's unit: joined to the fixture's connection (autocommit, as the
  // payment path joins its own transaction).
  storage::UnitOfWork& unit() { return *unit_; }

  std::unique_ptr<storage::Database> database_;
  std::optional<storage::Connection> connection_;
  std::unique_ptr<storage::SqlUnitOfWork> unit_;
  services::SqlFraudRepository repo_;
};

}  // namespace ordersvc::testing
