#include "app/ordersvc_app.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <thread>

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include "api/authenticator.h"
#include "api/debug_routes.h"
#include "api/commerce_routes.h"
#include "api/fraud_routes.h"
#include "api/redis_rate_limiter.h"
#include "api/organization_routes.h"
#include "app/catalog_seed.h"
#include "integrations/grpc_catalog.h"
#include "integrations/redis_cache.h"
#include "integrations/grpc_inventory.h"
#include "integrations/outbox_relay.h"
#include "plugins/plugin_gateway_adapter.h"
#include "api/payment_routes.h"
#include "api/plugin_routes.h"
#include "api/grpc_server.h"
#include "api/health_routes.h"
#include "api/openapi_routes.h"
#include "api/http_server.h"
#include "app/build_info.h"
#include "app/bootstrap.h"
#include "app/local_secrets.h"
#include "config/setting_spec.h"
#include "config/settings_loader.h"
#include "integrations/grpc_probe.h"
#include "integrations/rabbitmq_probe.h"
#include "integrations/redis_probe.h"
#include "logging/log.h"
#include "metrics/process_collector.h"
#include "plugins/plugin_binding_service.h"
#include "plugins/periodic_task.h"
#include "plugins/plugin_directory_watcher.h"
#include "plugins/plugin_http_client.h"
#include "plugins/plugin_instances.h"
#include "plugins/plugin_registry.h"
#include "plugins/plugin_state_store.h"
#include "plugins/secret_box_payment_vault.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/sql_organization_repository.h"
#include "storage/sql_plugin_binding_repository.h"

namespace ordersvc::app {

using Poco::Util::Option;

namespace {

constexpr int kExitUsage = 64;
constexpr int kExitUnavailable = 69;
constexpr int kExitSoftware = 70;
constexpr int kExitConfig = 78;

// DATABASE_URL, or the embedded default: a SQLite file under DATA_DIR.
std::string effectiveDatabaseUrl(const config::Settings& settings) {
  if (settings.isSet("DATABASE_URL")) return settings.get("DATABASE_URL");
  const Poco::Path dir = Poco::Path(settings.get("DATA_DIR")).makeAbsolute();
  return "sqlite://" + Poco::Path(dir, "ordersvc.db").toString();
}

// Pings until the database answers or the start-up budget is spent, doubling the
// pause between attempts from 200 ms up to 5 s.
// One round of the background jobs. Each claims its rows with SKIP LOCKED, so every
// process may run them; a failure is logged and retried on the next round.
void runCommerceJobs(services::OrderService& orders, services::CartJobs& carts, services::PaymentService& payments) {
  constexpr int kBatch = 200;
  const auto report = [](const char* job, const Result<int>& done) {
    if (!done) logging::warn("background job failed", {{"job", job}, {"reason", done.error().message}});
    else if (*done > 0) logging::info("background job", {{"job", job}, {"changed", *done}});
  };
  report("reservation-expiry", orders.cancelExpiredReservations(kBatch));
  report("payment-timeout", orders.cancelStalePaymentFailures(kBatch));
  report("abandoned-carts", carts.markAbandoned(kBatch));
  report("cart-expiry", carts.expire(kBatch));
  report("payment-reconciliation", payments.reconcile(kBatch));
}

Status waitForDatabase(storage::Database& database, std::chrono::seconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  auto pause = std::chrono::milliseconds(200);
  for (int attempt = 1;; ++attempt) {
    const auto ping = database.ping();
    if (ping) return Status::ok();
    const auto now = std::chrono::steady_clock::now();
    if (now + pause > deadline) {
      return Error::unavailable("database " + database.url().displayUrl + " unreachable after " + std::to_string(attempt) +
                                " attempts in " + std::to_string(budget.count()) + " s: " + ping.error().message);
    }
    logging::warn("database not reachable yet; retrying",
                  {{"attempt", attempt}, {"retry_in_ms", static_cast<long long>(pause.count())}, {"reason", ping.error().message}});
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(5000));
  }
}

void writeReadyFile(const std::string& path, int httpPort, int grpcPort) {
  const std::string temporary = path + ".tmp";
  {
    Poco::FileOutputStream out(temporary);
    out << "{\"http_port\":" << httpPort << ",\"grpc_port\":" << grpcPort << ",\"pid\":" << Poco::Process::id() << "}\n";
  }
  Poco::File(temporary).renameTo(path);  // readers never see a half-written file
}

}  // namespace

