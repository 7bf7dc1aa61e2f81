#pragma once

#include <vector>

#include "modules/checkout/checkout_service.h"
#include "platform/http/route_table.h"

namespace ordersvc::api {

// POST /api/v1/orders/from-cart: a signed-in customer (or staff for a customer) turns a
// cart into a pending order.
std::vector<RouteRow> checkoutRoutes(services::CheckoutService& checkout);

}  // namespace ordersvc::api
