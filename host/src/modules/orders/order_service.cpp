#include "modules/orders/order_service.h"

#include <Poco/JSON/Object.h>

#include "domain/money.h"
#include "kernel/ids.h"
#include "kernel/json_util.h"
#include "modules/carts/coupon_store.h"
#include "modules/orders/order_events.h"
#include "modules/orders/order_store.h"
#include "platform/integrations/cache_keys.h"
#include "platform/logging/log.h"
#include "platform/storage/outbox_store.h"
#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::services {

namespace {

Error orderNotFound(const std::string& id) {
  return Error::notFound("order " + id + " not found");
}

std::string reasonFor(const std::string& job) {
  return job == "reservation-expiry" ? "reservation expired" : "payment not retried in time";
}

// Customers reach only their own orders; anything else looks absent.
bool visibleTo(const Actor& actor, const domain::Order& order) {
  if (actor.staff) return true;
  return !actor.subject.empty() && order.customerId && *order.customerId == actor.subject;
}

}  // namespace

Result<domain::Order> OrderService::readBack(storage::Connection& c, const Actor& actor,
                                             const std::string& orderId) const {
  auto order = storage::order_store::findFull(c, actor.organizationId, orderId);
  if (!order || !visibleTo(actor, *order)) return orderNotFound(orderId);
  if (payments_) payments_->loadPaymentsInto(c, *order);
  return *order;
}

Result<domain::Order> OrderService::get(const Actor& actor, const std::string& orderId) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    return readBack(*connection, actor, orderId);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<std::vector<domain::Order>> OrderService::list(const Actor& actor, storage::OrderQuery query) {
  query.organizationId = actor.organizationId;
  if (!actor.staff) {
    if (actor.subject.empty()) return std::vector<domain::Order>{};
    query.customerId = actor.subject;
  }
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    return storage::order_store::list(*connection, query);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<domain::Order> OrderService::act(const Actor& actor, const std::string& orderId, domain::OrderAction action,
                                        const std::string& note) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    {
      storage::Transaction tx(c);
      auto order = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      if (!order || !visibleTo(actor, *order)) return orderNotFound(orderId);
      if (action == domain::OrderAction::ConfirmOnTerms && order->type != domain::OrderType::B2b) {
        return Error::unprocessable("only b2b orders are confirmed on payment terms");
      }
      const int64_t now = clock_();
      if (auto applied = applyOrderAction(c, *order, action, actor.label(), note, now); !applied)
        return applied.error();
      if (action == domain::OrderAction::ConfirmOnTerms && order->reservationId) {
        if (auto confirmed = inventory_.confirm(c, order->organizationId, *order->reservationId, now); !confirmed) {
          return confirmed.error();
        }
      }
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    }
    return readBack(c, actor, orderId);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Status OrderService::cancelLocked(storage::Connection& c, domain::Order& order, const std::string& actor,
                                  const std::string& reason, int64_t now) {
  const bool wasPaid = order.paidMinor > 0;
  if (auto applied = applyOrderAction(c, order, domain::OrderAction::Cancel, actor, reason, now); !applied)
    return applied;
  if (order.reservationId) {
    const auto released = inventory_.release(c, order.organizationId, *order.reservationId, now);
    // A confirmed reservation is a sale: the goods are restocked by the return flow.
    if (!released && released.error().code != ErrorCode::Conflict) return released;
  }
  if (order.couponCode && !wasPaid)
    storage::coupon_store::release(c, order.organizationId, *order.couponCode, order.id);
  return Status::ok();
}

Result<domain::Order> OrderService::cancel(const Actor& actor, const std::string& orderId, const std::string& reason) {
  {
    auto connection = database_.acquire();
    if (!connection) return connection.error();
    auto& c = *connection;
    try {
      storage::Transaction tx(c);
      auto found = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      if (!found || !visibleTo(actor, *found)) return orderNotFound(orderId);
      domain::Order order = *found;
      if (order.status == domain::OrderStatus::Processing && !actor.manager) {
        Error error{ErrorCode::PermissionDenied,
                    "order " + order.orderNumber + " is being processed; cancelling it needs a manager's approval"};
        return error;
      }
      if (auto cancelled = cancelLocked(c, order, actor.label(), reason, clock_()); !cancelled)
        return cancelled.error();
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    } catch (const std::exception& e) {
      return storage::translateDatabaseError(e, c, "");
    }
  }
  // After the cancellation committed, and outside it: refunds of captured money and
  // voids of authorizations go to the gateways, each with its own idempotency key.
  if (payments_) payments_->settleCancelledOrder(actor.organizationId, orderId, actor.label(), reason);
  return get(actor, orderId);
}

Result<int> OrderService::cancelClaimed(
    const std::string& job,
    const std::function<std::vector<std::pair<std::string, std::string>>(storage::Connection&, int64_t)>& claim) {
  int cancelled = 0;
  std::vector<std::pair<std::string, std::string>> claimed;
  {
    auto connection = database_.acquire();
    if (!connection) return connection.error();
    auto& c = *connection;
    try {
      const int64_t now = clock_();
      storage::Transaction tx(c);
      claimed = claim(c, now);
      for (const auto& [org, id] : claimed) {
        auto order = storage::order_store::findHeader(c, org, id, false);
        if (!order) continue;
        if (cancelLocked(c, *order, "system:" + job, reasonFor(job), now)) ++cancelled;
      }
      tx.commit();
    } catch (const std::exception& e) {
      return storage::translateDatabaseError(e, c, "");
    }
  }
  // With the connection given back (settling takes its own, one at a time): partial
  // payments of an order that timed out go back; open sessions are closed.
  for (const auto& [org, id] : claimed) {
    cache_.erase(orderCacheKey(org, id));
    if (payments_) payments_->settleCancelledOrder(org, id, "system:" + job, reasonFor(job));
  }
  return cancelled;
}

Result<int> OrderService::cancelExpiredReservations(int batch) {
  return cancelClaimed("reservation-expiry", [batch](storage::Connection& c, int64_t now) {
    return storage::order_store::claimExpiredReservations(c, now, batch);
  });
}

Result<int> OrderService::cancelStalePaymentFailures(int batch) {
  const int64_t timeoutMs = settings_.paymentFailedTimeoutMinutes * 60 * 1000;
  return cancelClaimed("payment-timeout", [batch, timeoutMs](storage::Connection& c, int64_t now) {
    return storage::order_store::claimStalePaymentFailures(c, now - timeoutMs, batch);
  });
}

}  // namespace ordersvc::services