void OrderServiceApp::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  options.addOption(Option("help", "h", "show the options and every configuration key, then exit"));
  options.addOption(Option("version", "v", "print the version and exit"));
  options.addOption(Option("print-config", "", "print the effective configuration (secrets redacted) and exit"));
  options.addOption(Option("config", "c", "read configuration from FILE (over config/ordersvc.properties)")
                        .argument("FILE")
                        .repeatable(false));
  options.addOption(Option("ready-file", "", "when ready, write {http_port, grpc_port, pid} as JSON to FILE")
                        .argument("FILE")
                        .repeatable(false));
  options.addOption(Option("print-routes", "", "start up as for serving (configuration, database, migrations, "
                                               "plugins) but instead of listening print every REST route as "
                                               "'METHOD PATTERN' lines, then exit")
                        .repeatable(false));
  options.addOption(Option("issue-token", "", "print a bearer token valid for 24 h, e.g. order.admin or "
                                              "order.operator,order.manager@org_123, signed with JWT_SECRET, then exit")
                        .argument("ROLES[@ORG]")
                        .repeatable(false));
  options.addOption(Option("token-subject", "", "the \"sub\" of the token --issue-token prints (default: cli)")
                        .argument("SUB")
                        .repeatable(false));
}

void OrderServiceApp::handleOption(const std::string& name, const std::string& value) {
  ServerApplication::handleOption(name, value);
  if (name == "help") {
    helpRequested_ = true;
    stopOptionsProcessing();
  } else if (name == "version") {
    versionRequested_ = true;
  } else if (name == "print-config") {
    printConfigRequested_ = true;
  } else if (name == "print-routes") {
    printRoutesRequested_ = true;
  } else if (name == "config") {
    configFile_ = value;
  } else if (name == "ready-file") {
    readyFile_ = value;
  } else if (name == "issue-token") {
    issueTokenSpec_ = value;
  } else if (name == "token-subject") {
    tokenSubject_ = value;
  }
}

void OrderServiceApp::printHelp() const {
  Poco::Util::HelpFormatter formatter(options());
  formatter.setCommand(commandName());
  formatter.setUsage("[OPTIONS]");
  formatter.setHeader("ordersvc: the order-management service. Options:");
  formatter.format(std::cout);
  std::cout << "\nConfiguration (lowest priority first): built-in defaults < config/ordersvc.properties\n"
               "(or, for an installed binary, /etc/ordersvc/ordersvc.properties) < --config FILE < environment\n"
               "variables.\n"
               "Files hold KEY = value lines; each key is also read from the environment variable of\n"
               "the same name.\n";
  std::string group;
  for (const auto& spec : config::settingCatalog()) {
    if (spec.group != group) {
      group = spec.group;
      std::cout << "\n" << group << ":\n";
    }
    std::printf("  %-34s %s%s%s\n", std::string(spec.key).c_str(), std::string(spec.description).c_str(),
                spec.defaultValue.empty() ? "" : (" [default: " + std::string(spec.defaultValue) + "]").c_str(),
                spec.secret ? " (secret)" : "");
  }
}

int OrderServiceApp::main(const std::vector<std::string>& args) {
  if (helpRequested_) {
    printHelp();
    return EXIT_OK;
  }
  if (versionRequested_) {
    std::cout << "ordersvc " << kVersion << " (" << kGitCommit << ", " << kBuildType << ")\n";
    return EXIT_OK;
  }
  if (!args.empty()) {
    std::cerr << "ordersvc: unexpected argument '" << args.front() << "' (see --help)\n";
    return kExitUsage;
  }
  config::SettingSources sources;
  sources.defaultFile = config::findDefaultConfigFile(config().getString("application.path"));
  sources.overrideFile = configFile_;
  auto settings = config::loadSettings(sources);
  if (!settings) {
    std::cerr << "ordersvc: " << settings.error().message << "\n";
    return kExitConfig;
  }
  if (printConfigRequested_) {
    for (const auto& spec : config::settingCatalog()) {
      std::printf("%s=%s  # %s\n", std::string(spec.key).c_str(), settings->redacted(spec.key).c_str(),
                  settings->sourceOf(spec.key).c_str());
    }
    return EXIT_OK;
  }
  if (issueTokenSpec_) return issueToken(*settings, *issueTokenSpec_);
  // With --print-routes stdout is the list: only errors are logged.
  logging::configure(printRoutesRequested_ ? logging::Level::Error : logging::parseLevel(settings->get("LOG_LEVEL")),
                     settings->get("LOG_FORMAT") == "json" ? logging::Format::Json : logging::Format::Text);
  int code = kExitSoftware;
  try {
    code = serve(*settings);
  } catch (const std::exception& e) {
    const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
    logging::error("ordersvc stopped by an unexpected error", {{"reason", poco ? poco->displayText() : e.what()}});
  }
  logging::flush();
  return code;
}

