// The plugin platform through the real binary: admin API, per-organization bindings
// with sealed secrets, calls through the ABI, hot reload, restart.
#include <thread>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "platform/http/authenticator.h"
#include "platform/storage/database.h"
#include "service_process.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using Poco::JSON::Object;

constexpr const char* kJwtSecret = "test-secret-test-secret-test-secret-0123456789";
constexpr const char* kMasterKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
}

std::string token(const std::vector<std::string>& roles, const std::string& org = "") {
  api::Principal principal{"test-user", org, roles};
  return "Bearer " + api::Authenticator(kJwtSecret, "").issue(principal, std::chrono::hours(1));
}

std::string fixture(const std::string& relative) {
  return std::string(ORDERSVC_TEST_PLUGINS_DIR) + "/" + relative;
}

class PluginApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    pluginsDir_ = makeTempDir("ordersvc_api_plugins");
    Poco::File(pluginsDir_ + "echo").createDirectories();
    Poco::File(fixture("two-versions/echo/1.0.0")).copyTo(pluginsDir_ + "echo");
    Poco::File(pluginsDir_ + "bad-magic").createDirectories();
    Poco::File(fixture("bad-magic/bad-magic/1.0.0")).copyTo(pluginsDir_ + "bad-magic");
    workDir_ = makeTempDir("ordersvc_api_work");
    env_ = {{"PLUGINS_DIR", pluginsDir_}, {"JWT_SECRET", kJwtSecret}, {"ORDERSVC_MASTER_KEY", kMasterKey}};
    if (GetParam() == "postgresql") {
      databaseUrl_ = createPostgresDatabase("ordersvc_plugins_api");
      env_["DATABASE_URL"] = databaseUrl_;
    } else {
      databaseUrl_ = "sqlite://" + workDir_ + "data/ordersvc.db";
    }
  }

  std::unique_ptr<ServiceProcess> start() {
    ServiceProcess::Options options;
    options.env = env_;
    options.workDir = workDir_;
    return std::make_unique<ServiceProcess>(options);
  }

  HttpResult call(int port, const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& auth = token({"order.admin"})) {
    return httpRequest(port, method, path, body, {{"Authorization", auth}, {"Content-Type", "application/json"}});
  }

  // Reads one column of the stored binding straight from the database.
  std::string storedColumn(const std::string& column) {
    auto url = storage::DatabaseUrl::parse(databaseUrl_, 5);
    storage::registerDatabaseConnectors();
    Poco::Data::Session session(url->connector, url->connectionString);
    Poco::Data::Statement select(session);
    select << "SELECT " + column + " FROM plugin_bindings WHERE instance_id = 'tax-main'";
    select.execute();
    Poco::Data::RecordSet rows(select);
    return rows.rowCount() == 0 ? std::string("<no row>") : rows.value(0, 0).convert<std::string>();
  }

  std::string pluginsDir_;
  std::string workDir_;
  std::string databaseUrl_;
  std::map<std::string, std::string> env_;
};

TEST_P(PluginApiTest, AdminListsLoadedAndRefusedPluginsAndOthersCannot) {
  auto service = start();
  const int port = service->httpPort();
  const auto listed = call(port, "GET", "/api/v1/plugins");
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto plugins = json(listed.body)->getObject("data")->getArray("plugins");
  ASSERT_EQ(plugins->size(), 2u) << listed.body;
  bool sawLoaded = false, sawRefused = false;
  for (std::size_t i = 0; i < plugins->size(); ++i) {
    auto p = plugins->getObject(i);
    if (p->getValue<std::string>("id") == "echo") {
      sawLoaded = p->getValue<std::string>("state") == "loaded";
    } else {
      sawRefused = p->getValue<std::string>("state") == "refused" &&
                   p->getValue<std::string>("reason").find("bad magic") != std::string::npos;
    }
  }
  EXPECT_TRUE(sawLoaded);
  EXPECT_TRUE(sawRefused) << listed.body;
  EXPECT_EQ(httpGet(port, "/api/v1/plugins").status, 401);
  EXPECT_EQ(call(port, "GET", "/api/v1/plugins", "", token({"order.operator"})).status, 403);
  EXPECT_EQ(call(port, "GET", "/api/v1/plugins", "", "Bearer not.a.jwt").status, 401);
  const std::string otherSecret = "Bearer " + api::Authenticator("another-secret-another-secret-0123456789", "")
                                                  .issue({"x", "", {"order.admin"}}, std::chrono::hours(1));
  EXPECT_EQ(call(port, "GET", "/api/v1/plugins", "", otherSecret).status, 401);
  EXPECT_EQ(httpGet(port, "/health/ready").status, 200);  // a refused plugin does not stop the host
}

