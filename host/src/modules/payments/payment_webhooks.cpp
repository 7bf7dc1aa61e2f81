// Provider webhooks: verified by the plugin, deduplicated by the inbox, applied once.
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

Result<std::optional<std::pair<std::string, std::string>>> PaymentService::applyEvent(
    storage::Connection& c, const std::string& org, const std::string& instanceId, const plugins::WebhookEvent& event,
    int64_t now, std::vector<domain::Payment>& refundAfterCommit) {
  using Completion = std::optional<std::pair<std::string, std::string>>;
  const std::string& type = event.type;
  const std::string& reference = event.providerReference;
  const std::string actor = "system:webhook";
  const auto unlocked = storage::payment_store::findByReference(c, org, instanceId, reference, false);
  if (!unlocked) {
    logging::warn("webhook event for an unknown payment", {{"organization_id", org},
                                                           {"instance_id", instanceId},
                                                           {"event_type", type},
                                                           {"provider_reference", reference}});
    return Completion{};
  }
  auto order = storage::order_store::findHeader(c, org, unlocked->orderId, true);
  auto payment = storage::payment_store::find(c, org, unlocked->id, true);
  if (!order || !payment) return Completion{};
  const int64_t amount = event.amountMinor;
  if (type == "checkout.approved") return Completion{std::make_pair(order->id, payment->id)};
  if (type == "payment.refunded") {
    if (auto applied = applyRefundEvent(c, org, event, *order, *payment, amount, now, actor); !applied) {
      return applied.error();
    }
    return Completion{};
  }
  if (type == "payment.disputed") {
    Object::Ptr data =
        parseJsonObject(paymentEventData(*order, *payment, amount > 0 ? amount : payment->capturedMinor));
    storage::outbox_store::append(c, org, events::kPaymentDisputed, toJsonText(data), now);
    timeline(c, *order, actor, "payment_disputed",
             payment->id + ": the customer disputed " +
                 formatted(amount > 0 ? amount : payment->capturedMinor, payment->currency),
             now);
    return Completion{};
  }
  std::optional<PaymentStatus> next;
  if (type == "payment.succeeded") next = PaymentStatus::Captured;
  if (type == "payment.failed") next = PaymentStatus::Failed;
  if (type == "payment.canceled") next = PaymentStatus::Cancelled;
  if (type == "payment.requires_action") next = PaymentStatus::RequiresAction;
  if (!next) return Completion{};
  if (*next == PaymentStatus::Captured && payment->status != PaymentStatus::Captured &&
      domain::canMove(payment->status, PaymentStatus::Captured)) {
    payment->capturedMinor = amount > 0 ? amount : payment->amountMinor;
  }
  if (*next == PaymentStatus::Failed) {
    if (event.gatewayError) {
      payment->failureReason =
          event.gatewayError->message.value_or("declined") + " (" + event.gatewayError->code.value_or("declined") + ")";
    }
  }
  bool refundLater = false;
  if (auto moved = movePayment(c, *order, *payment, *next, actor, now, refundLater); !moved) return moved.error();
  if (domain::isFinal(payment->status) || domain::securesFunds(payment->status)) payment->nextSyncAtMs.reset();
  payment->updatedAtMs = now;
  if (!storage::payment_store::update(c, org, *payment)) return Error::conflict("payment changed meanwhile; retry");
  if (refundLater) refundAfterCommit.push_back(*payment);
  cache_.erase(orderCacheKey(org, order->id));
  return Completion{};
}

namespace payment_detail {

std::optional<domain::Refund> reportedRefund(storage::Connection& c, const std::string& org, const std::string& orderId,
                                             const std::string& paymentId, const std::string& refundReference,
                                             int64_t amount) {
  std::optional<domain::Refund> refund;
  if (!refundReference.empty()) {
    refund = storage::payment_store::findRefundByReference(c, org, paymentId, refundReference);
  }
  if (!refund) {
    // The webhook can overtake the answer to our own refund call (its reference is not
    // stored yet): a refund of ours still in flight for this amount is the one reported.
    for (const auto& own : storage::payment_store::listRefundsForOrder(c, org, orderId)) {
      const bool inFlight = own.status == domain::RefundStatus::Pending || own.status == domain::RefundStatus::Unknown;
      if (own.paymentId == paymentId && inFlight && (amount <= 0 || own.amountMinor == amount)) {
        refund = storage::payment_store::findRefund(c, org, own.id, true);
        break;
      }
    }
  }
  return refund;
}

}  // namespace payment_detail

