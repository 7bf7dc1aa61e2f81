#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/startup_error.h"
#include "platform/config/settings.h"
#include "platform/http/authenticator.h"
#include "platform/http/rate_limited.h"
#include "platform/http/rate_limiter.h"
#include "platform/integrations/cache.h"
#include "platform/integrations/integration_probe.h"
#include "platform/integrations/outbox_relay.h"
#include "platform/jobs/periodic_task.h"
#include "platform/metrics/metrics_registry.h"
#include "platform/modules/module_context.h"
#include "platform/plugins/plugin_binding_service.h"
#include "platform/plugins/plugin_directory_watcher.h"
#include "platform/plugins/plugin_gateway_adapter.h"
#include "platform/plugins/plugin_http_client.h"
#include "platform/plugins/plugin_instances.h"
#include "platform/plugins/plugin_registry.h"
#include "platform/plugins/plugin_state_store.h"
#include "platform/plugins/secret_box.h"
#include "platform/plugins/sql_plugin_binding_repository.h"
#include "platform/storage/database.h"
#include "platform/tenancy/sql_organization_repository.h"

namespace ordersvc::app {

// Everything the modules stand on, built from the settings in dependency order: the
// database (reachable, not yet migrated), metrics and health probes, tokens, plugins
// and their bindings, the cache, rate limits. Owned by serve(); outlives every module.
// Thread-safety: built and torn down on the main thread; its parts say their own rules.
class PlatformRuntime {
 public:
  // Opens and checks everything but the schema. Errors carry the exit code.
  static std::variant<std::unique_ptr<PlatformRuntime>, StartupError> build(const config::Settings& settings,
                                                                            const std::string& executablePath);

  // The context every module is built with.
  platform::ModuleContext& moduleContext() { return *context_; }

  // After migrations: activates the organizations' plugin bindings.
  void activatePlugins();
  // Starts the platform's own background work (binding sync, plugin directory watcher,
  // outbox relay when RABBITMQ_URL is set).
  void startBackgroundWork();
  void stopBackgroundWork();

  const config::Settings& settings;
  std::unique_ptr<storage::Database> database;
  metrics::MetricsRegistry metrics;
  std::vector<std::unique_ptr<integrations::IntegrationProbe>> probes;
  std::unique_ptr<api::Authenticator> authenticator;
  std::unique_ptr<plugins::PluginStateStore> pluginState;
  plugins::PluginHttpClient pluginHttp;
  std::unique_ptr<plugins::HostEnvironment> hostEnvironment;
  std::vector<std::string> pluginDirs;
  std::unique_ptr<plugins::PluginRegistry> pluginRegistry;
  std::unique_ptr<plugins::SecretBox> secretBox;
  std::unique_ptr<storage::SqlOrganizationRepository> organizations;
  std::unique_ptr<storage::SqlPluginBindingRepository> bindingRepository;
  std::unique_ptr<plugins::PluginInstances> pluginInstances;
  std::unique_ptr<plugins::PluginBindingService> bindingService;
  std::unique_ptr<plugins::PluginGatewayAdapter> pluginGateway;
  std::unique_ptr<integrations::Cache> cache;
  std::unique_ptr<api::RateLimiter> rateLimiter;
  api::RateLimits rateLimits;

 private:
  explicit PlatformRuntime(const config::Settings& s) : settings(s) {}
  std::optional<StartupError> openDatabase();
  void addMetricsAndProbes();
  std::optional<StartupError> loadTokens();
  std::optional<StartupError> loadPlugins(const std::string& executablePath);
  void buildCacheAndLimits();

  std::unique_ptr<platform::ModuleContext> context_;
  std::unique_ptr<plugins::PeriodicTask> bindingSync_;
  std::unique_ptr<plugins::PluginDirectoryWatcher> pluginWatcher_;
  std::unique_ptr<integrations::OutboxRelay> outboxRelay_;
  std::unique_ptr<plugins::PeriodicTask> outboxRelayTask_;
};

}  // namespace ordersvc::app
