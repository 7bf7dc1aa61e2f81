// A capability added as a module: its own route, job and migration registered through
// the Module contract, with no other module touched. The route is served through the
// RouteTable's policies (caller resolution, rate limit), the migration is applied by the
// real Migrator on a SQLite file, and the job runs in the job round.
#include "platform/modules/module.h"

#include <atomic>
#include <filesystem>

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include "app/module_list.h"
#include "platform/http/rate_limiter.h"
#include "platform/jobs/job_runner.h"
#include "platform/storage/migrator.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::testing {
namespace {

constexpr std::string_view kStockAlertsSql = R"sql(
CREATE TABLE stock_alerts (
  organization_id TEXT NOT NULL,
  variant_id TEXT NOT NULL,
  PRIMARY KEY (organization_id, variant_id)
)
)sql";

// What a new capability's folder would hold: a module registering one of each.
class StockAlertsModule final : public platform::Module {
 public:
  std::string_view name() const override { return "stock_alerts"; }
  void registerWith(platform::ModuleRegistrar& registrar) override {
    const int next = static_cast<int>(app::allMigrations().size()) + 1;
    registrar.addMigrations({{next, "create stock_alerts", kStockAlertsSql, kStockAlertsSql}});
    registrar.addRoutes({{"GET",
                          "/api/v1/stock-alerts",
                          api::Audience::Shoppers,
                          {},
                          api::kNoPolicy,
                          [](const services::Actor& actor, const api::Request&) {
                            Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
                            data->set("organization_id", actor.organizationId);
                            data->set("guest", actor.isGuest());
                            return api::successResponse(data);
                          }}},
                        api::kRateLimited);
    registrar.addJob({"stock-alert-scan", [this](int batch) -> Result<int> {
                        lastBatch = batch;
                        return ++runs;
                      }});
  }
  std::atomic<int> runs{0};
  int lastBatch = 0;
};

class ModuleRegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ordersvc-module-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  api::Response call(const api::Router& router, std::map<std::string, std::string> headers) {
    auto match = router.match("GET", "/api/v1/stock-alerts");
    EXPECT_EQ(match.kind, api::Router::Match::Kind::Found);
    api::Request request;
    request.method = "GET";
    request.path = "/api/v1/stock-alerts";
    request.remoteAddress = "127.0.0.1";
    request.headers = std::move(headers);
    return (*match.handler)(request);
  }

  std::filesystem::path dir_;
};

TEST_F(ModuleRegistrationTest, ARouteAJobAndAMigrationFromOneModule) {
  StockAlertsModule module;
  platform::ModuleRegistrar registrar;
  registrar.addMigrations(app::allMigrations());
  module.registerWith(registrar);

  // The migration: applied after the released history, by the real Migrator.
  auto url = storage::DatabaseUrl::parse("sqlite://" + (dir_ / "test.db").string(), 5);
  ASSERT_TRUE(url) << url.error().message;
  storage::Database database(*url, storage::DatabaseOptions{});
  ASSERT_TRUE(storage::checkMigrationOrder(registrar.migrations()));
  auto migrated = storage::Migrator(database, registrar.migrations()).migrate();
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(migrated->current, static_cast<int>(app::allMigrations().size()) + 1);
  {
    auto connection = database.acquire();
    ASSERT_TRUE(connection);
    EXPECT_EQ(storage::SqlQuery(*connection, "INSERT INTO stock_alerts (organization_id, variant_id) VALUES (?, ?)")
                  .arg("org_1")
                  .arg("v_mug")
                  .exec(),
              1u);
  }

  // The route: one row, served with its policies (a guest must name the organization;
  // the module's rate limit answers 429 once the burst is spent).
  ASSERT_EQ(registrar.routes().rows().size(), 1u);
  EXPECT_EQ(registrar.routes().rows()[0].policies, api::kRateLimited);
  api::Authenticator authenticator("a-test-secret-of-at-least-32-bytes!!", "ordersvc");
  api::InProcessRateLimiter limiter;
  api::Router router;
  registrar.routes().installInto(
      router, api::RoutePolicies{authenticator, database, limiter, api::RateLimits{{60, 2}, {600, 100}}});
  EXPECT_EQ(call(router, {}).status, 400);  // no organization named: not a valid guest
  const auto served = call(router, {{"x-organization-id", "org_1"}});
  EXPECT_EQ(served.status, 200);
  EXPECT_NE(served.body.find("\"organization_id\":\"org_1\""), std::string::npos) << served.body;
  EXPECT_EQ(call(router, {{"x-organization-id", "org_1"}}).status, 429);

  // The job: in the round, with the batch size the runner gives.
  platform::runJobsOnce(registrar.jobs(), 50);
  platform::runJobsOnce(registrar.jobs(), 50);
  EXPECT_EQ(module.runs.load(), 2);
  EXPECT_EQ(module.lastBatch, 50);
}

TEST_F(ModuleRegistrationTest, APermissionRowRefusesTheWrongRole) {
  platform::ModuleRegistrar registrar;
  registrar.addRoutes(
      {{"GET", "/api/v1/stock-alerts", api::Audience::Permitted, api::Permission::ManageCatalog, api::kNoPolicy,
        [](const services::Actor&, const api::Request&) { return api::successResponse(Poco::Dynamic::Var("ok")); }}});
  auto url = storage::DatabaseUrl::parse("sqlite://" + (dir_ / "test.db").string(), 5);
  ASSERT_TRUE(url);
  storage::Database database(*url, storage::DatabaseOptions{});
  api::Authenticator authenticator("a-test-secret-of-at-least-32-bytes!!", "ordersvc");
  api::InProcessRateLimiter limiter;
  api::Router router;
  registrar.routes().installInto(router, api::RoutePolicies{authenticator, database, limiter, {}});
  api::Principal customer{"alice", "org_1", {"order.customer"}};
  api::Principal manager{"mia", "org_1", {"order.manager"}};
  const auto bearer = [&](const api::Principal& p) {
    return "Bearer " + authenticator.issue(p, std::chrono::minutes(5));
  };
  EXPECT_EQ(call(router, {}).status, 401);
  EXPECT_EQ(call(router, {{"authorization", bearer(customer)}}).status, 403);
  EXPECT_EQ(call(router, {{"authorization", bearer(manager)}}).status, 200);
}

}  // namespace
}  // namespace ordersvc::testing
