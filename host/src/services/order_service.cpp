#include "services/order_service.h"

#include <Poco/JSON/Object.h>

#include "common/ids.h"
#include "domain/money.h"
#include "logging/log.h"
#include "services/cache_keys.h"
#include "services/json_util.h"
#include "services/order_events.h"
#include "storage/coupon_store.h"
#include "storage/order_store.h"
#include "storage/outbox_store.h"
#include "storage/sql_errors.h"
#include "storage/sql_query.h"

namespace ordersvc::services {

namespace {

Error orderNotFound(const std::string& id) { return Error::notFound("order " + id + " not found"); }

// Customers reach only their own orders; anything else looks absent.
bool visibleTo(const Actor& actor, const domain::Order& order) {
  if (actor.staff) return true;
  return !actor.subject.empty() && order.customerId && *order.customerId == actor.subject;
}

Poco::JSON::Object::Ptr money(int64_t minor, const std::string& currency) {
  Poco::JSON::Object::Ptr m = new Poco::JSON::Object;
  m->set("value", minor);
  m->set("currency", currency);
  return m;
}

std::string paymentEventData(const domain::Order& order, const domain::Payment& payment) {
  Poco::JSON::Object::Ptr data = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  data->set("payment_id", payment.id);
  data->set("order_id", order.id);
  data->set("order_number", order.orderNumber);
  data->set("payment_method", payment.paymentMethod);
  data->set("status", payment.status);
  data->set("amount_minor", payment.amountMinor);
  data->set("refunded_minor", payment.refundedMinor);
  data->set("currency", payment.currency);
  if (payment.failureReason) data->set("failure_reason", *payment.failureReason);
  return toJsonText(data);
}

// The whole order, read on the caller's connection (taking a second connection while
// holding one could starve the pool under load).
Result<domain::Order> readBack(storage::Connection& c, const Actor& actor, const std::string& orderId) {
  auto order = storage::order_store::findFull(c, actor.organizationId, orderId);
  if (!order || !visibleTo(actor, *order)) return orderNotFound(orderId);
  return *order;
}

}  // namespace

Result<domain::Order> OrderService::get(const Actor& actor, const std::string& orderId) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    auto order = storage::order_store::findFull(*connection, actor.organizationId, orderId);
    if (!order || !visibleTo(actor, *order)) return orderNotFound(orderId);
    return *order;
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
        return Error{ErrorCode::Unprocessable, "only b2b orders are confirmed on payment terms"};
      }
      const int64_t now = clock_();
      if (auto applied = applyOrderAction(c, *order, action, actor.label(), note, now); !applied) return applied.error();
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
                                  const std::string& reason, int64_t now, std::vector<domain::Payment>& toRefund) {
  const bool wasPaid = order.paidMinor > 0;
  if (auto applied = applyOrderAction(c, order, domain::OrderAction::Cancel, actor, reason, now); !applied) return applied;
  if (order.reservationId) {
    const auto released = inventory_.release(c, order.organizationId, *order.reservationId, now);
    // A confirmed reservation is a sale: the goods are restocked by the return flow.
    if (!released && released.error().code != ErrorCode::Conflict) return released;
  }
  if (order.couponCode && !wasPaid) storage::coupon_store::release(c, order.organizationId, *order.couponCode, order.id);
  if (wasPaid) {
    auto full = storage::order_store::findFull(c, order.organizationId, order.id);
    for (const auto& payment : full->payments) {
      if (payment.status == "succeeded" && payment.amountMinor > payment.refundedMinor) toRefund.push_back(payment);
    }
  }
  return Status::ok();
}

