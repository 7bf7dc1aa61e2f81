#include "app/platform_runtime.h"

#include <thread>

#include <Poco/File.h>
#include <Poco/Path.h>

#include "app/local_secrets.h"
#include "kernel/build_info.h"
#include "platform/http/redis_rate_limiter.h"
#include "platform/integrations/grpc_probe.h"
#include "platform/integrations/rabbitmq_probe.h"
#include "platform/integrations/redis_cache.h"
#include "platform/integrations/redis_probe.h"
#include "platform/logging/log.h"
#include "platform/metrics/process_collector.h"

namespace ordersvc::app {

namespace {

// DATABASE_URL, or the embedded default: a SQLite file under DATA_DIR.
std::string effectiveDatabaseUrl(const config::Settings& settings) {
  if (settings.isSet("DATABASE_URL")) return settings.get("DATABASE_URL");
  const Poco::Path dir = Poco::Path(settings.get("DATA_DIR")).makeAbsolute();
  return "sqlite://" + Poco::Path(dir, "ordersvc.db").toString();
}

// Pings until the database answers or the start-up budget is spent, doubling the
// pause between attempts from 200 ms up to 5 s.
Status waitForDatabase(storage::Database& database, std::chrono::seconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  auto pause = std::chrono::milliseconds(200);
  for (int attempt = 1;; ++attempt) {
    const auto ping = database.ping();
    if (ping) return Status::ok();
    if (std::chrono::steady_clock::now() + pause > deadline) {
      return Error::unavailable("database " + database.url().displayUrl + " unreachable after " +
                                std::to_string(attempt) + " attempts in " + std::to_string(budget.count()) +
                                " s: " + ping.error().message);
    }
    logging::warn("database not reachable yet; retrying", {{"attempt", attempt},
                                                           {"retry_in_ms", static_cast<long long>(pause.count())},
                                                           {"reason", ping.error().message}});
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(5000));
  }
}

std::string bootstrapFileOf(const config::Settings& settings) {
  if (settings.isSet("BOOTSTRAP_FILE")) return settings.get("BOOTSTRAP_FILE");
  return Poco::File("config/bootstrap.json").exists() ? "config/bootstrap.json" : "";
}

services::CommerceSettings commerceSettingsOf(const config::Settings& settings) {
  services::CommerceSettings commerce;
  commerce.reservationTtlMinutes = settings.getInt("ORDER_RESERVATION_TTL_MINUTES");
  commerce.cartExpiryDays = settings.getInt("CART_EXPIRY_DAYS");
  commerce.maxItemsPerOrder = settings.getInt("MAX_ITEMS_PER_ORDER");
  commerce.minOrderAmount = settings.get("MIN_ORDER_AMOUNT");
  commerce.freeShippingThreshold = settings.get("FREE_SHIPPING_THRESHOLD");
  commerce.paymentRetryAttempts = static_cast<int>(settings.getInt("PAYMENT_RETRY_ATTEMPTS"));
  commerce.paymentFailedTimeoutMinutes = settings.getInt("PAYMENT_FAILED_TIMEOUT_MINUTES");
  commerce.abandonedCartHours = settings.getInt("ABANDONED_CART_HOURS");
  return commerce;
}

}  // namespace

std::variant<std::unique_ptr<PlatformRuntime>, StartupError> PlatformRuntime::build(const config::Settings& settings,
                                                                                    const std::string& executablePath) {
  std::unique_ptr<PlatformRuntime> runtime(new PlatformRuntime(settings));
  if (auto failed = runtime->openDatabase()) return *failed;
  runtime->addMetricsAndProbes();
  if (auto failed = runtime->loadTokens()) return *failed;
  if (auto failed = runtime->loadPlugins(executablePath)) return *failed;
  runtime->buildCacheAndLimits();
  runtime->context_.reset(new platform::ModuleContext{
      settings, *runtime->database, *runtime->cache, *runtime->pluginGateway, *runtime->organizations,
      *runtime->secretBox, commerceSettingsOf(settings), systemNowMs, bootstrapFileOf(settings)});
  return runtime;
}

