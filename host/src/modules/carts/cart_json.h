#pragma once

#include <Poco/JSON/Object.h>

#include "modules/carts/cart_service.h"

namespace ordersvc::api {

// The cart as the API shows it: items, coupons, shipping, totals.
Poco::JSON::Object::Ptr cartJson(const services::CartView& view);

}  // namespace ordersvc::api
