#pragma once

#include "domain/commerce_settings.h"
#include "platform/integrations/cache.h"
#include "platform/storage/database.h"

namespace ordersvc::services {

// Background work on carts, safe with several processes on one PostgreSQL (rows are
// claimed with SKIP LOCKED inside the transaction that changes them).
class CartJobs {
 public:
  CartJobs(storage::Database& database, const CommerceSettings& settings, Clock clock, integrations::Cache& cache)
      : database_(database), settings_(settings), clock_(std::move(clock)), cache_(cache) {}

  // Carts with items idle for ABANDONED_CART_HOURS get a recovery token and emit
  // cart.abandoned (with the token, for whoever sends the reminder). Returns how many.
  Result<int> markAbandoned(int batch);
  // Carts past CART_EXPIRY_DAYS become expired. Returns how many.
  Result<int> expire(int batch);

 private:
  storage::Database& database_;
  const CommerceSettings& settings_;
  Clock clock_;
  integrations::Cache& cache_;
};

}  // namespace ordersvc::services