TEST_P(PluginApiTest, OrganizationBindsAPluginWithSealedSecretsAndCallsIt) {
  auto service = start();
  const int port = service->httpPort();
  const auto created = call(port, "POST", "/api/v1/organizations",
                            R"({"id":"org_a","slug":"org-a","name":"Org A","country":"cl","default_currency":"clp"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json(created.body)->getObject("data")->getValue<std::string>("country"), "CL");

  // The plugin's own validation decides; its errors come back as a 422 with details.
  const auto rejected = call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
                             R"({"plugin_id":"echo","version_range":"^1","config":{"reject":true}})");
  ASSERT_EQ(rejected.status, 422) << rejected.body;
  auto details = json(rejected.body)->getObject("error")->getArray("details");
  ASSERT_TRUE(details);
  EXPECT_EQ(details->getObject(0)->getValue<std::string>("path"), "/reject");
  // The host checks the plugin's declared schema itself: echo's validate_config would
  // accept a numeric api_key, its schema says string.
  const auto wrongType = call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
                              R"({"plugin_id":"echo","version_range":"^1","config":{"api_key":5}})");
  ASSERT_EQ(wrongType.status, 422) << wrongType.body;
  auto schemaErrors = json(wrongType.body)->getObject("error")->getArray("details");
  ASSERT_TRUE(schemaErrors);
  EXPECT_EQ(schemaErrors->getObject(0)->getValue<std::string>("path"), "/api_key") << wrongType.body;
  EXPECT_EQ(call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
                 R"({"plugin_id":"echo","version_range":"^7","config":{}})")
                .status,
            422);
  EXPECT_EQ(
      call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-main", R"({"plugin_id":"nope","config":{}})").status,
      422);
  EXPECT_EQ(
      call(port, "PUT", "/api/v1/organizations/org_zz/plugins/tax-main", R"({"plugin_id":"echo","config":{}})").status,
      404);

  const auto put =
      call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
           R"({"plugin_id":"echo","version_range":"^1","config":{"api_key":"sk_secret_123","region":"RM"}})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto binding = json(put.body)->getObject("data");
  EXPECT_EQ(binding->getObject("config")->getValue<std::string>("api_key"), "********");
  EXPECT_EQ(binding->getObject("config")->getValue<std::string>("region"), "RM");
  EXPECT_EQ(binding->getObject("status")->getValue<std::string>("state"), "active");
  EXPECT_EQ(binding->getObject("status")->getValue<std::string>("version"), "1.0.0");
  // At rest the secret exists only sealed.
  EXPECT_EQ(storedColumn("public_config").find("sk_secret_123"), std::string::npos);
  EXPECT_EQ(storedColumn("sealed_secrets").find("sk_secret_123"), std::string::npos);
  EXPECT_EQ(storedColumn("sealed_secrets").rfind("v1:", 0), 0u);

  auto invoke = [&]() {
    return call(port, "POST", "/api/v1/organizations/org_a/plugins/tax-main/invoke",
                R"({"operation":"tax.calculate","request":{"lines":[]}})");
  };
  auto invoked = invoke();
  ASSERT_EQ(invoked.status, 200) << invoked.body;
  auto result = json(invoked.body)->getObject("data");
  EXPECT_EQ(result->getValue<std::string>("version"), "1.0.0");
  EXPECT_EQ(result->getObject("result")->getObject("config")->getValue<std::string>("api_key"), "sk_secret_123");
  EXPECT_EQ(result->getObject("result")->getValue<std::string>("organization_id"), "org_a");

  // Sending the mask back keeps the stored secret.
  ASSERT_EQ(call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
                 R"({"plugin_id":"echo","config":{"api_key":"********","region":"V"}})")
                .status,
            200);
  auto again = json(invoke().body)->getObject("data")->getObject("result")->getObject("config");
  EXPECT_EQ(again->getValue<std::string>("api_key"), "sk_secret_123");
  EXPECT_EQ(again->getValue<std::string>("region"), "V");

  // Another organization's admin cannot see or use it.
  const std::string otherOrg = token({"order.admin"}, "org_b");
  EXPECT_EQ(call(port, "GET", "/api/v1/organizations/org_a/plugins", "", otherOrg).status, 404);
  EXPECT_EQ(call(port, "POST", "/api/v1/organizations/org_a/plugins/tax-main/invoke",
                 R"({"operation":"tax.calculate","request":{}})", otherOrg)
                .status,
            404);
  // A tenant admin may not redirect plugin traffic; a platform admin may (sandboxes, tests).
  EXPECT_EQ(call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
                 R"({"plugin_id":"echo","config":{},"base_url_override":"http://169.254.169.254"})",
                 token({"order.admin"}, "org_a"))
                .status,
            403);
  EXPECT_EQ(call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-other",
                 R"({"plugin_id":"echo","config":{},"base_url_override":"ftp://x"})")
                .status,
            400);
  const auto own = call(port, "GET", "/api/v1/organizations/org_a/plugins", "", token({"order.admin"}, "org_a"));
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(json(own.body)->getArray("data")->size(), 1u);

  service->signal(SIGTERM);
  ASSERT_EQ(service->waitExit(std::chrono::seconds(30)), 0);
  EXPECT_EQ(service->stdoutText().find("sk_secret_123"), std::string::npos);

  // After a restart the instance comes back with its secret (same master key).
  auto restarted = start();
  auto afterRestart = call(restarted->httpPort(), "POST", "/api/v1/organizations/org_a/plugins/tax-main/invoke",
                           R"({"operation":"tax.calculate","request":{}})");
  ASSERT_EQ(afterRestart.status, 200) << afterRestart.body;
  EXPECT_EQ(json(afterRestart.body)
                ->getObject("data")
                ->getObject("result")
                ->getObject("config")
                ->getValue<std::string>("api_key"),
            "sk_secret_123");
  // DELETE removes it.
  EXPECT_EQ(call(restarted->httpPort(), "DELETE", "/api/v1/organizations/org_a/plugins/tax-main").status, 200);
  EXPECT_EQ(call(restarted->httpPort(), "GET", "/api/v1/organizations/org_a/plugins/tax-main").status, 404);
}

