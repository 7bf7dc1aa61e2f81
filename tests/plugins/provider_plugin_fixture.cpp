#include "provider_plugin_fixture.h"
#include "app/module_list.h"

#include "platform/storage/database_url.h"
#include "platform/storage/migrator.h"
#include "test_env.h"

namespace ordersvc::testing {

void ProviderPluginTest::SetUp() {
  auto url = storage::DatabaseUrl::parse("sqlite://" + makeTempDir("ordersvc_provider_plugin") + "/state.db", 5);
  ASSERT_TRUE(url) << url.error().message;
  storage::DatabaseOptions options;
  options.poolSize = 4;
  database_ = std::make_unique<storage::Database>(*url, options);
  auto migrated = storage::Migrator(*database_, app::allMigrations()).migrate();
  ASSERT_TRUE(migrated) << migrated.error().message;
  state_ = std::make_unique<plugins::PluginStateStore>(*database_);
  metrics_ = std::make_unique<metrics::MetricsRegistry>();
  http_ = std::make_unique<plugins::PluginHttpClient>();
  plugins::HostEnvironment environment;
  environment.metrics = metrics_.get();
  environment.state = state_.get();
  environment.http = http_.get();
  registry_ = std::make_unique<plugins::PluginRegistry>(std::vector<std::string>{ORDERSVC_PLUGINS_DIR}, environment);
  const plugins::ReloadReport report = registry_->reload();
  for (const auto& refused : report.refused) ADD_FAILURE() << "plugin refused: " << refused;
  instances_ = std::make_unique<plugins::PluginInstances>(*registry_, *metrics_);
}

void ProviderPluginTest::TearDown() {
  instances_.reset();
  registry_.reset();
  http_.reset();
  metrics_.reset();
  state_.reset();
  database_.reset();
}

Status ProviderPluginTest::activate(const std::string& pluginId, const std::string& fullConfigJson,
                                    const std::string& baseUrl, const std::string& instanceId) {
  plugins::PluginBinding binding;
  binding.organizationId = kOrganization;
  binding.instanceId = instanceId;
  binding.pluginId = pluginId;
  binding.kind = "payment";
  binding.versionRange = "*";
  binding.enabled = true;
  binding.publicConfigJson = fullConfigJson;
  binding.baseUrlOverride = baseUrl;
  binding.revision = 1;
  return instances_->activate(binding, fullConfigJson);
}

Result<plugins::PluginCallResult> ProviderPluginTest::call(const std::string& operation, const std::string& requestJson,
                                                           const std::string& idempotencyKey,
                                                           const std::string& instanceId,
                                                           std::chrono::milliseconds timeout) {
  plugins::PluginCall c;
  c.organizationId = kOrganization;
  c.instanceId = instanceId;
  c.operation = operation;
  c.requestJson = requestJson;
  c.requestId = "req-test-1";
  c.idempotencyKey = idempotencyKey;
  c.timeout = timeout;
  return instances_->call(c);
}

}  // namespace ordersvc::testing
