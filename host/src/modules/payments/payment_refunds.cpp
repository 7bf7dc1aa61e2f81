// Refunds: recorded first, then asked of the gateway; cancellations settle through here.
#include "modules/payments/payment_service.h"
#include "modules/payments/payment_service_internal.h"

#include <algorithm>
#include <map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "domain/money.h"
#include "kernel/event_types.h"
#include "kernel/ids.h"
#include "kernel/json_util.h"
#include "modules/orders/order_events.h"
#include "modules/orders/order_store.h"
#include "modules/payments/payment_store.h"
#include "platform/integrations/cache_keys.h"
#include "platform/logging/log.h"
#include "platform/plugins/base64_text.h"
#include "platform/storage/outbox_store.h"
#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::services {

using domain::GatewayOperation;
using domain::PaymentStatus;
using Poco::JSON::Object;
using namespace payment_detail;

Result<std::vector<std::string>> PaymentService::recordRefunds(storage::Connection& c, const domain::Order& order,
                                                               int64_t amountMinor, const std::string& reason,
                                                               const std::optional<std::string>& itemsJson,
                                                               int64_t now) {
  const std::string org = order.organizationId;
  auto payments = storage::payment_store::listForOrder(c, org, order.id);
  // Refunds still in flight already speak for part of what a payment can return.
  std::map<std::string, int64_t> inFlight;
  for (const auto& refund : storage::payment_store::listRefundsForOrder(c, org, order.id)) {
    if (refund.status == domain::RefundStatus::Pending || refund.status == domain::RefundStatus::Unknown) {
      inFlight[refund.paymentId] += refund.amountMinor;
    }
  }
  int64_t refundable = 0;
  for (const auto& payment : payments) {
    if (payment.status == PaymentStatus::Captured || payment.status == PaymentStatus::PartiallyRefunded) {
      refundable += payment.refundableMinor() - inFlight[payment.id];
    }
  }
  if (amountMinor > refundable) {
    return Error::unprocessable(
        "refund " + formatted(amountMinor, order.currency) + " is more than what can be refunded: " +
        formatted(std::max<int64_t>(refundable, 0), order.currency) + " captured and not yet refunded");
  }
  std::vector<std::string> ids;
  int64_t left = amountMinor;
  for (auto it = payments.rbegin(); it != payments.rend() && left > 0; ++it) {
    if (it->status != PaymentStatus::Captured && it->status != PaymentStatus::PartiallyRefunded) continue;
    const int64_t take = std::min(left, it->refundableMinor() - inFlight[it->id]);
    if (take <= 0) continue;
    domain::Refund refund;
    refund.id = newId("ref");
    refund.orderId = order.id;
    refund.paymentId = it->id;
    refund.amountMinor = take;
    refund.currency = it->currency;
    refund.reason = reason.empty() ? "requested" : reason;
    refund.itemsJson = itemsJson;
    refund.nextSyncAtMs = now + kLeaseMs;  // if this process dies mid-call, reconciliation asks the gateway
    refund.createdAtMs = now;
    refund.updatedAtMs = now;
    storage::payment_store::insertRefund(c, org, refund);
    ids.push_back(refund.id);
    left -= take;
  }
  return ids;
}

Result<domain::Refund> PaymentService::applyRefundAnswer(storage::Connection& c, const std::string& org,
                                                         const std::string& refundId, const GatewayAnswer& answer,
                                                         const std::string& actor) {
  const auto unlocked = storage::payment_store::findRefund(c, org, refundId, false);
  if (!unlocked) return Error::notFound("refund " + refundId + " not found");
  const int64_t now = clock_();
  storage::Transaction tx(c);
  auto order = storage::order_store::findHeader(c, org, unlocked->orderId, true);
  auto payment = storage::payment_store::find(c, org, unlocked->paymentId, true);
  auto refund = storage::payment_store::findRefund(c, org, refundId, true);
  if (!order || !payment || !refund) return Error::notFound("refund " + refundId + " not found");
  if (refund->status == domain::RefundStatus::Succeeded || refund->status == domain::RefundStatus::Failed) {
    return *refund;  // settled by someone else (a webhook, another sync)
  }
  using domain::GatewayResult;
  const GatewayResult status = answer.result;
  refund->updatedAtMs = now;
  if (answer.answered) {
    if (answer.providerReference) refund->providerReference = answer.providerReference;
    if (answer.providerDataJson) {
      auto box = sealed(org, refund->id, *answer.providerDataJson);
      if (!box) return box.error();
      refund->providerDataJson = *box;
    }
    if (answer.gatewayError) refund->failureReason = answer.gatewayError->message.value_or("refused by the gateway");
  }
  if (status == GatewayResult::Succeeded) {
    refund->status = domain::RefundStatus::Succeeded;
    refund->nextSyncAtMs.reset();
    payment->refundedMinor += refund->amountMinor;
    payment->status =
        payment->refundedMinor >= payment->capturedMinor ? PaymentStatus::Refunded : PaymentStatus::PartiallyRefunded;
    payment->updatedAtMs = now;
    if (!storage::payment_store::update(c, org, *payment)) return Error::conflict("payment changed meanwhile; retry");
    order->refundedMinor += refund->amountMinor;
    if (auto saved = saveOrder(c, *order, now); !saved) return saved.error();
    Object::Ptr data = parseJsonObject(paymentEventData(*order, *payment, refund->amountMinor));
    data->set("refund_id", refund->id);
    data->set("reason", refund->reason);
    storage::outbox_store::append(c, org, events::kPaymentRefunded, toJsonText(data), now);
    timeline(c, *order, actor, "payment_refunded",
             payment->id + " refunded " + formatted(refund->amountMinor, refund->currency) + " (" + refund->id + ")",
             now);
  } else if (status == GatewayResult::Pending || status == GatewayResult::Unknown) {
    refund->status = status == GatewayResult::Pending ? domain::RefundStatus::Pending : domain::RefundStatus::Unknown;
    refund->nextSyncAtMs = now + syncDelayMs(refund->syncAttempts);
  } else {
    refund->status = domain::RefundStatus::Failed;
    refund->nextSyncAtMs.reset();
    if (!refund->failureReason) {
      refund->failureReason = answer.answered ? "refused by the gateway" : answer.error.message;
    }
    timeline(c, *order, actor, "refund_failed", refund->id + " of " + payment->id + ": " + *refund->failureReason, now);
  }
  storage::payment_store::updateRefund(c, org, *refund);
  tx.commit();
  cache_.erase(orderCacheKey(org, order->id));
  return *refund;
}