Result<domain::Order> OrderService::cancel(const Actor& actor, const std::string& orderId, const std::string& reason) {
  // Given back to the pool during plugin calls: a gateway may take seconds.
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  try {
    std::vector<domain::Payment> toRefund;
    domain::Order order;
    {
      storage::Transaction tx(c);
      auto found = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      if (!found || !visibleTo(actor, *found)) return orderNotFound(orderId);
      order = *found;
      if (order.status == domain::OrderStatus::Processing && !actor.manager) {
        Error error{ErrorCode::PermissionDenied, "order " + order.orderNumber +
                                                     " is being processed; cancelling it needs a manager's approval"};
        return error;
      }
      if (auto cancelled = cancelLocked(c, order, actor.label(), reason, clock_(), toRefund); !cancelled) {
        return cancelled.error();
      }
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    }
    // Refund after the cancellation committed: the plugin call is not held inside the
    // transaction, and an idempotency key per payment makes a retry safe.
    for (auto& payment : toRefund) {
      Poco::JSON::Object::Ptr request = new Poco::JSON::Object;
      const int64_t amount = payment.amountMinor - payment.refundedMinor;
      request->set("payment_id", payment.id);
      request->set("refund_id", "ref_" + payment.id);
      request->set("amount", money(amount, payment.currency));
      request->set("captured_amount", money(payment.amountMinor, payment.currency));
      request->set("refunded_amount", money(payment.refundedMinor, payment.currency));
      request->set("reason", reason.empty() ? "order cancelled" : reason);
      request->set("provider_reference", payment.providerReference.value_or(payment.id));
      request->set("provider_data", parseJsonObject(payment.providerDataJson.value_or("{}")));
      held.release();
      auto refunded = plugins_.call(actor.organizationId, payment.instanceId, "payment.refund", toJsonText(request),
                                    "", "refund-" + payment.id);
      if (auto back = held.acquire(); !back) return back.error();
      const int64_t now = clock_();
      storage::Transaction tx(c);
      domain::Order current = *storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      domain::TimelineEntry entry;
      entry.atMs = now;
      entry.actor = actor.label();
      if (refunded && parseJsonObject(*refunded)->optValue<std::string>("status", "") == "succeeded") {
        payment.refundedMinor += amount;
        payment.status = "refunded";
        storage::order_store::updatePayment(c, actor.organizationId, payment, now);
        current.refundedMinor += amount;
        current.updatedAtMs = now;
        storage::order_store::update(c, current);
        entry.action = "payment_refunded";
        entry.note = payment.id + " refunded " + domain::formatMajorUnits(amount, payment.currency) + " " + payment.currency;
        storage::outbox_store::append(c, actor.organizationId, "payment.refunded", paymentEventData(current, payment), now);
      } else {
        entry.action = "refund_failed";
        entry.note = payment.id + ": " + (refunded ? std::string("refund not confirmed by the gateway") : refunded.error().message);
        logging::warn("refund after cancellation failed", {{"order_id", orderId}, {"payment_id", payment.id}});
      }
      storage::order_store::appendTimeline(c, actor.organizationId, orderId, entry);
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    }
    return readBack(c, actor, orderId);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<domain::Order> OrderService::pay(const Actor& actor, const std::string& orderId, const PaymentRequest& request) {
  // The organization's payment instance for the method: the instance of that id, or
  // the only one whose id starts with it ("cash" -> "cash-store-1").
  std::string instance;
  for (const auto& id : plugins_.activeInstances(actor.organizationId, "payment")) {
    if (id == request.paymentMethod) {
      instance = id;
      break;
    }
    if (instance.empty() && id.rfind(request.paymentMethod, 0) == 0) instance = id;
  }
  if (instance.empty()) {
    return Error{ErrorCode::Unprocessable, "payment method " + request.paymentMethod + " is not enabled for this organization"};
  }
  // Given back to the pool during plugin calls: a gateway may take seconds.
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  try {
    domain::Payment payment;
    domain::Order order;
    // 1. Record the attempt and move the order to payment_pending.
    {
      storage::Transaction tx(c);
      auto found = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      if (!found || !visibleTo(actor, *found)) return orderNotFound(orderId);
      order = *found;
      if (request.currency != order.currency) {
        return Error{ErrorCode::Unprocessable, "currency " + request.currency + " does not match the order's " + order.currency};
      }
      if (request.amountMinor <= 0) return Error::invalidArgument("amount: must be more than 0");
      if (request.amountMinor > order.balanceDueMinor()) {
        return Error{ErrorCode::Unprocessable, "amount " + domain::formatMajorUnits(request.amountMinor, order.currency) +
                                                   " is more than the balance due " +
                                                   domain::formatMajorUnits(order.balanceDueMinor(), order.currency)};
      }
      if (order.paymentAttempts >= settings_.paymentRetryAttempts) {
        return Error{ErrorCode::Unprocessable, "order " + order.orderNumber + " used its " +
                                                   std::to_string(settings_.paymentRetryAttempts) + " payment attempts"};
      }
      const int64_t now = clock_();
      order.paymentAttempts += 1;
      order.paymentMethod = request.paymentMethod;
      if (order.status == domain::OrderStatus::PaymentPending) {
        // Split tender: another part of the balance while the order waits for the rest.
        order.updatedAtMs = now;
        if (!storage::order_store::update(c, order)) return Error::conflict("order changed meanwhile; retry");
        order.version += 1;
      } else if (auto started = applyOrderAction(c, order, domain::OrderAction::StartPayment, actor.label(), "", now);
                 !started) {
        return started.error();
      }
      payment.id = newId("pay");
      payment.instanceId = instance;
      payment.paymentMethod = request.paymentMethod;
      payment.amountMinor = request.amountMinor;
      payment.currency = request.currency;
      payment.status = "pending";
      payment.createdAtMs = now;
      storage::order_store::insertPayment(c, order.organizationId, order.id, payment);
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    }

    // 2. Ask the gateway, outside any transaction.
    Poco::JSON::Object::Ptr sale = new Poco::JSON::Object;
    sale->set("payment_id", payment.id);
    sale->set("order_id", order.id);
    sale->set("amount", money(payment.amountMinor, payment.currency));
    sale->set("amount_tendered", money(request.amountTenderedMinor.value_or(payment.amountMinor), payment.currency));
    Poco::JSON::Object::Ptr method = new Poco::JSON::Object;
    method->set("type", request.paymentMethod == "cash" ? "cash" : "token");
    if (request.paymentMethodId) method->set("token", *request.paymentMethodId);
    sale->set("payment_method", method);
    held.release();
    const auto result = plugins_.call(order.organizationId, instance, "payment.sale", toJsonText(sale), request.requestId,
                                      request.idempotencyKey.empty() ? payment.id : request.idempotencyKey);
    if (auto back = held.acquire(); !back) return back.error();

    // 3. Record the outcome.
    const int64_t now = clock_();
    storage::Transaction tx(c);
    domain::Order current = *storage::order_store::findHeader(c, actor.organizationId, orderId, true);
    bool succeeded = false;
    if (result) {
      const auto body = parseJsonObject(*result);
      succeeded = body->optValue<std::string>("status", "") == "succeeded";
      payment.providerReference = body->optValue<std::string>("provider_reference", "");
      if (body->has("provider_data")) payment.providerDataJson = toJsonText(body->get("provider_data"));
      if (!succeeded) {
        const auto gatewayError = body->getObject("gateway_error");
        payment.failureReason = gatewayError ? gatewayError->optValue<std::string>("message", "declined by the gateway")
                                             : std::string("declined by the gateway");
      }
    } else {
      payment.failureReason = result.error().message;
    }
    payment.status = succeeded ? "succeeded" : "failed";
    storage::order_store::updatePayment(c, current.organizationId, payment, now);
    if (succeeded) {
      current.paidMinor += payment.amountMinor;
      storage::outbox_store::append(c, current.organizationId, "payment.succeeded", paymentEventData(current, payment), now);
      if (current.paidMinor >= current.totalMinor) {
        if (auto ok = applyOrderAction(c, current, domain::OrderAction::PaymentSucceeded, actor.label(),
                                       payment.id + " " + request.paymentMethod, now);
            !ok) {
          return ok.error();
        }
        if (current.reservationId) {
          if (auto confirmed = inventory_.confirm(c, current.organizationId, *current.reservationId, now); !confirmed) {
            return confirmed.error();
          }
        }
      } else {
        current.updatedAtMs = now;
        if (!storage::order_store::update(c, current)) return Error::conflict("order changed meanwhile");
        domain::TimelineEntry entry{0, now, actor.label(), "payment_recorded", std::nullopt, std::nullopt,
                                    payment.id + " paid " + domain::formatMajorUnits(payment.amountMinor, payment.currency)};
        storage::order_store::appendTimeline(c, current.organizationId, current.id, entry);
      }
    } else {
      storage::outbox_store::append(c, current.organizationId, "payment.failed", paymentEventData(current, payment), now);
      current.paymentFailedAtMs = now;
      if (auto ok = applyOrderAction(c, current, domain::OrderAction::PaymentFailed, actor.label(),
                                     payment.failureReason.value_or(""), now);
          !ok) {
        return ok.error();
      }
    }
    tx.commit();
    cache_.erase(orderCacheKey(actor.organizationId, orderId));
    if (!succeeded && !result && result.error().code != ErrorCode::Unprocessable &&
        result.error().code != ErrorCode::InvalidArgument) {
      return result.error();
    }
    return readBack(c, actor, orderId);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<int> OrderService::cancelClaimed(
    const std::string& job,
    const std::function<std::vector<std::pair<std::string, std::string>>(storage::Connection&, int64_t)>& claim) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    const int64_t now = clock_();
    storage::Transaction tx(c);
    int cancelled = 0;
    std::vector<domain::Payment> toRefund;
    const auto claimed = claim(c, now);
    for (const auto& [org, id] : claimed) {
      auto order = storage::order_store::findHeader(c, org, id, false);
      if (!order) continue;
      if (cancelLocked(c, *order, "system:" + job, job == "reservation-expiry" ? "reservation expired" : "payment not retried in time",
                       now, toRefund)) {
        ++cancelled;
      }
    }
    tx.commit();
    for (const auto& [org, id] : claimed) cache_.erase(orderCacheKey(org, id));
    return cancelled;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
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