TEST_P(PluginApiTest, ReloadLoadsANewVersionAndMovesInstancesWithoutRestart) {
  auto service = start();
  const int port = service->httpPort();
  ASSERT_EQ(call(port, "POST", "/api/v1/organizations",
                 R"({"id":"org_a","slug":"org-a","name":"Org A","country":"CL","default_currency":"CLP"})")
                .status,
            201);
  ASSERT_EQ(call(port, "POST", "/api/v1/organizations",
                 R"({"id":"org_b","slug":"org-b","name":"Org B","country":"PE","default_currency":"PEN"})")
                .status,
            201);
  ASSERT_EQ(call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
                 R"({"plugin_id":"echo","version_range":"*","config":{}})")
                .status,
            200);
  ASSERT_EQ(call(port, "PUT", "/api/v1/organizations/org_b/plugins/tax-main",
                 R"({"plugin_id":"echo","version_range":"1.x","config":{}})")
                .status,
            200);
  auto versionFor = [&](const std::string& org) {
    auto r = call(port, "POST", "/api/v1/organizations/" + org + "/plugins/tax-main/invoke",
                  R"({"operation":"tax.calculate","request":{}})");
    return r.status == 200 ? json(r.body)->getObject("data")->getValue<std::string>("version") : "error " + r.body;
  };
  EXPECT_EQ(versionFor("org_a"), "1.0.0");

  Poco::File(fixture("two-versions/echo/2.0.0")).copyTo(pluginsDir_ + "echo");
  const auto reloaded = call(port, "POST", "/api/v1/plugins/reload");
  ASSERT_EQ(reloaded.status, 200) << reloaded.body;
  auto data = json(reloaded.body)->getObject("data");
  EXPECT_EQ(data->getArray("loaded")->size(), 1u);
  EXPECT_EQ(data->getArray("loaded")->get(0).toString(), "echo@2.0.0");
  EXPECT_EQ(data->getValue<int>("instances_moved"), 1);
  // org_a follows "*" to 2.0.0; org_b stays pinned to 1.x: both served at once.
  EXPECT_EQ(versionFor("org_a"), "2.0.0");
  EXPECT_EQ(versionFor("org_b"), "1.0.0");
  // Only platform admins reload.
  EXPECT_EQ(call(port, "POST", "/api/v1/plugins/reload", "", token({"order.admin"}, "org_a")).status, 403);
}

TEST_P(PluginApiTest, DirectoryWatcherLoadsADroppedInVersionWithoutAnApiCall) {
  env_["PLUGINS_WATCH_SECONDS"] = "1";
  auto service = start();
  const int port = service->httpPort();
  ASSERT_EQ(call(port, "POST", "/api/v1/organizations",
                 R"({"id":"org_a","slug":"org-a","name":"Org A","country":"CL","default_currency":"CLP"})")
                .status,
            201);
  ASSERT_EQ(call(port, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
                 R"({"plugin_id":"echo","version_range":"*","config":{}})")
                .status,
            200);
  Poco::File(fixture("two-versions/echo/2.0.0")).copyTo(pluginsDir_ + "echo");
  std::string version;
  for (int i = 0; i < 200 && version != "2.0.0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto r = call(port, "POST", "/api/v1/organizations/org_a/plugins/tax-main/invoke",
                  R"({"operation":"tax.calculate","request":{}})");
    ASSERT_EQ(r.status, 200) << r.body;  // no call fails while the watcher reloads
    version = json(r.body)->getObject("data")->getValue<std::string>("version");
  }
  EXPECT_EQ(version, "2.0.0");
  EXPECT_NE(service->stdoutText().find("plugins reloaded by the directory watcher"), std::string::npos);
}