Result<domain::Refund> PaymentService::runRefund(storage::HeldConnection& held, const std::string& org,
                                                 const std::string& refundId, const std::string& actor,
                                                 const std::string& requestId) {
  auto refund = storage::payment_store::findRefund(*held, org, refundId, false);
  if (!refund) return Error::notFound("refund " + refundId + " not found");
  auto payment = storage::payment_store::find(*held, org, refund->paymentId, false);
  if (!payment) return paymentNotFound(refund->paymentId);
  Object::Ptr body = new Object;
  body->set("payment_id", payment->id);
  body->set("refund_id", refund->id);
  body->set("amount", money(refund->amountMinor, refund->currency));
  body->set("captured_amount", money(payment->capturedMinor, payment->currency));
  body->set("refunded_amount", money(payment->refundedMinor, payment->currency));
  body->set("reason", refund->reason);
  body->set("provider_reference", payment->providerReference.value_or(payment->id));
  body->set("provider_data", parseJsonObject(providerData(org, payment->id, payment->providerDataJson)));
  held.release();
  const GatewayAnswer answer =
      callGateway(org, payment->instanceId, "payment.refund", toJsonText(body), requestId, refund->id);
  if (auto back = held.acquire(); !back) return back.error();
  return applyRefundAnswer(*held, org, refundId, answer, actor);
}