std::optional<StartupError> PlatformRuntime::openDatabase() {
  const std::string databaseUrl = effectiveDatabaseUrl(settings);
  auto url =
      storage::DatabaseUrl::parse(databaseUrl, static_cast<int>(settings.getInt("DATABASE_CONNECT_TIMEOUT_SECONDS")));
  if (!url) return StartupError{kExitConfig, "invalid configuration", url.error().message};
  if (url->backend == storage::Backend::Sqlite) Poco::File(Poco::Path(url->sqlitePath).parent()).createDirectories();
  storage::DatabaseOptions options;
  options.poolSize = static_cast<int>(settings.getInt("DATABASE_POOL_SIZE"));
  options.maxOverflow = static_cast<int>(settings.getInt("DATABASE_MAX_OVERFLOW"));
  options.acquireTimeout = std::chrono::seconds(settings.getInt("DATABASE_POOL_TIMEOUT_SECONDS"));
  database = std::make_unique<storage::Database>(*url, options);
  logging::info("database configured",
                {{"url", url->displayUrl}, {"pool_size", options.poolSize}, {"max_overflow", options.maxOverflow}});
  const auto reachable =
      waitForDatabase(*database, std::chrono::seconds(settings.getInt("DATABASE_STARTUP_TIMEOUT_SECONDS")));
  if (!reachable) return StartupError{kExitUnavailable, "giving up: database unreachable", reachable.error().message};
  return std::nullopt;
}

void PlatformRuntime::addMetricsAndProbes() {
  metrics.addCollector([db = database.get()](metrics::ExpositionWriter& writer) {
    const auto pool = db->stats();
    writer.family("ordersvc_db_pool_connections", "gauge", "Database connections by state.");
    writer.sample("ordersvc_db_pool_connections", {{"state", "in_use"}}, pool.inUse);
    writer.sample("ordersvc_db_pool_connections", {{"state", "idle"}}, pool.idle);
    writer.family("ordersvc_db_pool_capacity", "gauge", "Most database connections the pool may open.");
    writer.sample("ordersvc_db_pool_capacity", {}, pool.capacity);
  });
  metrics.addCollector(metrics::writeProcessMetrics);
  metrics.addCollector(metrics::writeBuildInfo);
  probes.push_back(std::make_unique<integrations::RedisProbe>(settings.get("REDIS_URL")));
  probes.push_back(std::make_unique<integrations::RabbitMqProbe>(settings.get("RABBITMQ_URL")));
  probes.push_back(std::make_unique<integrations::GrpcProbe>("inventory", settings.get("INVENTORY_GRPC_HOST"),
                                                             static_cast<int>(settings.getInt("INVENTORY_GRPC_PORT"))));
  probes.push_back(std::make_unique<integrations::GrpcProbe>("catalog", settings.get("CATALOG_GRPC_HOST"),
                                                             static_cast<int>(settings.getInt("CATALOG_GRPC_PORT"))));
}

std::optional<StartupError> PlatformRuntime::loadTokens() {
  auto jwtSecret = resolveJwtSecret(settings);
  if (!jwtSecret) return StartupError{kExitSoftware, "giving up: no token secret", jwtSecret.error().message};
  authenticator = std::make_unique<api::Authenticator>(*jwtSecret, settings.get("JWT_ISSUER"));
  authenticator->setLeeway(std::chrono::seconds(settings.getInt("JWT_LEEWAY_SECONDS")));
  if (!settings.get("JWT_PUBLIC_KEY_FILE").empty()) {
    if (auto accepted = authenticator->acceptRs256(settings.get("JWT_PUBLIC_KEY_FILE")); !accepted) {
      return StartupError{kExitConfig, "giving up: JWT public key unusable", accepted.error().message};
    }
  }
  return std::nullopt;
}

std::optional<StartupError> PlatformRuntime::loadPlugins(const std::string& executablePath) {
  pluginState = std::make_unique<plugins::PluginStateStore>(*database);
  hostEnvironment = std::make_unique<plugins::HostEnvironment>(
      plugins::HostEnvironment{&metrics, pluginState.get(), &pluginHttp, std::string(kVersion)});
  auto signaturePolicy = loadSignaturePolicy(settings);
  if (!signaturePolicy) {
    return StartupError{kExitConfig, "giving up: publisher keys unreadable", signaturePolicy.error().message};
  }
  pluginDirs = pluginDirectories(settings, executablePath);
  pluginRegistry = std::make_unique<plugins::PluginRegistry>(pluginDirs, *hostEnvironment, *signaturePolicy);
  const auto report = pluginRegistry->reload();
  logging::info("plugins scanned", {{"loaded", static_cast<long long>(report.loaded.size())},
                                    {"refused", static_cast<long long>(report.refused.size())}});
  auto masterKeyHex = resolveMasterKeyHex(settings);
  auto masterKey = masterKeyHex ? plugins::SecretBox::parseKey(*masterKeyHex)
                                : Result<plugins::SecretBox::Key>(masterKeyHex.error());
  if (!masterKey) {
    return StartupError{masterKey.error().code == ErrorCode::Configuration ? kExitConfig : kExitSoftware,
                        "giving up: no usable master key", masterKey.error().message};
  }
  secretBox = std::make_unique<plugins::SecretBox>(*masterKey);
  organizations = std::make_unique<storage::SqlOrganizationRepository>(*database);
  bindingRepository = std::make_unique<storage::SqlPluginBindingRepository>(*database);
  pluginInstances = std::make_unique<plugins::PluginInstances>(*pluginRegistry, metrics);
  bindingService = std::make_unique<plugins::PluginBindingService>(*bindingRepository, *organizations, *pluginRegistry,
                                                                   *pluginInstances, *secretBox);
  pluginGateway = std::make_unique<plugins::PluginGatewayAdapter>(*pluginInstances);
  return std::nullopt;
}