// Several processes share one database in production, which is PostgreSQL.
class MultiProcessPluginApiTest : public PluginApiTest {};

TEST_P(MultiProcessPluginApiTest, ChangesMadeThroughOneProcessReachAnotherSharingTheDatabase) {
  env_["BINDINGS_SYNC_SECONDS"] = "1";
  auto first = start();
  ServiceProcess::Options secondOptions;
  secondOptions.env = env_;
  ServiceProcess second(secondOptions);
  const int a = first->httpPort();
  const int b = second.httpPort();
  ASSERT_EQ(call(a, "POST", "/api/v1/organizations",
                 R"({"id":"org_a","slug":"org-a","name":"Org A","country":"CL","default_currency":"CLP"})")
                .status,
            201);
  auto regionOn = [&](int port) -> std::string {
    auto r = call(port, "POST", "/api/v1/organizations/org_a/plugins/tax-main/invoke",
                  R"({"operation":"tax.calculate","request":{}})");
    if (r.status != 200) return "status " + std::to_string(r.status);
    return json(r.body)->getObject("data")->getObject("result")->getObject("config")->optValue<std::string>("region",
                                                                                                            "");
  };
  auto waitFor = [&](int port, const std::string& wanted) {
    std::string seen;
    for (int i = 0; i < 100 && seen != wanted; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      seen = regionOn(port);
    }
    return seen;
  };
  ASSERT_EQ(call(a, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
                 R"({"plugin_id":"echo","config":{"region":"RM","api_key":"k1"}})")
                .status,
            200);
  EXPECT_EQ(regionOn(a), "RM");
  EXPECT_EQ(waitFor(b, "RM"), "RM");  // created through A, served by B
  ASSERT_EQ(call(a, "PUT", "/api/v1/organizations/org_a/plugins/tax-main",
                 R"({"plugin_id":"echo","config":{"region":"V","api_key":"********"}})")
                .status,
            200);
  EXPECT_EQ(waitFor(b, "V"), "V");  // changed through A
  ASSERT_EQ(call(a, "DELETE", "/api/v1/organizations/org_a/plugins/tax-main").status, 200);
  EXPECT_EQ(waitFor(b, "status 404"), "status 404");  // removed through A
}

INSTANTIATE_TEST_SUITE_P(Backends, PluginApiTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Postgres, MultiProcessPluginApiTest, ::testing::Values("postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ordersvc::testing

namespace ordersvc::testing {
namespace {

// The embedded default's demo: config/bootstrap.json seeds an organization with the
// bundled cash, local carrier and rate-table plugins, once.
TEST(BootstrapTest, DemoOrganizationGetsTheBundledPluginsOnceAndTheyServeCalls) {
  const std::string workDir = makeTempDir("ordersvc_bootstrap");
  ServiceProcess::Options options;
  options.env = {{"PLUGINS_DIR", ORDERSVC_BUNDLED_PLUGINS_DIR},
                 {"BOOTSTRAP_FILE", ORDERSVC_SOURCE_DIR "/config/bootstrap.json"},
                 {"JWT_SECRET", kJwtSecret}};
  options.workDir = workDir;
  for (int run = 0; run < 2; ++run) {  // the second start must not duplicate or fail
    ServiceProcess service(options);
    const auto listed = httpRequest(service.httpPort(), "GET", "/api/v1/organizations/demo/plugins", "",
                                    {{"Authorization", token({"order.admin"})}});
    ASSERT_EQ(listed.status, 200) << listed.body;
    auto items = json(listed.body)->getArray("data");
    ASSERT_EQ(items->size(), 3u) << listed.body;
    for (std::size_t i = 0; i < items->size(); ++i) {
      EXPECT_EQ(items->getObject(i)->getObject("status")->getValue<std::string>("state"), "active") << listed.body;
    }
    const auto tax = httpRequest(
        service.httpPort(), "POST", "/api/v1/organizations/demo/plugins/iva-chile/invoke",
        R"({"operation":"tax.calculate","request":{"currency":"CLP","ship_to":{"country":"CL"},)"
        R"("lines":[{"id":"a","amount":{"value":11900,"currency":"CLP"},"quantity":1,"tax_class":"standard"}]}})",
        {{"Authorization", token({"order.admin"})}});
    ASSERT_EQ(tax.status, 200) << tax.body;
    // Prices include IVA in the demo: 11900 gross is 10000 net + 1900 tax.
    EXPECT_NE(tax.body.find(R"("tax_amount":{"currency":"CLP","value":1900})"), std::string::npos) << tax.body;
    service.signal(SIGTERM);
    ASSERT_EQ(service.waitExit(std::chrono::seconds(30)), 0);
  }
}

}  // namespace
}  // namespace ordersvc::testing
