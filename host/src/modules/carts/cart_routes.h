#pragma once

#include <chrono>
#include <vector>

#include "modules/carts/address_book.h"
#include "modules/carts/cart_service.h"
#include "modules/carts/coupon_admin.h"
#include "platform/http/route_table.h"
#include "platform/integrations/cache.h"

namespace ordersvc::api {

// The carts, a customer's saved addresses and the coupons managers define; carts are
// served from the cache as rendered while it holds them.
struct CartRouteDependencies {
  services::CartService& carts;
  services::AddressBook& addresses;
  services::CouponAdmin& coupons;
  integrations::Cache& cache;    // erased by the cart use cases on every change
  std::chrono::seconds cartTtl;  // CACHE_TTL_CART
};

// /api/v1/carts... for shoppers (guests with their cart token, or signed in),
// /api/v1/addresses... for signed-in customers and /api/v1/admin/coupons... for managers.
std::vector<RouteRow> cartRoutes(CartRouteDependencies deps);

}  // namespace ordersvc::api
