#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "api/router.h"
#include "integrations/integration_probe.h"
#include "metrics/metrics_registry.h"
#include "storage/database.h"

namespace ordersvc::api {

// What the health and metrics routes look at. Everything is owned by the
// application and outlives the router.
struct HealthDependencies {
  storage::Database& database;
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
void addHealthRoutes(Router& router, HealthDependencies& dependencies);

}  // namespace ordersvc::api
