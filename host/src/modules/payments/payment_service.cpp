#include "modules/payments/payment_service.h"

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
#include "modules/payments/payment_service_internal.h"
#include "modules/payments/payment_store.h"
#include "platform/integrations/cache_keys.h"
#include "platform/logging/log.h"
#include "platform/plugins/base64_text.h"
#include "platform/storage/outbox_store.h"
#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"
#include "platform/storage/unit_of_work.h"

namespace ordersvc::services {

using domain::GatewayOperation;
using domain::PaymentStatus;
using Poco::JSON::Object;
using namespace payment_detail;

namespace payment_detail {

Error orderNotFound(const std::string& id) {
  return Error::notFound("order " + id + " not found");
}
Error paymentNotFound(const std::string& id) {
  return Error::notFound("payment " + id + " not found");
}

bool visibleTo(const Actor& actor, const domain::Order& order) {
  if (actor.staff) return true;
  return !actor.subject.empty() && order.customerId && *order.customerId == actor.subject;
}

Object::Ptr money(int64_t minor, const std::string& currency) {
  Object::Ptr m = new Object;
  m->set("value", minor);
  m->set("currency", currency);
  return m;
}

std::string statusName(PaymentStatus status) {
  return std::string(domain::paymentStatusName(status));
}

std::string paymentEventData(const domain::Order& order, const domain::Payment& payment, int64_t amountMinor) {
  Object::Ptr data = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  data->set("payment_id", payment.id);
  data->set("order_id", order.id);
  data->set("order_number", order.orderNumber);
  data->set("payment_method", payment.paymentMethod);
  data->set("instance_id", payment.instanceId);
  data->set("status", statusName(payment.status));
  data->set("amount_minor", amountMinor);
  data->set("captured_minor", payment.capturedMinor);
  data->set("refunded_minor", payment.refundedMinor);
  data->set("currency", payment.currency);
  if (payment.failureReason) data->set("failure_reason", *payment.failureReason);
  return toJsonText(data);
}

void timeline(storage::Connection& c, const domain::Order& order, const std::string& actor, const std::string& action,
              const std::string& note, int64_t now) {
  domain::TimelineEntry entry;
  entry.atMs = now;
  entry.actor = actor;
  entry.action = action;
  entry.note = note;
  storage::order_store::appendTimeline(c, order.organizationId, order.id, entry);
}

Status saveOrder(storage::Connection& c, domain::Order& order, int64_t now) {
  order.updatedAtMs = now;
  if (!storage::order_store::update(c, order))
    return Error::conflict("order " + order.orderNumber + " changed meanwhile; retry");
  order.version += 1;
  return Status::ok();
}

std::string formatted(int64_t minor, const std::string& currency) {
  return domain::formatMajorUnits(minor, currency) + " " + currency;
}

int64_t syncDelayMs(int attempts) {
  int64_t delay = kFirstSyncDelayMs;
  for (int i = 0; i < attempts && delay < kMaxSyncDelayMs; ++i) delay *= 2;
  return std::min(delay, kMaxSyncDelayMs);
}

void scheduleNextSync(domain::Payment& payment, int64_t now) {
  // Not known yet: reconciliation asks the gateway later.
  if (payment.status == PaymentStatus::Unknown || payment.status == PaymentStatus::Pending) {
    payment.nextSyncAtMs = now + syncDelayMs(payment.syncAttempts);
  } else if (payment.status == PaymentStatus::RequiresAction) {
    payment.nextSyncAtMs = now + kActionSyncDelayMs;
  } else {
    payment.nextSyncAtMs.reset();
  }
}

domain::Payment newPayment(const domain::Order& order, const std::string& instanceId, const PaymentRequest& request,
                           int64_t now) {
  domain::Payment payment;
  payment.id = newId("pay");
  payment.orderId = order.id;
  payment.instanceId = instanceId;
  payment.paymentMethod = request.paymentMethod;
  payment.amountMinor = request.amountMinor;
  payment.currency = request.currency;
  payment.captureMode = request.captureMode;
  payment.createdAtMs = now;
  payment.updatedAtMs = now;
  return payment;
}

FraudNotes fraudNotes(const FraudVerdict& verdict) {
  FraudNotes notes;
  notes.reasons = new Poco::JSON::Array;
  for (const auto& [code, message] : verdict.reasons) {
    Object::Ptr reason = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    reason->set("code", code);
    reason->set("message", message);
    notes.reasons->add(reason);
    notes.text += (notes.text.empty() ? "" : "; ") + message;
  }
  return notes;
}

Error fraudRefusal(const std::string& paymentId, const FraudNotes& notes) {
  Error error{ErrorCode::Unprocessable, "payment refused by fraud rules: " + notes.text};
  Object::Ptr details = new Object;
  details->set("payment_id", paymentId);
  details->set("reasons", notes.reasons);
  error.detailsJson = toJsonText(details);
  return error;
}

std::string payRequestJson(const domain::Order& order, const domain::Payment& payment, const PaymentRequest& request,
                           GatewayOperation operation) {
  Object::Ptr body = new Object;
  body->set("payment_id", payment.id);
  body->set("order_id", order.id);
  body->set("amount", money(payment.amountMinor, payment.currency));
  if (operation == GatewayOperation::CreateSession) {
    body->set("capture", std::string(domain::captureModeName(payment.captureMode)));
    if (request.returnUrl) body->set("return_url", *request.returnUrl);
  } else {
    if (request.amountTenderedMinor && operation == GatewayOperation::Sale) {
      body->set("amount_tendered", money(*request.amountTenderedMinor, payment.currency));
    } else if (operation == GatewayOperation::Sale && request.paymentMethod.rfind("cash", 0) == 0) {
      body->set("amount_tendered", money(payment.amountMinor, payment.currency));
    }
    Object::Ptr method = new Object;
    method->set("type", request.paymentMethodId ? "card" : "cash");
    if (request.paymentMethodId) method->set("token", *request.paymentMethodId);
    body->set("payment_method", method);
    if (request.returnUrl) body->set("return_url", *request.returnUrl);
  }
  if (request.metadataJson) body->set("metadata", parseJsonObject(*request.metadataJson));
  if (order.customerId || order.email) {
    Object::Ptr customer = new Object;
    if (order.customerId) customer->set("id", *order.customerId);
    if (order.email) customer->set("email", *order.email);
    body->set("customer", customer);
  }
  return toJsonText(body);
}

}  // namespace payment_detail

Result<std::string> PaymentService::resolveInstance(const std::string& organizationId,
                                                    const std::string& method) const {
  // The instance of that id, or the only one whose id starts with it ("cash" -> "cash-store-1").
  std::string instance;
  for (const auto& id : plugins_.activeInstances(organizationId, "payment")) {
    if (id == method) return id;
    if (instance.empty() && id.rfind(method, 0) == 0) instance = id;
  }
  if (instance.empty()) {
    return Error::unprocessable("payment method " + method + " is not enabled for this organization");
  }
  return instance;
}

Result<std::string> PaymentService::sealed(const std::string& org, const std::string& ownerId,
                                           const std::optional<std::string>& json) const {
  if (!json) return std::string();
  return vault_.seal(org, ownerId, *json);
}

std::string PaymentService::providerData(const std::string& org, const std::string& ownerId,
                                         const std::optional<std::string>& stored) const {
  if (!stored || stored->empty()) return "{}";
  auto opened = vault_.open(org, ownerId, *stored);
  if (!opened) {
    logging::error("payment provider_data does not decrypt", {{"organization_id", org}, {"owner_id", ownerId}});
    return "{}";
  }
  return *opened;
}

PaymentService::GatewayAnswer PaymentService::callGateway(const std::string& org, const std::string& instanceId,
                                                          const std::string& operation, const std::string& requestJson,
                                                          const std::string& requestId,
                                                          const std::string& idempotencyKey) {
  auto result = plugins_.call(org, instanceId, operation, requestJson, requestId, idempotencyKey);
  if (!result) {
    logging::warn("payment gateway call failed", {{"organization_id", org},
                                                  {"instance_id", instanceId},
                                                  {"operation", operation},
                                                  {"request_id", requestId},
                                                  {"reason", result.error().message}});
  }
  return plugins::readPaymentAnswer(result);
}

Result<domain::Order> PaymentService::readOrder(storage::Connection& c, const Actor& actor,
                                                const std::string& orderId) {
  auto order = storage::order_store::findFull(c, actor.organizationId, orderId);
  if (!order || !visibleTo(actor, *order)) return orderNotFound(orderId);
  loadPaymentsInto(c, *order);
  return *order;
}

void PaymentService::loadPaymentsInto(storage::Connection& connection, domain::Order& order) const {
  order.payments = storage::payment_store::listForOrder(connection, order.organizationId, order.id);
  order.refunds = storage::payment_store::listRefundsForOrder(connection, order.organizationId, order.id);
}

Result<bool> PaymentService::takeLease(storage::Connection& c, const std::string& org, domain::Payment& payment,
                                       int64_t now) {
  if (payment.leaseUntilMs && *payment.leaseUntilMs > now) return false;
  payment.leaseUntilMs = now + kLeaseMs;
  payment.updatedAtMs = now;
  if (!storage::payment_store::update(c, org, payment)) return false;
  payment.version += 1;
  return true;
}

Status PaymentService::movePayment(storage::Connection& c, domain::Order& order, domain::Payment& payment,
                                   PaymentStatus next, const std::string& actor, int64_t now, bool& refundAfterCommit) {
  const PaymentStatus previous = payment.status;
  if (previous == next) return Status::ok();
  if (!domain::canMove(previous, next)) {
    // A late or repeated report (a sync after a webhook already settled it): the first
    // word stands.
    logging::info("payment outcome ignored",
                  {{"payment_id", payment.id}, {"from", statusName(previous)}, {"to", statusName(next)}});
    return Status::ok();
  }
  payment.status = next;
  const std::string org = order.organizationId;
  const bool wasSecured = domain::securesFunds(previous);
  if (!wasSecured && domain::securesFunds(next)) {
    return recordSecuredFunds(c, order, payment, next, actor, now, refundAfterCommit);
  }
  switch (next) {
    case PaymentStatus::Captured:  // from authorized
      storage::outbox_store::append(c, org, events::kPaymentCaptured,
                                    paymentEventData(order, payment, payment.capturedMinor), now);
      timeline(c, order, actor, "payment_captured",
               payment.id + " captured " + formatted(payment.capturedMinor, payment.currency), now);
      return Status::ok();
    case PaymentStatus::Failed: {
      storage::outbox_store::append(c, org, events::kPaymentFailed,
                                    paymentEventData(order, payment, payment.amountMinor), now);
      // The fraud module works in this payment's transaction (a unit joined to it).
      if (fraud_) fraud_->recordFailure(*storage::SqlUnitOfWork::joining(c), org, payment.id);
      bool othersInFlight = false;
      for (const auto& other : storage::payment_store::listForOrder(c, org, order.id)) {
        if (other.id != payment.id && domain::isOpen(other.status)) othersInFlight = true;
      }
      if (order.status == domain::OrderStatus::PaymentPending && !othersInFlight) {
        order.paymentFailedAtMs = now;
        return applyOrderAction(c, order, domain::OrderAction::PaymentFailed, actor, payment.failureReason.value_or(""),
                                now);
      }
      timeline(c, order, actor, "payment_failed", payment.id + ": " + payment.failureReason.value_or("declined"), now);
      return Status::ok();
    }
    case PaymentStatus::Cancelled:
      if (wasSecured) {
        order.paidMinor -= payment.amountMinor;
        if (auto saved = saveOrder(c, order, now); !saved) return saved;
      }
      storage::outbox_store::append(c, org, events::kPaymentCancelled,
                                    paymentEventData(order, payment, payment.amountMinor), now);
      timeline(c, order, actor, "payment_cancelled", payment.id + " cancelled", now);
      return Status::ok();
    case PaymentStatus::Pending:
      storage::outbox_store::append(c, org, events::kPaymentPending,
                                    paymentEventData(order, payment, payment.amountMinor), now);
      return Status::ok();
    case PaymentStatus::Unknown:
      timeline(c, order, actor, "payment_unknown",
               payment.id + ": the gateway's answer is not known; reconciliation will ask it", now);
      return Status::ok();
    default:
      return Status::ok();
  }
}

Status PaymentService::recordSecuredFunds(storage::Connection& c, domain::Order& order, domain::Payment& payment,
                                          PaymentStatus next, const std::string& actor, int64_t now,
                                          bool& refundAfterCommit) {
  const std::string org = order.organizationId;
  // The part of the balance this payment settles: what was asked of the gateway.
  // (Cash rounding may take a few pesos less; capturedMinor keeps what changed hands.)
  const int64_t secured = payment.amountMinor;
  order.paidMinor += secured;
  const std::string type = next == PaymentStatus::Captured ? events::kPaymentSucceeded : events::kPaymentAuthorized;
  storage::outbox_store::append(c, org, type, paymentEventData(order, payment, secured), now);
  if (order.status == domain::OrderStatus::Cancelled) {
    // The customer paid after the order was cancelled (a webhook after the timeout):
    // the money goes back.
    refundAfterCommit = true;
    timeline(c, order, actor, "payment_after_cancellation",
             payment.id + " secured " + formatted(secured, payment.currency) +
                 " after the order was cancelled; returning it",
             now);
    return saveOrder(c, order, now);
  }
  if (order.paidMinor >= order.totalMinor) {
    if (order.status == domain::OrderStatus::Pending || order.status == domain::OrderStatus::PaymentFailed) {
      if (auto started = applyOrderAction(c, order, domain::OrderAction::StartPayment, actor, "", now); !started) {
        return started;
      }
    }
    if (order.status == domain::OrderStatus::PaymentPending) {
      if (auto ok = applyOrderAction(c, order, domain::OrderAction::PaymentSucceeded, actor,
                                     payment.id + " " + payment.paymentMethod, now);
          !ok) {
        return ok;
      }
      if (order.reservationId) {
        if (auto confirmed = inventory_.confirm(c, org, *order.reservationId, now); !confirmed) return confirmed;
      }
      return Status::ok();
    }
    return saveOrder(c, order, now);
  }
  timeline(c, order, actor, "payment_recorded",
           payment.id + " " + (next == PaymentStatus::Captured ? "paid " : "authorized ") +
               formatted(secured, payment.currency),
           now);
  return saveOrder(c, order, now);
}

Result<PaymentService::Applied> PaymentService::applyAnswer(storage::Connection& c, const std::string& org,
                                                            const std::string& paymentId, GatewayOperation operation,
                                                            const GatewayAnswer& answer, const std::string& actor) {
  const auto unlocked = storage::payment_store::find(c, org, paymentId, false);
  if (!unlocked) return paymentNotFound(paymentId);
  const int64_t now = clock_();
  storage::Transaction tx(c);
  // Order first, then payment: every writer locks in this order.
  auto order = storage::order_store::findHeader(c, org, unlocked->orderId, true);
  auto payment = storage::payment_store::find(c, org, paymentId, true);
  if (!order || !payment) return paymentNotFound(paymentId);
  Applied applied;
  payment->leaseUntilMs.reset();
  payment->updatedAtMs = now;
  using domain::GatewayResult;
  const GatewayResult result = answer.result;
  if (auto recorded = recordAnswerDetails(org, *payment, operation, answer); !recorded) return recorded.error();
  const int64_t resultAmount = answer.answered ? answer.amountMinor.value_or(0) : 0;
  auto next = domain::statusAfter(operation, result, payment->captureMode, payment->capturedMinor);
  if (!next && answer.answered && result != GatewayResult::Declined && result != GatewayResult::NotSubmitted) {
    next = PaymentStatus::Unknown;  // a status the ABI does not define: find out through sync
  }
  if (next) {
    if (*next == PaymentStatus::Captured && !domain::securesFunds(payment->status) &&
        payment->status != PaymentStatus::Captured) {
      payment->capturedMinor = resultAmount > 0 ? resultAmount : payment->amountMinor;
    } else if (*next == PaymentStatus::Captured && payment->status == PaymentStatus::Authorized) {
      payment->capturedMinor = resultAmount > 0 ? resultAmount : payment->amountMinor;
    }
    if (auto moved = movePayment(c, *order, *payment, *next, actor, now, applied.refundAfterCommit); !moved) {
      return moved.error();
    }
  } else if (!answer.answered || result == GatewayResult::Declined) {
    timeline(c, *order, actor, operation == GatewayOperation::Void ? "void_failed" : "capture_failed",
             payment->id + ": " + payment->failureReason.value_or(answer.error.message), now);
  }
  scheduleNextSync(*payment, now);
  if (!storage::payment_store::update(c, org, *payment)) return Error::conflict("payment changed meanwhile; retry");
  payment->version += 1;
  tx.commit();
  cache_.erase(orderCacheKey(org, order->id));
  applied.payment = *payment;
  return applied;
}

Status PaymentService::recordAnswerDetails(const std::string& org, domain::Payment& payment, GatewayOperation operation,
                                           const GatewayAnswer& answer) const {
  if (answer.answered) {
    if (answer.providerReference && operation != GatewayOperation::Capture) {
      payment.providerReference = answer.providerReference;
    }
    if (answer.providerDataJson) {
      auto box = sealed(org, payment.id, *answer.providerDataJson);
      if (!box) return box.error();
      payment.providerDataJson = *box;
    }
    if (answer.gatewayError) {
      payment.failureReason = answer.gatewayError->message.value_or("declined by the gateway") + " (" +
                              answer.gatewayError->code.value_or("declined") + ")";
    }
  } else if (answer.result == domain::GatewayResult::NotSubmitted) {
    payment.failureReason = "not submitted to the gateway: " + answer.error.message;
  }
  return Status::ok();
}

Result<PaymentOutcome> PaymentService::callAndApply(storage::HeldConnection& held, const Actor& actor,
                                                    const std::string& orderId, const std::string& paymentId,
                                                    GatewayOperation operation, const std::string& requestJson,
                                                    const std::string& requestId, const std::string& idempotencyKey) {
  const std::string org = actor.organizationId;
  std::string instanceId;
  {
    auto payment = storage::payment_store::find(*held, org, paymentId, false);
    if (!payment) return paymentNotFound(paymentId);
    instanceId = payment->instanceId;
  }
  static const std::map<GatewayOperation, std::string> kOperationNames = {
      {GatewayOperation::CreateSession, "payment.create_session"},
      {GatewayOperation::Sale, "payment.sale"},
      {GatewayOperation::Authorize, "payment.authorize"},
      {GatewayOperation::Capture, "payment.capture"},
      {GatewayOperation::Void, "payment.void"},
      {GatewayOperation::Sync, "payment.sync"}};
  // Outside any transaction and without a pooled connection: a gateway may take seconds.
  held.release();
  const GatewayAnswer answer =
      callGateway(org, instanceId, kOperationNames.at(operation), requestJson, requestId, idempotencyKey);
  if (auto back = held.acquire(); !back) return back.error();
  auto applied = applyAnswer(*held, org, paymentId, operation, answer, actor.label());
  if (!applied) return applied.error();
  if (applied->refundAfterCommit) {
    held.release();  // the refund takes its own connection: never two at once
    refundCapturedPayment(org, orderId, applied->payment, "system:payments", "payment after cancellation");
    if (auto back = held.acquire(); !back) return back.error();
  }
  PaymentOutcome outcome;
  auto order = readOrder(*held, actor, orderId);
  if (!order) return order.error();
  outcome.order = *order;
  outcome.payment = applied->payment;
  outcome.clientSecret = answer.clientSecret;
  outcome.nextActionJson = answer.nextActionJson;
  return outcome;
}

Result<PaymentOutcome> PaymentService::pay(const Actor& actor, const std::string& orderId,
                                           const PaymentRequest& request) {
  auto instance = resolveInstance(actor.organizationId, request.paymentMethod);
  if (!instance) return instance.error();
  if (request.amountMinor <= 0) return Error::invalidArgument("amount: must be more than 0");
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  try {
    domain::Payment payment;
    domain::Order order;
    {
      storage::Transaction tx(c);
      auto found = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      if (!found || !visibleTo(actor, *found)) return orderNotFound(orderId);
      order = *found;
      const auto failedOnOrder = checkPayable(c, order, request);
      if (!failedOnOrder) return failedOnOrder.error();
      const int64_t now = clock_();
      payment = newPayment(order, *instance, request, now);
      // Fraud rules screen what customers attempt online; staff taking a payment at the
      // counter or on the phone are the check themselves.
      if (fraud_ && !actor.staff) {
        auto verdict = screenForFraud(c, order, payment, request, *failedOnOrder, now);
        if (!verdict) return verdict.error();
        const FraudNotes notes = fraudNotes(*verdict);
        payment.fraudOutcome = verdict->outcome;
        if (!verdict->reasons.empty()) payment.fraudReasons = toJsonText(notes.reasons);
        if (verdict->outcome == "deny") {
          if (auto denied = recordFraudDenial(c, actor, order, payment, notes.text, now); !denied) {
            return denied.error();
          }
          tx.commit();
          cache_.erase(orderCacheKey(actor.organizationId, orderId));
          return fraudRefusal(payment.id, notes);
        }
        if (verdict->outcome == "review") {
          payment.status = PaymentStatus::Review;
          timeline(c, order, actor.label(), "fraud_review", payment.id + " held for review: " + notes.text, now);
        }
      }
      if (auto started = startPaymentAttempt(c, actor, order, request, now); !started) return started.error();
      if (payment.status != PaymentStatus::Review) {
        payment.leaseUntilMs = now + kLeaseMs;
        payment.nextSyncAtMs = now + kLeaseMs;  // if this process dies mid-call, reconciliation takes over
      }
      storage::payment_store::insert(c, order.organizationId, payment);
      storage::outbox_store::append(
          c, order.organizationId,
          payment.status == PaymentStatus::Review ? events::kPaymentReview : events::kPaymentPending,
          paymentEventData(order, payment, payment.amountMinor), now);
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    }
    if (payment.status == PaymentStatus::Review) return knownOutcome(c, actor, orderId, payment);
    const GatewayOperation operation = firstOperation(actor.organizationId, payment, request);
    return callAndApply(held, actor, orderId, payment.id, operation, payRequestJson(order, payment, request, operation),
                        request.requestId, payment.id);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<int> PaymentService::checkPayable(storage::Connection& c, const domain::Order& order,
                                         const PaymentRequest& request) const {
  if (order.status != domain::OrderStatus::Pending && order.status != domain::OrderStatus::PaymentPending &&
      order.status != domain::OrderStatus::PaymentFailed) {
    return transitionRefused(order, domain::OrderAction::StartPayment);
  }
  if (request.currency != order.currency) {
    return Error::unprocessable("currency " + request.currency + " does not match the order's " + order.currency);
  }
  // Split tender: payments still in flight already speak for part of the balance.
  int64_t inFlight = 0;
  int failedOnOrder = 0;
  for (const auto& other : storage::payment_store::listForOrder(c, order.organizationId, order.id)) {
    if (domain::isOpen(other.status)) inFlight += other.amountMinor;
    if (other.status == PaymentStatus::Failed) ++failedOnOrder;
  }
  const int64_t payable = order.balanceDueMinor() - inFlight;
  if (request.amountMinor > payable) {
    return Error::unprocessable(
        "amount " + formatted(request.amountMinor, order.currency) + " is more than the balance due " +
        formatted(std::max<int64_t>(payable, 0), order.currency) +
        (inFlight > 0 ? " (" + formatted(inFlight, order.currency) + " is in payments not finished yet)" : ""));
  }
  if (order.paymentAttempts >= settings_.paymentRetryAttempts) {
    return Error::unprocessable("order " + order.orderNumber + " used its " +
                                std::to_string(settings_.paymentRetryAttempts) + " payment attempts");
  }
  return failedOnOrder;
}

Result<FraudVerdict> PaymentService::screenForFraud(storage::Connection& c, const domain::Order& order,
                                                    const domain::Payment& payment, const PaymentRequest& request,
                                                    int failedOnOrder, int64_t now) {
  FraudScreenInput input;
  input.paymentId = payment.id;
  input.orderId = order.id;
  input.instanceId = payment.instanceId;
  input.customerId = order.customerId;
  input.email = order.email;
  input.clientIp = request.clientIp;
  if (request.paymentMethodId) input.cardFingerprint = payment.instanceId + ":" + *request.paymentMethodId;
  input.amountMinor = request.amountMinor;
  input.currency = request.currency;
  input.billingCountry = parseJsonObject(order.billingAddressJson)->optValue<std::string>("country", "");
  input.shippingCountry = parseJsonObject(order.shippingAddressJson)->optValue<std::string>("country", "");
  input.failedAttemptsOnOrder = failedOnOrder;
  // The screen's signals commit (or roll back) with the payment: it works in this
  // transaction, through a unit joined to it.
  return fraud_->screen(*storage::SqlUnitOfWork::joining(c), order.organizationId, input, now);
}

Status PaymentService::recordFraudDenial(storage::Connection& c, const Actor& actor, domain::Order& order,
                                         domain::Payment& payment, const std::string& notes, int64_t now) {
  payment.status = PaymentStatus::Failed;
  payment.failureReason = "refused by fraud rules: " + notes;
  order.paymentAttempts += 1;
  if (auto saved = saveOrder(c, order, now); !saved) return saved.error();
  storage::payment_store::insert(c, order.organizationId, payment);
  timeline(c, order, actor.label(), "fraud_denied", payment.id + ": " + notes, now);
  storage::outbox_store::append(c, order.organizationId, events::kPaymentFailed,
                                paymentEventData(order, payment, payment.amountMinor), now);
  return Status::ok();
}

Status PaymentService::startPaymentAttempt(storage::Connection& c, const Actor& actor, domain::Order& order,
                                           const PaymentRequest& request, int64_t now) {
  order.paymentAttempts += 1;
  order.paymentMethod = request.paymentMethod;
  if (order.status == domain::OrderStatus::PaymentPending) return saveOrder(c, order, now);
  return applyOrderAction(c, order, domain::OrderAction::StartPayment, actor.label(), "", now);
}

GatewayOperation PaymentService::firstOperation(const std::string& org, const domain::Payment& payment,
                                                const PaymentRequest& request) const {
  const bool browserFlow = !request.paymentMethodId && !request.amountTenderedMinor &&
                           plugins_.supports(org, payment.instanceId, "payment.create_session");
  if (browserFlow) return GatewayOperation::CreateSession;
  return payment.captureMode == domain::CaptureMode::Manual ? GatewayOperation::Authorize : GatewayOperation::Sale;
}

Result<PaymentOutcome> PaymentService::knownOutcome(storage::Connection& c, const Actor& actor,
                                                    const std::string& orderId, const domain::Payment& payment) {
  PaymentOutcome outcome;
  auto current = readOrder(c, actor, orderId);
  if (!current) return current.error();
  outcome.order = *current;
  outcome.payment = payment;
  return outcome;
}

Result<PaymentOutcome> PaymentService::complete(storage::HeldConnection& held, const std::string& org,
                                                const Actor& actor, const std::string& orderId,
                                                const std::string& paymentId, const std::string& requestId) {
  auto& c = *held;
  domain::Payment payment;
  {
    storage::Transaction tx(c);
    auto order = storage::order_store::findHeader(c, org, orderId, true);
    auto found = storage::payment_store::find(c, org, paymentId, true);
    if (!order || !visibleTo(actor, *order) || !found || found->orderId != orderId) return paymentNotFound(paymentId);
    payment = *found;
    const bool completable = payment.status == PaymentStatus::RequiresAction ||
                             payment.status == PaymentStatus::Pending || payment.status == PaymentStatus::Unknown;
    auto leased = completable ? takeLease(c, org, payment, clock_()) : Result<bool>(false);
    if (!leased) return leased.error();
    if (!*leased) {
      // Settled already, or another process is completing it right now: report what is
      // known; the other call's outcome lands on the same row.
      return knownOutcome(c, actor, orderId, payment);
    }
    tx.commit();
  }
  Object::Ptr body = new Object;
  body->set("payment_id", payment.id);
  body->set("order_id", orderId);
  body->set("amount", money(payment.amountMinor, payment.currency));
  body->set("provider_data", parseJsonObject(providerData(org, payment.id, payment.providerDataJson)));
  const auto operation =
      payment.captureMode == domain::CaptureMode::Manual ? GatewayOperation::Authorize : GatewayOperation::Sale;
  return callAndApply(held, actor, orderId, paymentId, operation, toJsonText(body), requestId,
                      "complete-" + payment.id);
}

Result<PaymentOutcome> PaymentService::confirm(const Actor& actor, const std::string& orderId,
                                               const std::string& paymentId, const std::string& requestId) {
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  try {
    return complete(held, actor.organizationId, actor, orderId, paymentId, requestId);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *held, "");
  }
}

Result<PaymentOutcome> PaymentService::capture(const Actor& actor, const std::string& orderId,
                                               const std::string& paymentId, std::optional<int64_t> amountMinor,
                                               const std::string& requestId) {
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  try {
    domain::Payment payment;
    {
      storage::Transaction tx(c);
      auto order = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      auto found = storage::payment_store::find(c, actor.organizationId, paymentId, true);
      if (!order || !visibleTo(actor, *order) || !found || found->orderId != orderId) return paymentNotFound(paymentId);
      payment = *found;
      if (payment.status != PaymentStatus::Authorized) {
        return Error::conflict("payment " + payment.id + " is " + statusName(payment.status) +
                               "; only an authorized payment is captured");
      }
      const int64_t amount = amountMinor.value_or(payment.amountMinor);
      if (amount <= 0 || amount > payment.amountMinor) {
        return Error::unprocessable("capture amount must be more than 0 and at most the authorized " +
                                    formatted(payment.amountMinor, payment.currency));
      }
      auto leased = takeLease(c, actor.organizationId, payment, clock_());
      if (!leased) return leased.error();
      if (!*leased) return Error::conflict("payment " + payment.id + " is being processed; retry shortly");
      tx.commit();
    }
    Object::Ptr body = new Object;
    body->set("payment_id", payment.id);
    body->set("amount", money(amountMinor.value_or(payment.amountMinor), payment.currency));
    body->set("authorized_amount", money(payment.amountMinor, payment.currency));
    body->set("final_capture", true);
    body->set("provider_reference", payment.providerReference.value_or(payment.id));
    body->set("provider_data",
              parseJsonObject(providerData(actor.organizationId, payment.id, payment.providerDataJson)));
    return callAndApply(held, actor, orderId, paymentId, GatewayOperation::Capture, toJsonText(body), requestId,
                        "capture-" + payment.id);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<PaymentOutcome> PaymentService::approve(const Actor& actor, const std::string& orderId,
                                               const std::string& paymentId, const std::string& requestId) {
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  try {
    domain::Payment payment;
    domain::Order order;
    {
      storage::Transaction tx(c);
      auto foundOrder = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      auto found = storage::payment_store::find(c, actor.organizationId, paymentId, true);
      if (!foundOrder || !found || found->orderId != orderId) return paymentNotFound(paymentId);
      order = *foundOrder;
      payment = *found;
      if (payment.status != PaymentStatus::Review) {
        return Error::conflict("payment " + payment.id + " is " + statusName(payment.status) + ", not held for review");
      }
      if (order.status == domain::OrderStatus::Cancelled) {
        return Error::conflict("order " + order.orderNumber + " is cancelled; reject the payment instead");
      }
      const int64_t now = clock_();
      payment.status = PaymentStatus::Pending;
      payment.leaseUntilMs = now + kLeaseMs;
      payment.nextSyncAtMs = now + kLeaseMs;
      payment.updatedAtMs = now;
      if (!storage::payment_store::update(c, actor.organizationId, payment))
        return Error::conflict("payment changed meanwhile; retry");
      payment.version += 1;
      timeline(c, order, actor.label(), "fraud_review_approved", payment.id + " approved for payment", now);
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    }
    // A reviewed payment had no gateway token kept (tokens are never stored): it
    // continues as a browser session, or as a sale for plugins without sessions.
    Object::Ptr body = new Object;
    body->set("payment_id", payment.id);
    body->set("order_id", orderId);
    body->set("amount", money(payment.amountMinor, payment.currency));
    GatewayOperation operation = GatewayOperation::Sale;
    if (plugins_.supports(actor.organizationId, payment.instanceId, "payment.create_session")) {
      operation = GatewayOperation::CreateSession;
      body->set("capture", std::string(domain::captureModeName(payment.captureMode)));
    } else {
      if (payment.captureMode == domain::CaptureMode::Manual) operation = GatewayOperation::Authorize;
      Object::Ptr method = new Object;
      method->set("type", "cash");
      body->set("payment_method", method);
      if (operation == GatewayOperation::Sale)
        body->set("amount_tendered", money(payment.amountMinor, payment.currency));
    }
    return callAndApply(held, actor, orderId, paymentId, operation, toJsonText(body), requestId, payment.id);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<domain::Order> PaymentService::reject(const Actor& actor, const std::string& orderId,
                                             const std::string& paymentId, const std::string& reason) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    {
      storage::Transaction tx(c);
      auto order = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      auto payment = storage::payment_store::find(c, actor.organizationId, paymentId, true);
      if (!order || !payment || payment->orderId != orderId) return paymentNotFound(paymentId);
      if (payment->status != PaymentStatus::Review) {
        return Error::conflict("payment " + payment->id + " is " + statusName(payment->status) +
                               ", not held for review");
      }
      const int64_t now = clock_();
      payment->failureReason = "rejected in fraud review" + (reason.empty() ? std::string() : ": " + reason);
      payment->nextSyncAtMs.reset();
      payment->updatedAtMs = now;
      bool unused = false;
      if (auto moved = movePayment(c, *order, *payment, PaymentStatus::Failed, actor.label(), now, unused); !moved) {
        return moved.error();
      }
      if (!storage::payment_store::update(c, actor.organizationId, *payment))
        return Error::conflict("payment changed meanwhile; retry");
      timeline(c, *order, actor.label(), "fraud_review_rejected",
               payment->id + ": " + payment->failureReason.value_or(""), now);
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    }
    return readOrder(c, actor, orderId);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

}  // namespace ordersvc::services
