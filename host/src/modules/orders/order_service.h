#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/actor.h"
#include "domain/commerce_settings.h"
#include "domain/order.h"
#include "modules/catalog/inventory_port.h"
#include "modules/orders/order_payments.h"
#include "modules/orders/order_store.h"
#include "platform/integrations/cache.h"

namespace ordersvc::services {

// Orders after checkout: reading (customers see only their own), listing, the state
// machine's actions, cancellation with its side effects, and payment through the
// organization's payment plugin.
class OrderService {
 public:
  OrderService(storage::Database& database, InventoryPort& inventory, const CommerceSettings& settings, Clock clock,
               integrations::Cache& cache, OrderPayments* payments)
      : database_(database),
        inventory_(inventory),
        settings_(settings),
        clock_(std::move(clock)),
        cache_(cache),
        payments_(payments) {}

  Result<domain::Order> get(const Actor& actor, const std::string& orderId);
  Result<std::vector<domain::Order>> list(const Actor& actor, storage::OrderQuery query);

  // A fulfilment or return step (start_processing, ship, deliver, ...). The API checks
  // the role; this checks the state machine and the version.
  Result<domain::Order> act(const Actor& actor, const std::string& orderId, domain::OrderAction action,
                            const std::string& note);

  // confirmed -> cancelled; pending/payment_failed -> cancelled; processing only for a
  // manager. Releases the reservation, gives back the coupon use of an unpaid order;
  // then the payment service refunds captured money and voids authorizations.
  Result<domain::Order> cancel(const Actor& actor, const std::string& orderId, const std::string& reason);

  // Background: cancel pending orders whose reservation expired, and payment_failed
  // orders past PAYMENT_FAILED_TIMEOUT_MINUTES. Returns how many were cancelled.
  Result<int> cancelExpiredReservations(int batch);
  Result<int> cancelStalePaymentFailures(int batch);

 private:
  // The whole order (with its payments), read on the caller's connection: taking a
  // second connection while holding one could starve the pool under load.
  Result<domain::Order> readBack(storage::Connection& c, const Actor& actor, const std::string& orderId) const;
  Status cancelLocked(storage::Connection& c, domain::Order& order, const std::string& actor, const std::string& reason,
                      int64_t now);
  Result<int> cancelClaimed(
      const std::string& job,
      const std::function<std::vector<std::pair<std::string, std::string>>(storage::Connection&, int64_t)>& claim);

  storage::Database& database_;
  InventoryPort& inventory_;
  const CommerceSettings& settings_;
  Clock clock_;
  integrations::Cache& cache_;
  OrderPayments* payments_;  // null: no payments to show or settle (the order core alone)
};

}  // namespace ordersvc::services
