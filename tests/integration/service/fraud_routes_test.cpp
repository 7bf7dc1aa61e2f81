// GET/PUT /api/v1/fraud-rules through the real binary on SQLite and PostgreSQL: managers
// and admins of an organization read and replace its rules with optimistic versions;
// customers and operators are refused; bad fields are named; no organization reaches
// another's rules.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "commerce_test_support.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;
using Poco::JSON::Object;

constexpr const char* kPath = "/api/v1/fraud-rules";
constexpr const char* kOrgB = "shop_b";

class FraudRoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    workDir_ = makeTempDir("ordersvc_fraud_routes");
    std::string databaseUrl;
    service_ = startService(demoServiceEnv(GetParam(), workDir_, databaseUrl), workDir_);
    port_ = service_->httpPort();
    expectData(send(port_, platformAdmin(), "POST", "/api/v1/organizations",
                    R"({"id":"shop_b","slug":"shop-b","name":"Shop B","country":"CL","default_currency":"CLP"})"),
               201, "create organization B");
  }

  Object::Ptr read(const Caller& caller) { return expectData(send(port_, caller, "GET", kPath), 200, caller.label); }

  static Object::Ptr rulesOf(const Object::Ptr& data) { return data->getObject("rules"); }

  std::string workDir_;
  std::unique_ptr<ServiceProcess> service_;
  int port_ = 0;
  const Caller managerA_ = managerOf("mia");
  const Caller managerB_ = managerOf("bea", kOrgB);
};

TEST_P(FraudRoutesTest, ManagersReadTheDefaultsThenReplaceThemVersionByVersion) {
  auto data = read(managerA_);
  EXPECT_EQ(data->getValue<int64_t>("version"), 0);
  EXPECT_TRUE(data->isNull("updated_at"));
  auto rules = rulesOf(data);
  EXPECT_TRUE(rules->getValue<bool>("enabled"));
  EXPECT_EQ(rules->getValue<std::string>("country_mismatch"), "review");
  EXPECT_EQ(rules->getObject("velocity")->getObject("customer")->getValue<int64_t>("review_above"), 5);
  EXPECT_EQ(rules->getObject("amount_thresholds")->size(), 0u);

  data = expectData(send(port_, managerA_, "PUT", kPath,
                         R"({"version":0,"rules":{"country_mismatch":"deny",)"
                         R"("amount_thresholds":{"CLP":{"review_above":500000,"deny_above":null}},)"
                         R"("velocity":{"ip":{"window_minutes":30,"review_above":15,"deny_above":40}}}})"),
                    200, "the first save");
  EXPECT_EQ(data->getValue<int64_t>("version"), 1);
  EXPECT_FALSE(data->isNull("updated_at"));
  rules = rulesOf(data);
  EXPECT_EQ(rules->getValue<std::string>("country_mismatch"), "deny");
  EXPECT_EQ(rules->getObject("amount_thresholds")->getObject("CLP")->getValue<int64_t>("review_above"), 500000);
  EXPECT_TRUE(rules->getObject("amount_thresholds")->getObject("CLP")->isNull("deny_above"));
  EXPECT_EQ(rules->getObject("velocity")->getObject("ip")->getValue<int64_t>("window_minutes"), 30);
  // Left out: kept at the default.
  EXPECT_EQ(rules->getObject("velocity")->getObject("customer")->getValue<int64_t>("review_above"), 5);
  EXPECT_EQ(rulesOf(read(managerA_))->getValue<std::string>("country_mismatch"), "deny");

  // An admin of the organization may too; the version moves on.
  const Caller admin{"admin ada@demo", bearer("ada", kDemoOrg, {"order.admin"}), "", "", true, 3};
  data = expectData(send(port_, admin, "PUT", kPath, R"({"version":1,"rules":{"enabled":false}})"), 200,
                    "the admin's save");
  EXPECT_EQ(data->getValue<int64_t>("version"), 2);
  EXPECT_FALSE(rulesOf(data)->getValue<bool>("enabled"));
  EXPECT_EQ(rulesOf(data)->getValue<std::string>("country_mismatch"), "review") << "a PUT replaces the document";
  EXPECT_EQ(read(managerA_)->getValue<int64_t>("version"), 2);
}

TEST_P(FraudRoutesTest, AStaleVersionIs409AndChangesNothing) {
  expectData(send(port_, managerA_, "PUT", kPath, R"({"version":0,"rules":{"enabled":false}})"), 200, "save");
  const std::string before = send(port_, managerA_, "GET", kPath).body;
  for (const char* body : {R"({"version":0,"rules":{}})", R"({"version":2,"rules":{}})"}) {
    const auto r = send(port_, managerA_, "PUT", kPath, body);
    EXPECT_EQ(r.status, 409) << body << ": " << r.body;
    EXPECT_EQ(errorCode(r), "CONFLICT") << r.body;
    EXPECT_NE(r.body.find("at version 1"), std::string::npos) << r.body;
  }
  EXPECT_EQ(send(port_, managerA_, "GET", kPath).body, before);
}

