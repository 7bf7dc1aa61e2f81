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

#include "app/local_secrets.h"
#include "app/module_list.h"
#include "app/platform_runtime.h"
#include "app/startup_error.h"
#include "kernel/build_info.h"
#include "platform/config/setting_spec.h"
#include "platform/config/settings_loader.h"
#include "platform/grpc/grpc_server.h"
#include "platform/http/debug_routes.h"
#include "platform/http/health_routes.h"
#include "platform/http/http_server.h"
#include "platform/http/openapi_routes.h"
#include "platform/jobs/job_runner.h"
#include "platform/logging/log.h"
#include "platform/storage/migrator.h"

namespace ordersvc::app {

using Poco::Util::Option;

namespace {

void writeReadyFile(const std::string& path, int httpPort, int grpcPort) {
  const std::string temporary = path + ".tmp";
  {
    Poco::FileOutputStream out(temporary);
    out << "{\"http_port\":" << httpPort << ",\"grpc_port\":" << grpcPort << ",\"pid\":" << Poco::Process::id()
        << "}\n";
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
  options.addOption(Option("print-routes", "",
                           "start up as for serving (configuration, database, migrations, "
                           "plugins) but instead of listening print every REST route as "
                           "'METHOD PATTERN' lines, then exit")
                        .repeatable(false));
  options.addOption(Option("issue-token", "",
                           "print a bearer token valid for 24 h, e.g. order.admin or "
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

namespace {

int giveUp(const StartupError& error) {
  logging::error(error.what, {{"reason", error.reason}});
  std::cerr << "ordersvc: " << error.reason << "\n";
  return error.exitCode;
}

// The schema the modules registered, migrated. Errors carry the exit code.
std::optional<StartupError> migrateSchema(storage::Database& database, std::vector<storage::Migration>& migrations) {
  std::sort(migrations.begin(), migrations.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  if (auto ordered = storage::checkMigrationOrder(migrations); !ordered) {
    return StartupError{kExitSoftware, "giving up: schema migrations out of order", ordered.error().message};
  }
  const auto migrated = storage::Migrator(database, migrations).migrate();
  if (!migrated) {
    return StartupError{migrated.error().code == ErrorCode::Unavailable ? kExitUnavailable : kExitSoftware,
                        "giving up: schema migration failed", migrated.error().message};
  }
  logging::info("database schema current",
                {{"version", migrated->current}, {"applied_now", static_cast<long long>(migrated->applied.size())}});
  return std::nullopt;
}

// Every route: the platform's health routes, each module's, the OpenAPI document and,
// when asked for, the debug routes.
api::RouteTable allRoutes(const config::Settings& settings, api::HealthDependencies& health,
                          const platform::ModuleRegistrar& registrar, const std::string& executablePath) {
  api::RouteTable table;
  api::addHealthRoutes(table, health);
  for (const auto& row : registrar.routes().rows()) table.add(row);
  api::addOpenApiRoutes(table, executablePath);
  if (settings.getBool("DEBUG_ROUTES")) {
    api::addDebugRoutes(table);
    logging::warn("debug routes enabled (DEBUG_ROUTES=true); do not use in production");
  }
  return table;
}

std::unique_ptr<plugins::PeriodicTask> startJobs(const config::Settings& settings,
                                                 const std::vector<platform::Job>& jobs) {
  if (settings.getInt("JOBS_INTERVAL_SECONDS") <= 0) return nullptr;
  constexpr int kBatch = 200;
  auto task = std::make_unique<plugins::PeriodicTask>("commerce jobs",
                                                      std::chrono::seconds(settings.getInt("JOBS_INTERVAL_SECONDS")),
                                                      [&jobs] { platform::runJobsOnce(jobs, kBatch); });
  task->start();
  return task;
}

}  // namespace

int OrderServiceApp::serve(const config::Settings& settings) {
  logging::info("ordersvc starting", {{"version", std::string(kVersion)}, {"commit", std::string(kGitCommit)}});
  const std::string executablePath = config().getString("application.path");
  auto built = PlatformRuntime::build(settings, executablePath);
  if (const auto* failed = std::get_if<StartupError>(&built)) return giveUp(*failed);
  PlatformRuntime& runtime = *std::get<std::unique_ptr<PlatformRuntime>>(built);

  auto modules = buildModules(runtime);
  platform::ModuleRegistrar registrar;
  registrar.addMigrations(platformMigrations());
  for (auto& module : modules) module->registerWith(registrar);
  std::vector<storage::Migration> migrations = registrar.migrations();
  if (auto failed = migrateSchema(*runtime.database, migrations)) return giveUp(*failed);
  runtime.activatePlugins();
  for (auto& module : modules) {
    if (auto started = module->start(); !started) {
      return giveUp({kExitConfig, "giving up: module " + std::string(module->name()) + " did not start",
                     started.error().message});
    }
  }
  api::HealthDependencies health{*runtime.database, migrations, runtime.metrics, runtime.probes,
                                 std::chrono::milliseconds(settings.getInt("INTEGRATION_CHECK_TIMEOUT_MS"))};
  const api::RouteTable routes = allRoutes(settings, health, registrar, executablePath);
  if (printRoutesRequested_) {
    // The table just built for serving, so the list cannot drift from what is served.
    for (const auto& row : routes.rows()) std::cout << row.method << " " << row.path << "\n";
    return EXIT_OK;
  }
  runtime.startBackgroundWork();
  auto jobs = startJobs(settings, registrar.jobs());
  api::Router router;
  routes.installInto(
      router, api::RoutePolicies{*runtime.authenticator, *runtime.database, *runtime.rateLimiter, runtime.rateLimits});
  const int code = listenUntilStopped(settings, router, runtime);
  if (jobs) jobs->stop();
  runtime.stopBackgroundWork();
  return code;
}

int OrderServiceApp::listenUntilStopped(const config::Settings& settings, api::Router& router,
                                        PlatformRuntime& runtime) {
  api::HttpServerOptions httpOptions;
  httpOptions.bindAddress = settings.get("HTTP_BIND_ADDRESS");
  httpOptions.port = static_cast<std::uint16_t>(settings.getInt("HTTP_PORT"));
  httpOptions.maxThreads = static_cast<int>(settings.getInt("HTTP_MAX_THREADS"));
  httpOptions.maxQueued = static_cast<int>(settings.getInt("HTTP_MAX_QUEUED"));
  httpOptions.maxBodyBytes = static_cast<std::size_t>(settings.getInt("HTTP_MAX_BODY_BYTES"));
  api::HttpServer http(router, runtime.metrics, httpOptions);
  api::GrpcServer grpc(settings.get("GRPC_BIND_ADDRESS"), static_cast<int>(settings.getInt("GRPC_PORT")));
  try {
    http.start();
    grpc.start();
  } catch (const std::exception& e) {
    const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
    return giveUp({kExitUnavailable, "cannot listen", "cannot listen: " + (poco ? poco->displayText() : e.what())});
  }
  announceReady(httpOptions.bindAddress, http.port(), grpc.port(), runtime.database->dialect().name());

  waitForTerminationRequest();

  const auto grace = std::chrono::seconds(settings.getInt("SHUTDOWN_GRACE_SECONDS"));
  logging::info("shutdown requested; draining",
                {{"in_flight", http.inFlight()}, {"grace_s", static_cast<long long>(grace.count())}});
  const int unfinished = http.stop(grace);
  if (unfinished > 0) {
    // Handlers still run on pool threads and use everything on the stack of serve(), so
    // no destructor may run: end the process now, which closes their connections.
    logging::warn("requests aborted at the end of the grace period", {{"count", unfinished}});
    logging::info("ordersvc stopped");
    logging::flush();
    std::cout.flush();
    std::_Exit(EXIT_OK);
  }
  grpc.stop(std::chrono::milliseconds(1000));
  runtime.database->shutdown();
  logging::info("ordersvc stopped");
  return EXIT_OK;
}

void OrderServiceApp::announceReady(const std::string& bindAddress, int httpPort, int grpcPort,
                                    std::string_view dialect) {
  const std::string host = bindAddress == "0.0.0.0" ? "127.0.0.1" : bindAddress;
  const std::string base = "http://" + host + ":" + std::to_string(httpPort);
  logging::info("ordersvc ready", {{"http", base}, {"grpc_port", grpcPort}, {"database", std::string(dialect)}});
  std::cout << "\nordersvc is ready\n"
            << "  health:       " << base << "/health\n"
            << "  readiness:    " << base << "/health/ready\n"
            << "  integrations: " << base << "/health/integrations\n"
            << "  metrics:      " << base << "/metrics\n"
            << "  gRPC:         " << host << ":" << grpcPort << " (grpc.health.v1)\n"
            << "Press Ctrl-C to stop.\n"
            << std::flush;
  if (readyFile_) writeReadyFile(*readyFile_, httpPort, grpcPort);
}

}  // namespace ordersvc::app