void PlatformRuntime::buildCacheAndLimits() {
  // Carts and orders are cached in Redis when REDIS_URL is set; without it the database
  // answers every read (it is local then anyway). Rate limits are shared the same way.
  if (!settings.get("REDIS_URL").empty()) {
    integrations::RedisCacheOptions cacheOptions;
    cacheOptions.metrics = &metrics;
    cache = integrations::makeRedisCache(settings.get("REDIS_URL"), cacheOptions);
    rateLimiter = api::makeRedisRateLimiter(settings.get("REDIS_URL"));
  } else {
    cache = std::make_unique<integrations::NoCache>();
    rateLimiter = std::make_unique<api::InProcessRateLimiter>();
  }
  rateLimits = api::RateLimits{
      api::RateLimit{settings.getInt("RATE_LIMIT_CLIENT_PER_MINUTE"), settings.getInt("RATE_LIMIT_CLIENT_BURST")},
      api::RateLimit{settings.getInt("RATE_LIMIT_ORG_PER_MINUTE"), settings.getInt("RATE_LIMIT_ORG_BURST")}};
}

void PlatformRuntime::activatePlugins() {
  const int active = bindingService->activateAll();
  logging::info("plugin instances active", {{"count", active}});
}

void PlatformRuntime::startBackgroundWork() {
  if (settings.getInt("BINDINGS_SYNC_SECONDS") > 0) {
    bindingSync_ = std::make_unique<plugins::PeriodicTask>(
        "plugin binding sync", std::chrono::seconds(settings.getInt("BINDINGS_SYNC_SECONDS")),
        [service = bindingService.get()] { service->syncFromStorage(); });
    bindingSync_->start();
  }
  if (settings.getInt("PLUGINS_WATCH_SECONDS") > 0) {
    pluginWatcher_ = std::make_unique<plugins::PluginDirectoryWatcher>(
        pluginDirs, std::chrono::seconds(settings.getInt("PLUGINS_WATCH_SECONDS")),
        [registry = pluginRegistry.get(), instances = pluginInstances.get()] {
          const auto report = registry->reload();
          const int moved = instances->rebindAll();
          logging::info("plugins reloaded by the directory watcher",
                        {{"loaded", static_cast<long long>(report.loaded.size())},
                         {"refused", static_cast<long long>(report.refused.size())},
                         {"instances_moved", moved}});
        });
    pluginWatcher_->start();
  }
  // With a broker, the outbox is relayed to it; without one it stays readable at
  // GET /api/v1/events.
  if (!settings.get("RABBITMQ_URL").empty()) {
    outboxRelay_ = std::make_unique<integrations::OutboxRelay>(
        *database, integrations::OutboxRelayOptions{settings.get("RABBITMQ_URL"), settings.get("RABBITMQ_EXCHANGE")});
    outboxRelayTask_ = std::make_unique<plugins::PeriodicTask>(
        "outbox relay", std::chrono::milliseconds(settings.getInt("OUTBOX_RELAY_INTERVAL_MS")),
        [relay = outboxRelay_.get()] {
          // Drain a backlog in full batches; an outage is logged by the relay itself.
          for (int round = 0; round < 50; ++round) {
            const auto sent = relay->relayOnce();
            if (!sent || *sent < integrations::OutboxRelayOptions{}.batchSize) break;
          }
        });
    outboxRelayTask_->start();
  }
}

void PlatformRuntime::stopBackgroundWork() {
  if (outboxRelayTask_) outboxRelayTask_->stop();
  if (pluginWatcher_) pluginWatcher_->stop();
  if (bindingSync_) bindingSync_->stop();
}

}  // namespace ordersvc::app
