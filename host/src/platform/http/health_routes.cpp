#include "platform/http/health_routes.h"

#include <future>

#include <Poco/JSON/Object.h>

#include "kernel/build_info.h"
#include "platform/storage/migrator.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Object;

double millis(std::chrono::microseconds latency) {
  return static_cast<double>(latency.count()) / 1000.0;
}

Object::Ptr probeJson(const integrations::ProbeResult& result) {
  Object::Ptr out = new Object;
  out->set("status", std::string(integrations::stateName(result.state)));
  if (result.state != integrations::ProbeResult::State::NotConfigured) {
    out->set("latency_ms", millis(result.latency));
    out->set("target", result.target);
  }
  if (!result.detail.empty()) out->set("error", result.detail);
  return out;
}

integrations::ProbeResult probeDatabase(storage::Database& database) {
  integrations::ProbeResult result;
  result.target = database.url().displayUrl;
  const auto ping = database.ping();
  if (ping) {
    result.state = integrations::ProbeResult::State::Up;
    result.latency = *ping;
  } else {
    result.state = integrations::ProbeResult::State::Down;
    result.detail = ping.error().message;
  }
  return result;
}

Response ready(HealthDependencies& deps) {
  Object::Ptr checks = new Object;
  std::string failing;
  const auto database = probeDatabase(deps.database);
  checks->set("database", probeJson(database));
  if (database.state != integrations::ProbeResult::State::Up) failing = "database: " + database.detail;

  Object::Ptr migrations = new Object;
  if (failing.empty()) {
    const auto status = storage::Migrator(deps.database, deps.migrations).status();
    if (!status) {
      migrations->set("status", "down");
      migrations->set("error", status.error().message);
      failing = "migrations: " + status.error().message;
    } else {
      migrations->set("current", status->current);
      migrations->set("latest", status->latestKnown);
      migrations->set("pending", status->pending);
      migrations->set("status", status->pending == 0 ? "up" : "down");
      if (status->pending > 0) failing = "migrations: " + std::to_string(status->pending) + " pending";
    }
  } else {
    migrations->set("status", "unknown");
  }
  checks->set("migrations", migrations);

  if (!failing.empty()) return errorResponse(Error::unavailable("not ready: " + failing), checks);
  Object::Ptr data = new Object;
  data->set("ready", true);
  data->set("checks", checks);
  return successResponse(data);
}

Response databaseHealth(HealthDependencies& deps) {
  const auto database = probeDatabase(deps.database);
  const auto pool = deps.database.stats();
  Object::Ptr poolJson = new Object;
  poolJson->set("in_use", pool.inUse);
  poolJson->set("idle", pool.idle);
  poolJson->set("capacity", pool.capacity);
  Object::Ptr data = probeJson(database);
  data->set("backend", std::string(deps.database.dialect().name()));
  data->set("pool", poolJson);
  if (database.state != integrations::ProbeResult::State::Up) {
    return errorResponse(Error::unavailable("database unavailable: " + database.detail), data);
  }
  return successResponse(data);
}

Response integrationsHealth(HealthDependencies& deps) {
  // Probes run in parallel so the answer takes about one time-out at worst.
  std::vector<std::future<integrations::ProbeResult>> pending;
  for (auto& probe : deps.probes) {
    pending.push_back(std::async(std::launch::async, [&probe, &deps] { return probe->check(deps.probeTimeout); }));
  }
  Object::Ptr systems = new Object;
  const auto database = probeDatabase(deps.database);
  bool degraded = database.state == integrations::ProbeResult::State::Down;
  systems->set("database", probeJson(database));
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const auto result = pending[i].get();
    degraded = degraded || result.state == integrations::ProbeResult::State::Down;
    systems->set(deps.probes[i]->name(), probeJson(result));
  }
  Object::Ptr data = new Object;
  data->set("status", degraded ? "degraded" : "ok");
  data->set("integrations", systems);
  return successResponse(data);
}

}  // namespace

void addHealthRoutes(RouteTable& table, HealthDependencies& deps) {
  table.add({"GET", "/health", Audience::Public, {}, kNoPolicy, [&deps](const services::Actor&, const Request&) {
               Object::Ptr data = new Object;
               data->set("status", "ok");
               data->set("service", "ordersvc");
               data->set("version", std::string(kVersion));
               data->set("uptime_seconds",
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - deps.startedAt).count());
               return successResponse(data);
             }});
  table.add({"GET", "/health/ready", Audience::Public, {}, kNoPolicy, [&deps](const services::Actor&, const Request&) {
               return ready(deps);
             }});
  table.add({"GET", "/health/db", Audience::Public, {}, kNoPolicy, [&deps](const services::Actor&, const Request&) {
               return databaseHealth(deps);
             }});
  table.add(
      {"GET", "/health/integrations", Audience::Public, {}, kNoPolicy, [&deps](const services::Actor&, const Request&) {
         return integrationsHealth(deps);
       }});
  table.add({"GET", "/metrics", Audience::Public, {}, kNoPolicy, [&deps](const services::Actor&, const Request&) {
               return Response{200, deps.metrics.render(), "text/plain; version=0.0.4; charset=utf-8", {}};
             }});
}

}  // namespace ordersvc::api
