#pragma once

#include "api/authenticator.h"
#include "api/rate_limited.h"
#include "integrations/cache.h"
#include "api/router.h"
#include "integrations/local_catalog.h"
#include "integrations/local_inventory.h"
#include "services/cart_jobs.h"
#include "services/cart_service.h"
#include "services/checkout_service.h"
#include "services/order_service.h"

namespace ordersvc::api {

struct CommerceDependencies {
  storage::Database& database;
  const Authenticator& authenticator;
  services::CatalogPort& catalog;
  services::CartService& carts;
  services::CheckoutService& checkout;
  services::OrderService& orders;
  integrations::LocalCatalog* localCatalog;      // admin upserts; null when the catalog is remote
  integrations::LocalInventory* localInventory;  // admin stock; null when the inventory is remote
  RateLimiter& limiter;
  RateLimits limits;
  integrations::Cache& cache;  // carts and orders as rendered, erased by the use cases on change
  std::chrono::seconds cartTtl;   // CACHE_TTL_CART
  std::chrono::seconds orderTtl;  // CACHE_TTL_ORDER
};

// Products, carts, checkout, orders, payments, addresses, events and the catalog admin
// endpoints under /api/v1.
void addCommerceRoutes(Router& router, CommerceDependencies deps);

}  // namespace ordersvc::api
