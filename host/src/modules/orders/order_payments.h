#pragma once

#include <string>

#include "domain/order.h"
#include "platform/storage/database.h"

namespace ordersvc::services {

// What the orders module needs of payments, declared here so that orders does not
// depend on the payments module (which implements it and depends on orders).
// Thread-safety: implementations are safe from any thread.
class OrderPayments {
 public:
  virtual ~OrderPayments() = default;

  // Fills order.payments and order.refunds (the order view shows them), read on the
  // caller's connection, inside its transaction when it has one.
  virtual void loadPaymentsInto(storage::Connection& connection, domain::Order& order) const = 0;

  // After a cancellation committed: refunds captured money, voids authorizations and
  // closes sessions. Failures are on the timeline and left to reconciliation.
  virtual void settleCancelledOrder(const std::string& organizationId, const std::string& orderId,
                                    const std::string& actor, const std::string& reason) = 0;
};

}  // namespace ordersvc::services
