#pragma once

#include "platform/http/route_table.h"

namespace ordersvc::api {

// Routes for exercising the server itself, added only when DEBUG_ROUTES=true:
// GET /debug/sleep?ms=N answers after N milliseconds (at most 60000), so a test can
// hold a request in flight while it stops the service. Never enable in production.
void addDebugRoutes(RouteTable& table);

}  // namespace ordersvc::api