Status PaymentService::applyRefundEvent(storage::Connection& c, const std::string& org,
                                        const plugins::WebhookEvent& event, domain::Order& order,
                                        domain::Payment& payment, int64_t amount, int64_t now,
                                        const std::string& actor) {
  const std::string& refundReference = event.refundReference;
  std::optional<domain::Refund> refund = reportedRefund(c, org, order.id, payment.id, refundReference, amount);
  if (refund && (refund->status == domain::RefundStatus::Succeeded || refund->status == domain::RefundStatus::Failed)) {
    return Status::ok();  // already settled by the refund call's own answer
  }
  if (!refund) {
    // A refund made at the provider (its dashboard): recorded as it is reported.
    domain::Refund made;
    made.id = newId("ref");
    made.orderId = order.id;
    made.paymentId = payment.id;
    made.amountMinor = amount > 0 ? std::min(amount, payment.refundableMinor()) : payment.refundableMinor();
    made.currency = payment.currency;
    made.reason = "refunded at the provider";
    if (!refundReference.empty()) made.providerReference = refundReference;
    made.createdAtMs = now;
    made.updatedAtMs = now;
    if (made.amountMinor <= 0) return Status::ok();
    storage::payment_store::insertRefund(c, org, made);
    refund = made;
  }
  refund->status = domain::RefundStatus::Succeeded;
  refund->nextSyncAtMs.reset();
  refund->updatedAtMs = now;
  if (!refundReference.empty()) refund->providerReference = refundReference;
  storage::payment_store::updateRefund(c, org, *refund);
  payment.refundedMinor += refund->amountMinor;
  payment.status =
      payment.refundedMinor >= payment.capturedMinor ? PaymentStatus::Refunded : PaymentStatus::PartiallyRefunded;
  payment.updatedAtMs = now;
  if (!storage::payment_store::update(c, org, payment)) return Error::conflict("payment changed meanwhile; retry");
  order.refundedMinor += refund->amountMinor;
  if (auto saved = saveOrder(c, order, now); !saved) return saved.error();
  Object::Ptr data = parseJsonObject(paymentEventData(order, payment, refund->amountMinor));
  data->set("refund_id", refund->id);
  storage::outbox_store::append(c, org, events::kPaymentRefunded, toJsonText(data), now);
  timeline(c, order, actor, "payment_refunded",
           payment.id + " refunded " + formatted(refund->amountMinor, refund->currency) + " (" + refund->id + ")", now);
  return Status::ok();
}

Result<std::string> PaymentService::verifyWebhook(const std::string& organizationId, const std::string& instanceId,
                                                  const WebhookDelivery& delivery) {
  Object::Ptr raw = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  raw->set("method", delivery.method);
  raw->set("path", delivery.path);
  if (!delivery.query.empty()) raw->set("query", delivery.query);
  Poco::JSON::Array::Ptr headers = new Poco::JSON::Array;
  for (const auto& [name, value] : delivery.headers) {
    Object::Ptr header = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    header->set("name", name);
    header->set("value", value);
    headers->add(header);
  }
  raw->set("headers", headers);
  raw->set("body_base64", plugins::encodeBase64(delivery.body));
  auto verified = plugins_.call(organizationId, instanceId, "payment.webhook_verify_and_parse", toJsonText(raw),
                                delivery.requestId, "");
  if (verified) return *verified;
  const std::string& why = verified.error().message;
  if (why.find("webhook.signature_invalid") != std::string::npos || why.find("webhook.stale") != std::string::npos) {
    logging::warn("webhook refused", {{"organization_id", organizationId},
                                      {"instance_id", instanceId},
                                      {"request_id", delivery.requestId},
                                      {"reason", why}});
    return Error::unauthenticated(why.find("webhook.stale") != std::string::npos
                                      ? "webhook timestamp outside the tolerance"
                                      : "webhook signature does not verify");
  }
  if (verified.error().code == ErrorCode::Unprocessable) {
    return Error::invalidArgument("webhook not understood: " + why);
  }
  return Error::unavailable("webhook could not be verified now; retry: " + why);
}

Result<WebhookAck> PaymentService::handleWebhook(const std::string& organizationId, const std::string& instanceId,
                                                 const WebhookDelivery& delivery) {
  const auto instances = plugins_.activeInstances(organizationId, "payment");
  if (std::find(instances.begin(), instances.end(), instanceId) == instances.end()) {
    return Error::notFound("no payment instance " + instanceId + " for organization " + organizationId);
  }
  if (!plugins_.supports(organizationId, instanceId, "payment.webhook_verify_and_parse")) {
    return Error::notFound("payment instance " + instanceId + " takes no webhooks");
  }
  auto verified = verifyWebhook(organizationId, instanceId, delivery);
  if (!verified) return verified.error();
  auto verdict = plugins::readWebhookVerdict(*verified);
  if (!verdict) return verdict.error();
  const std::string& eventId = verdict->eventId;
  WebhookAck ack;
  if (verdict->ack) {
    ack.status = verdict->ack->status;
    ack.body = verdict->ack->body;
    ack.mediaType = verdict->ack->mediaType.value_or(ack.mediaType);
  }
  std::string types;
  for (const auto& event : verdict->events) types += (types.empty() ? "" : ",") + event.type;
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  std::vector<std::pair<std::string, std::string>> completions;
  std::vector<domain::Payment> refunds;
  try {
    storage::Transaction tx(c);
    const int64_t now = clock_();
    // The inbox row and the effects commit together: a redelivery finds the row and
    // changes nothing; a concurrent one waits on it and then finds it.
    if (!storage::payment_store::recordWebhookEvent(c, organizationId, instanceId, eventId, types, now)) {
      ack.duplicate = true;
      return ack;
    }
    for (const auto& event : verdict->events) {
      auto applied = applyEvent(c, organizationId, instanceId, event, now, refunds);
      if (!applied) return applied.error();
      if (*applied) completions.push_back(**applied);
      ++ack.eventsApplied;
    }
    tx.commit();
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
  const Actor system = Actor::system(organizationId, "webhook");
  for (const auto& [orderId, paymentId] : completions) {
    auto completed = complete(held, organizationId, system, orderId, paymentId, delivery.requestId);
    if (!completed)
      logging::warn("completing an approved payment failed",
                    {{"payment_id", paymentId}, {"reason", completed.error().message}});
  }
  held.release();  // each refund takes its own connection: never two at once
  for (const auto& payment : refunds) {
    refundCapturedPayment(organizationId, payment.orderId, payment, "system:webhook", "payment after cancellation");
  }
  return ack;
}

}  // namespace ordersvc::services
