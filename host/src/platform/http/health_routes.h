#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "platform/http/route_table.h"
#include "platform/integrations/integration_probe.h"
#include "platform/metrics/metrics_registry.h"
#include "platform/storage/database.h"
#include "platform/storage/migration.h"

namespace ordersvc::api {

// What the health and metrics routes look at. Everything is owned by the
// application and outlives the router.
struct HealthDependencies {
  storage::Database& database;
  const std::vector<storage::Migration>& migrations;  // the schema this binary knows
  metrics::MetricsRegistry& metrics;
  std::vector<std::unique_ptr<integrations::IntegrationProbe>>& probes;  // not the database
  std::chrono::milliseconds probeTimeout{1000};
  std::chrono::steady_clock::time_point startedAt = std::chrono::steady_clock::now();
};

// GET /health               liveness: the process serves requests
// GET /health/ready         200 when the database answers and migrations are current,
//                           else 503 naming the failing check
// GET /health/db            database round-trip latency and pool state (503 when down)
// GET /health/integrations  database, Redis, RabbitMQ, inventory, catalog: up / down /
//                           not_configured with latency, probed in parallel
// GET /metrics              Prometheus text format
void addHealthRoutes(RouteTable& table, HealthDependencies& dependencies);

}  // namespace ordersvc::api