Result<domain::Order> PaymentService::refund(const Actor& actor, const std::string& orderId,
                                             const RefundRequest& request) {
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  try {
    std::vector<std::string> refundIds;
    {
      storage::Transaction tx(c);
      auto found = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      if (!found || !visibleTo(actor, *found)) return orderNotFound(orderId);
      auto order = storage::order_store::findFull(c, actor.organizationId, orderId);
      if (order) loadPaymentsInto(c, *order);
      int64_t amount = 0;
      std::optional<std::string> itemsJson;
      if (!request.items.empty()) {
        // By items: each line's share of what the customer paid for it, never more of a
        // line than was bought less what earlier refunds returned.
        std::map<int, int64_t> refundedQuantity;
        for (const auto& earlier : order->refunds) {
          if (earlier.status == domain::RefundStatus::Failed || !earlier.itemsJson) continue;
          auto lines = Poco::JSON::Parser().parse(*earlier.itemsJson).extract<Poco::JSON::Array::Ptr>();
          for (std::size_t i = 0; i < lines->size(); ++i) {
            auto line = lines->getObject(static_cast<unsigned>(i));
            refundedQuantity[line->getValue<int>("line_no")] += line->getValue<int64_t>("quantity");
          }
        }
        Poco::JSON::Array::Ptr lines = new Poco::JSON::Array;
        for (const auto& [lineNo, quantity] : request.items) {
          auto item = std::find_if(order->items.begin(), order->items.end(),
                                   [lineNo = lineNo](const domain::OrderItem& i) { return i.lineNo == lineNo; });
          if (item == order->items.end())
            return Error::invalidArgument("items: order has no line " + std::to_string(lineNo));
          const int64_t left = item->quantity - refundedQuantity[lineNo];
          if (quantity <= 0 || quantity > left) {
            return Error::unprocessable("line " + std::to_string(lineNo) + " (" + item->sku +
                                        "): " + std::to_string(quantity) + " requested, " + std::to_string(left) +
                                        " left to refund");
          }
          refundedQuantity[lineNo] += quantity;
          // The line's total includes its discount and tax; a share of it, rounded down
          // except for the last unit, so whole lines refund exactly what was paid.
          amount += quantity == left ? item->totalMinor - (item->totalMinor * (item->quantity - left)) / item->quantity
                                     : (item->totalMinor * quantity) / item->quantity;
          Object::Ptr line = new Object;
          line->set("line_no", lineNo);
          line->set("quantity", quantity);
          lines->add(line);
        }
        itemsJson = toJsonText(lines);
      } else if (request.amountMinor) {
        amount = *request.amountMinor;
      } else {
        return Error::invalidArgument("amount or items: one is required");
      }
      if (amount <= 0) return Error::invalidArgument("amount: must be more than 0");
      auto recorded = recordRefunds(c, *order, amount, request.reason, itemsJson, clock_());
      if (!recorded) return recorded.error();
      refundIds = *recorded;
      tx.commit();
    }
    std::string failures;
    int succeededOrPending = 0;
    for (const auto& id : refundIds) {
      auto done = runRefund(held, actor.organizationId, id, actor.label(), request.requestId);
      if (!done) return done.error();
      if (done->status == domain::RefundStatus::Failed) {
        failures += (failures.empty() ? "" : "; ") + done->failureReason.value_or("refused");
      } else {
        ++succeededOrPending;
      }
    }
    if (succeededOrPending == 0) {
      return Error::unprocessable("the gateway refused the refund: " + failures);
    }
    return readOrder(c, actor, orderId);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

void PaymentService::refundCapturedPayment(const std::string& org, const std::string& orderId,
                                           const domain::Payment& payment, const std::string& actor,
                                           const std::string& reason) {
  storage::HeldConnection held(database_);
  if (!held.acquire()) return;
  try {
    std::vector<std::string> ids;
    {
      storage::Transaction tx(*held);
      auto order = storage::order_store::findHeader(*held, org, orderId, true);
      if (!order) return;
      auto current = storage::payment_store::find(*held, org, payment.id, true);
      if (!current || current->refundableMinor() <= 0) return;
      // Only this payment: the whole of what it can still return.
      int64_t inFlight = 0;
      for (const auto& refund : storage::payment_store::listRefundsForOrder(*held, org, orderId)) {
        if (refund.paymentId == payment.id &&
            (refund.status == domain::RefundStatus::Pending || refund.status == domain::RefundStatus::Unknown)) {
          inFlight += refund.amountMinor;
        }
      }
      const int64_t amount = current->refundableMinor() - inFlight;
      if (amount <= 0) return;
      const int64_t now = clock_();
      domain::Refund refund;
      refund.id = newId("ref");
      refund.orderId = orderId;
      refund.paymentId = payment.id;
      refund.amountMinor = amount;
      refund.currency = current->currency;
      refund.reason = reason;
      refund.nextSyncAtMs = now + kLeaseMs;
      refund.createdAtMs = now;
      refund.updatedAtMs = now;
      storage::payment_store::insertRefund(*held, org, refund);
      ids.push_back(refund.id);
      tx.commit();
    }
    for (const auto& id : ids) {
      // The outcome is the refund's own record (and reconciliation repeats an unknown one).
      if (auto ran = runRefund(held, org, id, actor, ""); !ran) {
        logging::warn("refund after cancellation not completed", {{"refund_id", id}, {"reason", ran.error().message}});
      }
    }
  } catch (const std::exception& e) {
    logging::error("refund after cancellation not recorded", {{"payment_id", payment.id}, {"reason", e.what()}});
  }
}

void PaymentService::settleCancelledOrder(const std::string& organizationId, const std::string& orderId,
                                          const std::string& actor, const std::string& reason) {
  std::vector<domain::Payment> payments;
  {
    auto connection = database_.acquire();
    if (!connection) return;
    payments = storage::payment_store::listForOrder(*connection, organizationId, orderId);
  }
  const Actor system = Actor::system(organizationId, "cancellation");
  for (const auto& payment : payments) {
    if (payment.status == PaymentStatus::Captured || payment.status == PaymentStatus::PartiallyRefunded) {
      refundCapturedPayment(organizationId, orderId, payment, actor, reason.empty() ? "order cancelled" : reason);
    } else if (payment.status == PaymentStatus::Authorized || payment.status == PaymentStatus::RequiresAction) {
      // Release the reserved funds, or close the customer's session so it cannot be paid.
      if (!plugins_.supports(organizationId, payment.instanceId, "payment.void")) continue;
      storage::HeldConnection held(database_);
      if (!held.acquire()) return;
      Object::Ptr body = new Object;
      body->set("payment_id", payment.id);
      body->set("authorized_amount", money(payment.amountMinor, payment.currency));
      body->set("reason", reason.empty() ? "order cancelled" : reason);
      body->set("provider_reference", payment.providerReference.value_or(payment.id));
      body->set("provider_data", parseJsonObject(providerData(organizationId, payment.id, payment.providerDataJson)));
      auto voided = callAndApply(held, system, orderId, payment.id, GatewayOperation::Void, toJsonText(body), "",
                                 "void-" + payment.id);
      if (!voided)
        logging::warn("void after cancellation failed",
                      {{"payment_id", payment.id}, {"reason", voided.error().message}});
    }
  }
}

}  // namespace ordersvc::services