int OrderServiceApp::issueToken(const config::Settings& settings, const std::string& spec) {
  auto secret = resolveJwtSecret(settings);
  if (!secret) {
    std::cerr << "ordersvc: " << secret.error().message << "\n";
    return kExitSoftware;
  }
  api::Principal principal;
  principal.subject = tokenSubject_.value_or("cli");
  const auto at = spec.find('@');
  std::stringstream roles(spec.substr(0, at));
  for (std::string role; std::getline(roles, role, ',');) {
    if (role.empty()) continue;
    principal.roles.push_back(role.find('.') == std::string::npos ? "order." + role : role);
  }
  if (at != std::string::npos) principal.organizationId = spec.substr(at + 1);
  if (principal.roles.empty()) {
    std::cerr << "ordersvc: --issue-token needs at least one role\n";
    return kExitUsage;
  }
  std::cout << api::Authenticator(*secret, settings.get("JWT_ISSUER")).issue(principal, std::chrono::hours(24)) << "\n";
  return EXIT_OK;
}

int OrderServiceApp::serve(const config::Settings& settings) {
  logging::info("ordersvc starting", {{"version", std::string(kVersion)}, {"commit", std::string(kGitCommit)}});

  const std::string databaseUrl = effectiveDatabaseUrl(settings);
  auto url = storage::DatabaseUrl::parse(databaseUrl, static_cast<int>(settings.getInt("DATABASE_CONNECT_TIMEOUT_SECONDS")));
  if (!url) {
    logging::error("invalid configuration", {{"reason", url.error().message}});
    std::cerr << "ordersvc: " << url.error().message << "\n";
    return kExitConfig;
  }
  if (url->backend == storage::Backend::Sqlite) {
    Poco::File(Poco::Path(url->sqlitePath).parent()).createDirectories();
  }
  storage::DatabaseOptions dbOptions;
  dbOptions.poolSize = static_cast<int>(settings.getInt("DATABASE_POOL_SIZE"));
  dbOptions.maxOverflow = static_cast<int>(settings.getInt("DATABASE_MAX_OVERFLOW"));
  dbOptions.acquireTimeout = std::chrono::seconds(settings.getInt("DATABASE_POOL_TIMEOUT_SECONDS"));
  storage::Database database(*url, dbOptions);
  logging::info("database configured", {{"url", url->displayUrl},
                                        {"pool_size", dbOptions.poolSize},
                                        {"max_overflow", dbOptions.maxOverflow}});

  const auto reachable = waitForDatabase(database, std::chrono::seconds(settings.getInt("DATABASE_STARTUP_TIMEOUT_SECONDS")));
  if (!reachable) {
    logging::error("giving up: database unreachable", {{"reason", reachable.error().message}});
    std::cerr << "ordersvc: " << reachable.error().message << "\n";
    return kExitUnavailable;
  }
  const auto migrated = storage::Migrator(database).migrate();
  if (!migrated) {
    logging::error("giving up: schema migration failed", {{"reason", migrated.error().message}});
    std::cerr << "ordersvc: " << migrated.error().message << "\n";
    return migrated.error().code == ErrorCode::Unavailable ? kExitUnavailable : kExitSoftware;
  }
  logging::info("database schema current", {{"version", migrated->current}, {"applied_now", static_cast<long long>(migrated->applied.size())}});

  metrics::MetricsRegistry metrics;
  metrics.addCollector([&database](metrics::ExpositionWriter& writer) {
    const auto pool = database.stats();
    writer.family("ordersvc_db_pool_connections", "gauge", "Database connections by state.");
    writer.sample("ordersvc_db_pool_connections", {{"state", "in_use"}}, pool.inUse);
    writer.sample("ordersvc_db_pool_connections", {{"state", "idle"}}, pool.idle);
    writer.family("ordersvc_db_pool_capacity", "gauge", "Most database connections the pool may open.");
    writer.sample("ordersvc_db_pool_capacity", {}, pool.capacity);
  });
  metrics.addCollector(metrics::writeProcessMetrics);
  metrics.addCollector(metrics::writeBuildInfo);

  std::vector<std::unique_ptr<integrations::IntegrationProbe>> probes;
  probes.push_back(std::make_unique<integrations::RedisProbe>(settings.get("REDIS_URL")));
  probes.push_back(std::make_unique<integrations::RabbitMqProbe>(settings.get("RABBITMQ_URL")));
  probes.push_back(std::make_unique<integrations::GrpcProbe>("inventory", settings.get("INVENTORY_GRPC_HOST"),
                                                             static_cast<int>(settings.getInt("INVENTORY_GRPC_PORT"))));
  probes.push_back(std::make_unique<integrations::GrpcProbe>("catalog", settings.get("CATALOG_GRPC_HOST"),
                                                             static_cast<int>(settings.getInt("CATALOG_GRPC_PORT"))));
  api::HealthDependencies health{database, metrics, probes,
                                 std::chrono::milliseconds(settings.getInt("INTEGRATION_CHECK_TIMEOUT_MS"))};

  auto jwtSecret = resolveJwtSecret(settings);
  if (!jwtSecret) {
    logging::error("giving up: no token secret", {{"reason", jwtSecret.error().message}});
    std::cerr << "ordersvc: " << jwtSecret.error().message << "\n";
    return kExitSoftware;
  }
  api::Authenticator authenticator(*jwtSecret, settings.get("JWT_ISSUER"));
  authenticator.setLeeway(std::chrono::seconds(settings.getInt("JWT_LEEWAY_SECONDS")));
  if (!settings.get("JWT_PUBLIC_KEY_FILE").empty()) {
    if (auto accepted = authenticator.acceptRs256(settings.get("JWT_PUBLIC_KEY_FILE")); !accepted) {
      logging::error("giving up: JWT public key unusable", {{"reason", accepted.error().message}});
      std::cerr << "ordersvc: " << accepted.error().message << "\n";
      return kExitConfig;
    }
  }

  plugins::PluginStateStore pluginState(database);
  plugins::PluginHttpClient pluginHttp;
  plugins::HostEnvironment hostEnvironment{&metrics, &pluginState, &pluginHttp, std::string(kVersion)};
  auto signaturePolicy = loadSignaturePolicy(settings);
  if (!signaturePolicy) {
    logging::error("giving up: publisher keys unreadable", {{"reason", signaturePolicy.error().message}});
    std::cerr << "ordersvc: " << signaturePolicy.error().message << "\n";
    return kExitConfig;
  }
  const std::vector<std::string> pluginDirs = pluginDirectories(settings, config().getString("application.path"));
  plugins::PluginRegistry pluginRegistry(pluginDirs, hostEnvironment, *signaturePolicy);
  const auto pluginReport = pluginRegistry.reload();
  logging::info("plugins scanned", {{"loaded", static_cast<long long>(pluginReport.loaded.size())},
                                    {"refused", static_cast<long long>(pluginReport.refused.size())}});

  auto masterKeyHex = resolveMasterKeyHex(settings);
  auto masterKey = masterKeyHex ? plugins::SecretBox::parseKey(*masterKeyHex) : Result<plugins::SecretBox::Key>(masterKeyHex.error());
  if (!masterKey) {
    logging::error("giving up: no usable master key", {{"reason", masterKey.error().message}});
    std::cerr << "ordersvc: " << masterKey.error().message << "\n";
    return masterKey.error().code == ErrorCode::Configuration ? kExitConfig : kExitSoftware;
  }
  const plugins::SecretBox secretBox(*masterKey);
  storage::SqlOrganizationRepository organizations(database);
  storage::SqlPluginBindingRepository bindingRepository(database);
  plugins::PluginInstances pluginInstances(pluginRegistry, metrics);
  plugins::PluginBindingService bindingService(bindingRepository, organizations, pluginRegistry, pluginInstances, secretBox);
  const int activeInstances = bindingService.activateAll();
  const std::string bootstrapFile = settings.isSet("BOOTSTRAP_FILE")
                                        ? settings.get("BOOTSTRAP_FILE")
                                        : (Poco::File("config/bootstrap.json").exists() ? "config/bootstrap.json" : "");
  if (!bootstrapFile.empty()) {
    const auto bootstrapped = applyBootstrapFile(bootstrapFile, organizations, bindingService);
    if (!bootstrapped) {
      logging::error("giving up: bootstrap file rejected", {{"reason", bootstrapped.error().message}});
      std::cerr << "ordersvc: " << bootstrapped.error().message << "\n";
      return kExitConfig;
    }
  }
  logging::info("plugin instances active", {{"count", activeInstances}});
  std::unique_ptr<plugins::PeriodicTask> bindingSync;
  if (settings.getInt("BINDINGS_SYNC_SECONDS") > 0) {
    bindingSync = std::make_unique<plugins::PeriodicTask>(
        "plugin binding sync", std::chrono::seconds(settings.getInt("BINDINGS_SYNC_SECONDS")),
        [&bindingService] { bindingService.syncFromStorage(); });
    bindingSync->start();
  }
  std::unique_ptr<plugins::PluginDirectoryWatcher> pluginWatcher;
  if (settings.getInt("PLUGINS_WATCH_SECONDS") > 0) {
    pluginWatcher = std::make_unique<plugins::PluginDirectoryWatcher>(
        pluginDirs,
        std::chrono::seconds(settings.getInt("PLUGINS_WATCH_SECONDS")), [&pluginRegistry, &pluginInstances] {
          const auto report = pluginRegistry.reload();
          const int moved = pluginInstances.rebindAll();
          logging::info("plugins reloaded by the directory watcher",
                        {{"loaded", static_cast<long long>(report.loaded.size())},
                         {"refused", static_cast<long long>(report.refused.size())},
                         {"instances_moved", moved}});
        });
    pluginWatcher->start();
  }

  // The order core: catalog and inventory adapters, the use cases and their jobs.
  services::CommerceSettings commerceSettings;
  commerceSettings.reservationTtlMinutes = settings.getInt("ORDER_RESERVATION_TTL_MINUTES");
  commerceSettings.cartExpiryDays = settings.getInt("CART_EXPIRY_DAYS");
  commerceSettings.maxItemsPerOrder = settings.getInt("MAX_ITEMS_PER_ORDER");
  commerceSettings.minOrderAmount = settings.get("MIN_ORDER_AMOUNT");
  commerceSettings.freeShippingThreshold = settings.get("FREE_SHIPPING_THRESHOLD");
  commerceSettings.paymentRetryAttempts = static_cast<int>(settings.getInt("PAYMENT_RETRY_ATTEMPTS"));
  commerceSettings.paymentFailedTimeoutMinutes = settings.getInt("PAYMENT_FAILED_TIMEOUT_MINUTES");
  commerceSettings.abandonedCartHours = settings.getInt("ABANDONED_CART_HOURS");
  integrations::LocalCatalog localCatalog(database);
  integrations::LocalInventory localInventory(database);
  // CATALOG_GRPC_HOST / INVENTORY_GRPC_HOST switch each port to the remote service.
  const auto grpcTimeout = std::chrono::milliseconds(settings.getInt("GRPC_CALL_TIMEOUT_MS"));
  std::unique_ptr<integrations::GrpcCatalog> grpcCatalog;
  std::unique_ptr<integrations::GrpcInventory> grpcInventory;
  if (!settings.get("CATALOG_GRPC_HOST").empty()) {
    grpcCatalog = std::make_unique<integrations::GrpcCatalog>(
        settings.get("CATALOG_GRPC_HOST"), static_cast<int>(settings.getInt("CATALOG_GRPC_PORT")), grpcTimeout);
  }
  if (!settings.get("INVENTORY_GRPC_HOST").empty()) {
    grpcInventory = std::make_unique<integrations::GrpcInventory>(
        settings.get("INVENTORY_GRPC_HOST"), static_cast<int>(settings.getInt("INVENTORY_GRPC_PORT")), grpcTimeout);
  }
  services::CatalogPort& catalog = grpcCatalog ? static_cast<services::CatalogPort&>(*grpcCatalog) : localCatalog;
  services::InventoryPort& inventory =
      grpcInventory ? static_cast<services::InventoryPort&>(*grpcInventory) : localInventory;
  logging::info("catalog and inventory", {{"catalog", grpcCatalog ? "grpc" : "local"},
                                          {"inventory", grpcInventory ? "grpc" : "local"}});
  if (!bootstrapFile.empty()) {
    if (auto seeded = applyCatalogSeed(bootstrapFile, database, localCatalog, localInventory, services::systemNowMs());
        !seeded) {
      logging::error("giving up: catalog seed rejected", {{"reason", seeded.error().message}});
      std::cerr << "ordersvc: " << seeded.error().message << "\n";
      return kExitConfig;
    }
  }
  // Carts and orders are cached in Redis when REDIS_URL is set; without it the database
  // answers every read (it is local then anyway).
  std::unique_ptr<integrations::Cache> cache;
  if (!settings.get("REDIS_URL").empty()) {
    integrations::RedisCacheOptions cacheOptions;
    cacheOptions.metrics = &metrics;
    cache = integrations::makeRedisCache(settings.get("REDIS_URL"), cacheOptions);
  } else {
    cache = std::make_unique<integrations::NoCache>();
  }
  plugins::PluginGatewayAdapter pluginGateway(pluginInstances);
  services::CartPricer cartPricer(pluginGateway, commerceSettings);
  services::CartService cartService(database, catalog, cartPricer, organizations, commerceSettings, services::systemNowMs,
                                      *cache);
  services::CheckoutService checkoutService(database, cartService, catalog, inventory, commerceSettings, services::systemNowMs,
                                            *cache);
  // Gateway tokens and provider data are sealed at rest under the same master key as
  // plugin credentials.
  services::FraudService fraudService(database, services::systemNowMs);
  plugins::SecretBoxPaymentVault paymentVault(secretBox);
  services::PaymentService paymentService(database, inventory, pluginGateway, commerceSettings, services::systemNowMs,
                                          *cache, paymentVault, &fraudService);
  services::OrderService orderService(database, inventory, commerceSettings, services::systemNowMs, *cache,
                                      &paymentService);
  services::CartJobs cartJobs(database, commerceSettings, services::systemNowMs, *cache);
  std::unique_ptr<plugins::PeriodicTask> commerceJobs;
  if (settings.getInt("JOBS_INTERVAL_SECONDS") > 0) {
    commerceJobs = std::make_unique<plugins::PeriodicTask>(
        "commerce jobs", std::chrono::seconds(settings.getInt("JOBS_INTERVAL_SECONDS")),
        [&orderService, &cartJobs, &paymentService] { runCommerceJobs(orderService, cartJobs, paymentService); });
    commerceJobs->start();
  }

  // With a broker, the outbox is relayed to it; without one it stays readable at
  // GET /api/v1/events.
  std::unique_ptr<integrations::OutboxRelay> outboxRelay;
  std::unique_ptr<plugins::PeriodicTask> outboxRelayTask;
  if (!settings.get("RABBITMQ_URL").empty()) {
    outboxRelay = std::make_unique<integrations::OutboxRelay>(
        database, integrations::OutboxRelayOptions{settings.get("RABBITMQ_URL"), settings.get("RABBITMQ_EXCHANGE")});
    outboxRelayTask = std::make_unique<plugins::PeriodicTask>(
        "outbox relay", std::chrono::milliseconds(settings.getInt("OUTBOX_RELAY_INTERVAL_MS")), [&outboxRelay] {
          // Drain a backlog in full batches; an outage is logged by the relay itself.
          for (int round = 0; round < 50; ++round) {
            const auto sent = outboxRelay->relayOnce();
            if (!sent || *sent < integrations::OutboxRelayOptions{}.batchSize) break;
          }
        });
    outboxRelayTask->start();
  }

  // Rate limits: shared through Redis when REDIS_URL is set, else per process.
  std::unique_ptr<api::RateLimiter> rateLimiter;
  if (!settings.get("REDIS_URL").empty()) {
    rateLimiter = api::makeRedisRateLimiter(settings.get("REDIS_URL"));
  } else {
    rateLimiter = std::make_unique<api::InProcessRateLimiter>();
  }
  const api::RateLimits rateLimits{
      api::RateLimit{settings.getInt("RATE_LIMIT_CLIENT_PER_MINUTE"), settings.getInt("RATE_LIMIT_CLIENT_BURST")},
      api::RateLimit{settings.getInt("RATE_LIMIT_ORG_PER_MINUTE"), settings.getInt("RATE_LIMIT_ORG_BURST")}};

  api::Router router;
  api::addHealthRoutes(router, health);
  api::addCommerceRoutes(router, api::CommerceDependencies{database, authenticator, catalog, cartService, checkoutService,
                                                           orderService, grpcCatalog ? nullptr : &localCatalog,
                                                           grpcInventory ? nullptr : &localInventory, *rateLimiter,
                                                           rateLimits, *cache,
                                                           std::chrono::seconds(settings.getInt("CACHE_TTL_CART")),
                                                           std::chrono::seconds(settings.getInt("CACHE_TTL_ORDER"))});
  api::addPaymentRoutes(router, api::PaymentDependencies{database, authenticator, paymentService, *rateLimiter, rateLimits});
  api::addFraudRoutes(router, api::FraudRouteDependencies{authenticator, fraudService, *rateLimiter, rateLimits});
  api::addPluginRoutes(router, authenticator, pluginRegistry, pluginInstances);
  api::addOrganizationRoutes(router, authenticator, organizations, bindingService, pluginInstances);
  api::addOpenApiRoutes(router, config().getString("application.path"));
  if (settings.getBool("DEBUG_ROUTES")) {
    api::addDebugRoutes(router);
    logging::warn("debug routes enabled (DEBUG_ROUTES=true); do not use in production");
  }
  if (printRoutesRequested_) {
    // The router just built for serving, so the list cannot drift from what is served.
    for (const auto& route : router.routes()) std::cout << route.method << " " << route.pattern << "\n";
    return EXIT_OK;
  }

  api::HttpServerOptions httpOptions;
  httpOptions.bindAddress = settings.get("HTTP_BIND_ADDRESS");
  httpOptions.port = static_cast<std::uint16_t>(settings.getInt("HTTP_PORT"));
  httpOptions.maxThreads = static_cast<int>(settings.getInt("HTTP_MAX_THREADS"));
  httpOptions.maxQueued = static_cast<int>(settings.getInt("HTTP_MAX_QUEUED"));
  httpOptions.maxBodyBytes = static_cast<std::size_t>(settings.getInt("HTTP_MAX_BODY_BYTES"));
  api::HttpServer http(router, metrics, httpOptions);
  api::GrpcServer grpc(settings.get("GRPC_BIND_ADDRESS"), static_cast<int>(settings.getInt("GRPC_PORT")));
  try {
    http.start();
    grpc.start();
  } catch (const std::exception& e) {
    const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
    const std::string reason = poco ? poco->displayText() : e.what();
    logging::error("cannot listen", {{"reason", reason}});
    std::cerr << "ordersvc: cannot listen: " << reason << "\n";
    return kExitUnavailable;
  }

  const std::string host = httpOptions.bindAddress == "0.0.0.0" ? "127.0.0.1" : httpOptions.bindAddress;
  const std::string base = "http://" + host + ":" + std::to_string(http.port());
  logging::info("ordersvc ready", {{"http", base}, {"grpc_port", grpc.port()}, {"database", std::string(database.dialect().name())}});
  std::cout << "\nordersvc is ready\n"
            << "  health:       " << base << "/health\n"
            << "  readiness:    " << base << "/health/ready\n"
            << "  integrations: " << base << "/health/integrations\n"
            << "  metrics:      " << base << "/metrics\n"
            << "  gRPC:         " << host << ":" << grpc.port() << " (grpc.health.v1)\n"
            << "Press Ctrl-C to stop.\n"
            << std::flush;
  if (readyFile_) writeReadyFile(*readyFile_, http.port(), grpc.port());

  waitForTerminationRequest();

  const auto grace = std::chrono::seconds(settings.getInt("SHUTDOWN_GRACE_SECONDS"));
  logging::info("shutdown requested; draining", {{"in_flight", http.inFlight()}, {"grace_s", static_cast<long long>(grace.count())}});
  const int unfinished = http.stop(grace);
  if (commerceJobs) commerceJobs->stop();
  if (outboxRelayTask) outboxRelayTask->stop();
  if (pluginWatcher) pluginWatcher->stop();
  if (bindingSync) bindingSync->stop();
  if (unfinished > 0) {
    // Handlers still run on pool threads and use everything on this stack, so no
    // destructor may run: end the process now, which closes their connections.
    logging::warn("requests aborted at the end of the grace period", {{"count", unfinished}});
    logging::info("ordersvc stopped");
    logging::flush();
    std::cout.flush();
    std::_Exit(EXIT_OK);
  }
  grpc.stop(std::chrono::milliseconds(1000));
  database.shutdown();
  logging::info("ordersvc stopped");
  return EXIT_OK;
}

}  // namespace ordersvc::app
