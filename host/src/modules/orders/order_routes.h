#pragma once

#include <chrono>
#include <vector>

#include "modules/orders/order_service.h"
#include "platform/http/route_table.h"
#include "platform/integrations/cache.h"
#include "platform/storage/event_feed.h"

namespace ordersvc::api {

// The orders the routes read and change, the outbox they list, and the cache that
// serves an order as rendered while it holds it.
struct OrderRouteDependencies {
  services::OrderService& orders;
  storage::EventFeed& events;
  integrations::Cache& cache;     // erased by the order use cases on every change
  std::chrono::seconds orderTtl;  // CACHE_TTL_ORDER
};

// /api/v1/orders... for signed-in callers (customers see their own orders, staff all of
// the organization's), and GET /api/v1/events, the outbox, for deployments without a broker.
std::vector<RouteRow> orderRoutes(OrderRouteDependencies deps);

}  // namespace ordersvc::api