TEST_P(FraudRoutesTest, CustomersAndOperatorsAreRefused) {
  const std::string body = R"({"version":0,"rules":{"enabled":false}})";
  for (const Caller& caller : {customer("a1"), operatorOf("ola")}) {
    for (const char* method : {"GET", "PUT"}) {
      const auto r = send(port_, caller, method, kPath, body);
      EXPECT_EQ(r.status, 403) << method << " as " << caller.label << ": " << r.body;
      EXPECT_EQ(errorCode(r), "PERMISSION_DENIED") << r.body;
      EXPECT_EQ(r.body.find("review_above"), std::string::npos) << "the rules leaked: " << r.body;
    }
  }
  for (const Caller& caller : {guest(kDemoOrg), Caller{"nobody", "", "", "", false, 0}}) {
    const auto r = send(port_, caller, "PUT", kPath, body);
    EXPECT_EQ(r.status, 401) << caller.label << ": " << r.body;
    EXPECT_EQ(r.headers.count("www-authenticate") ? r.headers.at("www-authenticate") : "", "Bearer");
  }
  const auto after = read(managerA_);
  EXPECT_EQ(after->getValue<int64_t>("version"), 0);
  EXPECT_TRUE(rulesOf(after)->getValue<bool>("enabled"));
}

TEST_P(FraudRoutesTest, BadInputIs400NamingEachField) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {R"({"rules":{}})", {"version"}},
      {R"({"version":0})", {"rules"}},
      {R"({"version":true,"rules":{}})", {"version"}},
      {R"({"version":-1,"rules":{}})", {"version"}},
      {R"({"version":0,"rules":{},"extra":1})", {"extra"}},
      {R"({"version":0,"rules":[]})", {"rules"}},
      {R"({"version":0,"rules":{"surprise":1,"enabled":"yes"}})", {"rules.surprise", "rules.enabled"}},
      {R"({"version":0,"rules":{"velocity":{"ip":{"window_minutes":"60","review_above":1.5}}}})",
       {"rules.velocity.ip.window_minutes", "rules.velocity.ip.review_above"}},
      {R"({"version":0,"rules":{"amount_thresholds":{"clp":{},"USD":{"review_above":10,"deny_above":5}}}})",
       {"rules.amount_thresholds.clp", "rules.amount_thresholds.USD.deny_above"}},
      {R"({"version":0,"rules":{"failed_attempts":{"order":{"deny_above":false}},"country_mismatch":"block"}})",
       {"rules.failed_attempts.order.deny_above", "rules.country_mismatch"}},
  };
  for (const auto& [body, fields] : cases) {
    const auto r = send(port_, managerA_, "PUT", kPath, body);
    EXPECT_EQ(r.status, 400) << body << ": " << r.body;
    EXPECT_EQ(errorCode(r), "INVALID_ARGUMENT") << body << ": " << r.body;
    const auto named = errorFields(r);
    EXPECT_EQ(named->size(), fields.size()) << body << ": " << r.body;
    for (const auto& field : fields) {
      EXPECT_TRUE(named->has(field)) << body << ": no error for " << field << " in " << r.body;
    }
  }
  for (const char* body : {"{\"version\":0,", "[1]"}) {
    const auto r = send(port_, managerA_, "PUT", kPath, body);
    EXPECT_EQ(r.status, 400) << body << ": " << r.body;
    EXPECT_EQ(errorCode(r), "INVALID_ARGUMENT") << body << ": " << r.body;
  }
  EXPECT_EQ(read(managerA_)->getValue<int64_t>("version"), 0) << "a refused PUT saved something";
}

TEST_P(FraudRoutesTest, NoOrganizationReadsOrChangesAnothersRules) {
  expectData(
      send(port_, managerA_, "PUT", kPath, R"({"version":0,"rules":{"enabled":false,"country_mismatch":"deny"}})"), 200,
      "A saves");
  const std::string aBefore = send(port_, managerA_, "GET", kPath).body;

  // B sees its own defaults, even naming A in X-Organization-Id (its token's org_id wins).
  Caller bNamingA = managerB_;
  bNamingA.organization = kDemoOrg;
  for (const Caller& caller : {managerB_, bNamingA}) {
    const auto data = read(caller);
    EXPECT_EQ(data->getValue<int64_t>("version"), 0) << caller.label;
    EXPECT_TRUE(rulesOf(data)->getValue<bool>("enabled")) << caller.label;
  }
  // A's version means nothing in B; B's first save creates B's rules only.
  const auto stale = send(port_, bNamingA, "PUT", kPath, R"({"version":1,"rules":{"country_mismatch":"allow"}})");
  EXPECT_EQ(stale.status, 409) << stale.body;
  const auto own = expectData(
      send(port_, bNamingA, "PUT", kPath, R"({"version":0,"rules":{"country_mismatch":"allow"}})"), 200, "B saves");
  EXPECT_EQ(own->getValue<int64_t>("version"), 1);
  EXPECT_EQ(rulesOf(read(managerB_))->getValue<std::string>("country_mismatch"), "allow");
  EXPECT_EQ(send(port_, managerA_, "GET", kPath).body, aBefore) << "B's saves reached A";

  // A platform admin (no org_id) acts in the organization it names.
  Caller platformInA = platformAdmin();
  platformInA.organization = kDemoOrg;
  EXPECT_EQ(send(port_, platformInA, "GET", kPath).body, aBefore);
}

INSTANTIATE_TEST_SUITE_P(Backends, FraudRoutesTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ordersvc::testing
