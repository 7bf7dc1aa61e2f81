#include "services/payment_service.h"

#include <algorithm>
#include <map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "common/ids.h"
#include "domain/money.h"
#include "logging/log.h"
#include "plugins/base64_text.h"
#include "services/cache_keys.h"
#include "services/json_util.h"
#include "services/order_events.h"
#include "storage/order_store.h"
#include "storage/outbox_store.h"
#include "storage/payment_store.h"
#include "storage/sql_errors.h"
#include "storage/sql_query.h"

namespace ordersvc::services {

using domain::GatewayOperation;
using domain::PaymentStatus;
using Poco::JSON::Object;

// What a gateway call came back with: a result object, or the call's error.
struct PaymentService::GatewayAnswer {
  Object::Ptr body;  // null when the call failed
  Error error;
  bool ok() const { return !body.isNull(); }
  // The payment_result status the host acts on. A call that failed is "unknown" when
  // the gateway may have acted (time-out, plugin fault) and "not_submitted" when the
  // plugin refused it or could not reach the provider.
  std::string status() const {
    if (ok()) return body->optValue<std::string>("status", "unknown");
    if (error.code == ErrorCode::DeadlineExceeded || error.code == ErrorCode::Internal) return "unknown";
    return "not_submitted";
  }
};

// What applying an answer did, for the caller to act on after the commit.
struct PaymentService::Applied {
  domain::Payment payment;
  bool refundAfterCommit = false;  // money captured for an order cancelled meanwhile
};

namespace {

constexpr int64_t kLeaseMs = 60 * 1000;            // longer than any gateway call's deadline
constexpr int64_t kFirstSyncDelayMs = 15 * 1000;   // unknown outcomes: ask again soon, then back off
constexpr int64_t kMaxSyncDelayMs = 60 * 60 * 1000;
constexpr int64_t kActionSyncDelayMs = 10 * 60 * 1000;  // customer flows: in case the webhook never comes

Error orderNotFound(const std::string& id) { return Error::notFound("order " + id + " not found"); }
Error paymentNotFound(const std::string& id) { return Error::notFound("payment " + id + " not found"); }

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

std::string statusName(PaymentStatus status) { return std::string(domain::paymentStatusName(status)); }

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
  if (!storage::order_store::update(c, order)) return Error::conflict("order " + order.orderNumber + " changed meanwhile; retry");
  order.version += 1;
  return Status::ok();
}

std::string formatted(int64_t minor, const std::string& currency) {
  return domain::formatMajorUnits(minor, currency) + " " + currency;
}

// Reconciliation backs off: 15 s, 30 s, 1 min, ... up to an hour.
int64_t syncDelayMs(int attempts) {
  int64_t delay = kFirstSyncDelayMs;
  for (int i = 0; i < attempts && delay < kMaxSyncDelayMs; ++i) delay *= 2;
  return std::min(delay, kMaxSyncDelayMs);
}

}  // namespace

Result<std::string> PaymentService::resolveInstance(const std::string& organizationId, const std::string& method) const {
  // The instance of that id, or the only one whose id starts with it ("cash" -> "cash-store-1").
  std::string instance;
  for (const auto& id : plugins_.activeInstances(organizationId, "payment")) {
    if (id == method) return id;
    if (instance.empty() && id.rfind(method, 0) == 0) instance = id;
  }
  if (instance.empty()) {
    return Error{ErrorCode::Unprocessable, "payment method " + method + " is not enabled for this organization"};
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
  GatewayAnswer answer;
  auto result = plugins_.call(org, instanceId, operation, requestJson, requestId, idempotencyKey);
  if (!result) {
    answer.error = result.error();
    logging::warn("payment gateway call failed", {{"organization_id", org},
                                                  {"instance_id", instanceId},
                                                  {"operation", operation},
                                                  {"request_id", requestId},
                                                  {"reason", result.error().message}});
    return answer;
  }
  try {
    answer.body = parseJsonObject(*result);
  } catch (const std::exception& e) {
    answer.error = Error::internal(std::string("payment plugin answered garbage: ") + e.what());
  }
  return answer;
}

Result<domain::Order> PaymentService::readOrder(storage::Connection& c, const Actor& actor, const std::string& orderId) {
  auto order = storage::order_store::findFull(c, actor.organizationId, orderId);
  if (!order || !visibleTo(actor, *order)) return orderNotFound(orderId);
  return *order;
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
    logging::info("payment outcome ignored", {{"payment_id", payment.id},
                                              {"from", statusName(previous)},
                                              {"to", statusName(next)}});
    return Status::ok();
  }
  payment.status = next;
  const std::string org = order.organizationId;
  const bool wasSecured = domain::securesFunds(previous);
  if (!wasSecured && domain::securesFunds(next)) {
    // The part of the balance this payment settles: what was asked of the gateway.
    // (Cash rounding may take a few pesos less; capturedMinor keeps what changed hands.)
    const int64_t secured = payment.amountMinor;
    order.paidMinor += secured;
    const std::string type = next == PaymentStatus::Captured ? "payment.succeeded" : "payment.authorized";
    storage::outbox_store::append(c, org, type, paymentEventData(order, payment, secured), now);
    if (order.status == domain::OrderStatus::Cancelled) {
      // The customer paid after the order was cancelled (a webhook after the timeout):
      // the money goes back.
      refundAfterCommit = true;
      timeline(c, order, actor, "payment_after_cancellation",
               payment.id + " secured " + formatted(secured, payment.currency) + " after the order was cancelled; returning it",
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
  switch (next) {
    case PaymentStatus::Captured:  // from authorized
      storage::outbox_store::append(c, org, "payment.captured", paymentEventData(order, payment, payment.capturedMinor), now);
      timeline(c, order, actor, "payment_captured", payment.id + " captured " + formatted(payment.capturedMinor, payment.currency),
               now);
      return Status::ok();
    case PaymentStatus::Failed: {
      storage::outbox_store::append(c, org, "payment.failed", paymentEventData(order, payment, payment.amountMinor), now);
      if (fraud_) fraud_->recordFailure(c, org, payment.id);
      bool othersInFlight = false;
      for (const auto& other : storage::payment_store::listForOrder(c, org, order.id)) {
        if (other.id != payment.id && domain::isOpen(other.status)) othersInFlight = true;
      }
      if (order.status == domain::OrderStatus::PaymentPending && !othersInFlight) {
        order.paymentFailedAtMs = now;
        return applyOrderAction(c, order, domain::OrderAction::PaymentFailed, actor, payment.failureReason.value_or(""), now);
      }
      timeline(c, order, actor, "payment_failed", payment.id + ": " + payment.failureReason.value_or("declined"), now);
      return Status::ok();
    }
    case PaymentStatus::Cancelled:
      if (wasSecured) {
        order.paidMinor -= payment.amountMinor;
        if (auto saved = saveOrder(c, order, now); !saved) return saved;
      }
      storage::outbox_store::append(c, org, "payment.cancelled", paymentEventData(order, payment, payment.amountMinor), now);
      timeline(c, order, actor, "payment_cancelled", payment.id + " cancelled", now);
      return Status::ok();
    case PaymentStatus::Pending:
      storage::outbox_store::append(c, org, "payment.pending", paymentEventData(order, payment, payment.amountMinor), now);
      return Status::ok();
    case PaymentStatus::Unknown:
      timeline(c, order, actor, "payment_unknown",
               payment.id + ": the gateway's answer is not known; reconciliation will ask it", now);
      return Status::ok();
    default:
      return Status::ok();
  }
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
  const std::string resultStatus = answer.status();
  if (answer.ok()) {
    const std::string reference = answer.body->optValue<std::string>("provider_reference", "");
    if (!reference.empty() && operation != GatewayOperation::Capture) payment->providerReference = reference;
    if (answer.body->has("provider_data")) {
      auto box = sealed(org, payment->id, toJsonText(answer.body->get("provider_data")));
      if (!box) return box.error();
      payment->providerDataJson = *box;
    }
    if (auto gatewayError = answer.body->getObject("gateway_error")) {
      payment->failureReason = gatewayError->optValue<std::string>("message", "declined by the gateway") + " (" +
                               gatewayError->optValue<std::string>("code", "declined") + ")";
    }
  } else if (resultStatus == "not_submitted") {
    payment->failureReason = "not submitted to the gateway: " + answer.error.message;
  }
  int64_t resultAmount = 0;
  if (answer.ok()) {
    if (auto amount = answer.body->getObject("amount")) resultAmount = amount->optValue<int64_t>("value", 0);
  }
  auto next = domain::statusAfter(operation, resultStatus, payment->captureMode, payment->capturedMinor);
  if (!next && answer.ok() && resultStatus != "declined" && resultStatus != "not_submitted") {
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
  } else if (!answer.ok() || resultStatus == "declined") {
    timeline(c, *order, actor, operation == GatewayOperation::Void ? "void_failed" : "capture_failed",
             payment->id + ": " + payment->failureReason.value_or(answer.error.message), now);
  }
  // Not known yet: reconciliation asks the gateway later.
  if (payment->status == PaymentStatus::Unknown || payment->status == PaymentStatus::Pending) {
    payment->nextSyncAtMs = now + syncDelayMs(payment->syncAttempts);
  } else if (payment->status == PaymentStatus::RequiresAction) {
    payment->nextSyncAtMs = now + kActionSyncDelayMs;
  } else {
    payment->nextSyncAtMs.reset();
  }
  if (!storage::payment_store::update(c, org, *payment)) return Error::conflict("payment changed meanwhile; retry");
  payment->version += 1;
  tx.commit();
  cache_.erase(orderCacheKey(org, order->id));
  applied.payment = *payment;
  return applied;
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
      {GatewayOperation::CreateSession, "payment.create_session"}, {GatewayOperation::Sale, "payment.sale"},
      {GatewayOperation::Authorize, "payment.authorize"},          {GatewayOperation::Capture, "payment.capture"},
      {GatewayOperation::Void, "payment.void"},                    {GatewayOperation::Sync, "payment.sync"}};
  // Outside any transaction and without a pooled connection: a gateway may take seconds.
  held.release();
  const GatewayAnswer answer =
      callGateway(org, instanceId, kOperationNames.at(operation), requestJson, requestId, idempotencyKey);
  if (auto back = held.acquire(); !back) return back.error();
  auto applied = applyAnswer(*held, org, paymentId, operation, answer, actor.label());
  if (!applied) return applied.error();
  if (applied->refundAfterCommit) {
    refundCapturedPayment(org, orderId, applied->payment, "system:payments", "payment after cancellation");
    if (auto back = held.acquire(); !back) return back.error();
  }
  PaymentOutcome outcome;
  auto order = readOrder(*held, actor, orderId);
  if (!order) return order.error();
  outcome.order = *order;
  outcome.payment = applied->payment;
  if (answer.ok()) {
    if (auto session = answer.body->getObject("session")) {
      const std::string secret = session->optValue<std::string>("client_secret", "");
      if (!secret.empty()) outcome.clientSecret = secret;
    }
    if (answer.body->has("next_action")) outcome.nextActionJson = toJsonText(answer.body->get("next_action"));
  }
  return outcome;
}

Result<PaymentOutcome> PaymentService::pay(const Actor& actor, const std::string& orderId, const PaymentRequest& request) {
  auto instance = resolveInstance(actor.organizationId, request.paymentMethod);
  if (!instance) return instance.error();
  if (request.amountMinor <= 0) return Error::invalidArgument("amount: must be more than 0");
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  try {
    domain::Payment payment;
    domain::Order order;
    FraudVerdict verdict;
    {
      storage::Transaction tx(c);
      auto found = storage::order_store::findHeader(c, actor.organizationId, orderId, true);
      if (!found || !visibleTo(actor, *found)) return orderNotFound(orderId);
      order = *found;
      if (order.status != domain::OrderStatus::Pending && order.status != domain::OrderStatus::PaymentPending &&
          order.status != domain::OrderStatus::PaymentFailed) {
        return transitionRefused(order, domain::OrderAction::StartPayment);
      }
      if (request.currency != order.currency) {
        return Error{ErrorCode::Unprocessable, "currency " + request.currency + " does not match the order's " + order.currency};
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
        return Error{ErrorCode::Unprocessable,
                     "amount " + formatted(request.amountMinor, order.currency) + " is more than the balance due " +
                         formatted(std::max<int64_t>(payable, 0), order.currency) +
                         (inFlight > 0 ? " (" + formatted(inFlight, order.currency) + " is in payments not finished yet)" : "")};
      }
      if (order.paymentAttempts >= settings_.paymentRetryAttempts) {
        return Error{ErrorCode::Unprocessable, "order " + order.orderNumber + " used its " +
                                                   std::to_string(settings_.paymentRetryAttempts) + " payment attempts"};
      }
      const int64_t now = clock_();
      payment.id = newId("pay");
      payment.orderId = order.id;
      payment.instanceId = *instance;
      payment.paymentMethod = request.paymentMethod;
      payment.amountMinor = request.amountMinor;
      payment.currency = request.currency;
      payment.captureMode = request.captureMode;
      payment.createdAtMs = now;
      payment.updatedAtMs = now;
      if (fraud_) {
        FraudScreenInput input;
        input.paymentId = payment.id;
        input.orderId = order.id;
        input.instanceId = *instance;
        input.customerId = order.customerId;
        input.email = order.email;
        input.clientIp = request.clientIp;
        if (request.paymentMethodId) input.cardFingerprint = *instance + ":" + *request.paymentMethodId;
        input.amountMinor = request.amountMinor;
        input.currency = request.currency;
        input.billingCountry = parseJsonObject(order.billingAddressJson)->optValue<std::string>("country", "");
        input.shippingCountry = parseJsonObject(order.shippingAddressJson)->optValue<std::string>("country", "");
        input.failedAttemptsOnOrder = failedOnOrder;
        auto screened = fraud_->screen(c, order.organizationId, input, now);
        if (!screened) return screened.error();
        verdict = *screened;
        Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
        std::string notes;
        for (const auto& [code, message] : verdict.reasons) {
          Object::Ptr reason = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
          reason->set("code", code);
          reason->set("message", message);
          reasons->add(reason);
          notes += (notes.empty() ? "" : "; ") + message;
        }
        payment.fraudOutcome = verdict.outcome;
        if (!verdict.reasons.empty()) payment.fraudReasons = toJsonText(reasons);
        if (verdict.outcome == "deny") {
          payment.status = PaymentStatus::Failed;
          payment.failureReason = "refused by fraud rules: " + notes;
          order.paymentAttempts += 1;
          if (auto saved = saveOrder(c, order, now); !saved) return saved.error();
          storage::payment_store::insert(c, order.organizationId, payment);
          timeline(c, order, actor.label(), "fraud_denied", payment.id + ": " + notes, now);
          storage::outbox_store::append(c, order.organizationId, "payment.failed",
                                        paymentEventData(order, payment, payment.amountMinor), now);
          tx.commit();
          cache_.erase(orderCacheKey(actor.organizationId, orderId));
          Error error{ErrorCode::Unprocessable, "payment refused by fraud rules: " + notes};
          Object::Ptr details = new Object;
          details->set("payment_id", payment.id);
          details->set("reasons", reasons);
          error.detailsJson = toJsonText(details);
          return error;
        }
        if (verdict.outcome == "review") {
          payment.status = PaymentStatus::Review;
          timeline(c, order, actor.label(), "fraud_review", payment.id + " held for review: " + notes, now);
        }
      }
      order.paymentAttempts += 1;
      order.paymentMethod = request.paymentMethod;
      if (order.status == domain::OrderStatus::PaymentPending) {
        if (auto saved = saveOrder(c, order, now); !saved) return saved.error();
      } else if (auto started = applyOrderAction(c, order, domain::OrderAction::StartPayment, actor.label(), "", now);
                 !started) {
        return started.error();
      }
      if (payment.status != PaymentStatus::Review) {
        payment.leaseUntilMs = now + kLeaseMs;
        payment.nextSyncAtMs = now + kLeaseMs;  // if this process dies mid-call, reconciliation takes over
      }
      storage::payment_store::insert(c, order.organizationId, payment);
      storage::outbox_store::append(c, order.organizationId,
                                    payment.status == PaymentStatus::Review ? "payment.review" : "payment.pending",
                                    paymentEventData(order, payment, payment.amountMinor), now);
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    }
    if (payment.status == PaymentStatus::Review) {
      PaymentOutcome outcome;
      auto current = readOrder(c, actor, orderId);
      if (!current) return current.error();
      outcome.order = *current;
      outcome.payment = payment;
      return outcome;
    }
    // A gateway token (or a plugin without browser sessions, like cash) pays now; without
    // a token an online gateway starts a session the customer completes in the browser.
    const bool browserFlow = !request.paymentMethodId && !request.amountTenderedMinor &&
                             plugins_.supports(actor.organizationId, *instance, "payment.create_session");
    Object::Ptr body = new Object;
    body->set("payment_id", payment.id);
    body->set("order_id", order.id);
    body->set("amount", money(payment.amountMinor, payment.currency));
    GatewayOperation operation;
    if (browserFlow) {
      operation = GatewayOperation::CreateSession;
      body->set("capture", std::string(domain::captureModeName(payment.captureMode)));
      if (request.returnUrl) body->set("return_url", *request.returnUrl);
    } else {
      operation = payment.captureMode == domain::CaptureMode::Manual ? GatewayOperation::Authorize : GatewayOperation::Sale;
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
    if (order.customerId || order.email) {
      Object::Ptr customer = new Object;
      if (order.customerId) customer->set("id", *order.customerId);
      if (order.email) customer->set("email", *order.email);
      body->set("customer", customer);
    }
    return callAndApply(held, actor, orderId, payment.id, operation, toJsonText(body), request.requestId,
                        payment.id);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<PaymentOutcome> PaymentService::complete(storage::HeldConnection& held, const std::string& org, const Actor& actor,
                                                const std::string& orderId, const std::string& paymentId,
                                                const std::string& requestId) {
  auto& c = *held;
  domain::Payment payment;
  {
    storage::Transaction tx(c);
    auto order = storage::order_store::findHeader(c, org, orderId, true);
    auto found = storage::payment_store::find(c, org, paymentId, true);
    if (!order || !visibleTo(actor, *order) || !found || found->orderId != orderId) return paymentNotFound(paymentId);
    payment = *found;
    const bool completable = payment.status == PaymentStatus::RequiresAction || payment.status == PaymentStatus::Pending ||
                             payment.status == PaymentStatus::Unknown;
    auto leased = completable ? takeLease(c, org, payment, clock_()) : Result<bool>(false);
    if (!leased) return leased.error();
    if (!*leased) {
      // Settled already, or another process is completing it right now: report what is
      // known; the other call's outcome lands on the same row.
      PaymentOutcome outcome;
      auto current = readOrder(c, actor, orderId);
      if (!current) return current.error();
      outcome.order = *current;
      outcome.payment = payment;
      return outcome;
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
  return callAndApply(held, actor, orderId, paymentId, operation, toJsonText(body), requestId, "complete-" + payment.id);
}

Result<PaymentOutcome> PaymentService::confirm(const Actor& actor, const std::string& orderId, const std::string& paymentId,
                                               const std::string& requestId) {
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
        return Error::conflict("payment " + payment.id + " is " + statusName(payment.status) + "; only an authorized payment is captured");
      }
      const int64_t amount = amountMinor.value_or(payment.amountMinor);
      if (amount <= 0 || amount > payment.amountMinor) {
        return Error{ErrorCode::Unprocessable, "capture amount must be more than 0 and at most the authorized " +
                                                   formatted(payment.amountMinor, payment.currency)};
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
    body->set("provider_data", parseJsonObject(providerData(actor.organizationId, payment.id, payment.providerDataJson)));
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
      const int64_t now = clock_();
      payment.status = PaymentStatus::Pending;
      payment.leaseUntilMs = now + kLeaseMs;
      payment.nextSyncAtMs = now + kLeaseMs;
      payment.updatedAtMs = now;
      if (!storage::payment_store::update(c, actor.organizationId, payment)) return Error::conflict("payment changed meanwhile; retry");
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
      if (operation == GatewayOperation::Sale) body->set("amount_tendered", money(payment.amountMinor, payment.currency));
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
        return Error::conflict("payment " + payment->id + " is " + statusName(payment->status) + ", not held for review");
      }
      const int64_t now = clock_();
      payment->failureReason = "rejected in fraud review" + (reason.empty() ? std::string() : ": " + reason);
      payment->nextSyncAtMs.reset();
      payment->updatedAtMs = now;
      bool unused = false;
      if (auto moved = movePayment(c, *order, *payment, PaymentStatus::Failed, actor.label(), now, unused); !moved) {
        return moved.error();
      }
      if (!storage::payment_store::update(c, actor.organizationId, *payment)) return Error::conflict("payment changed meanwhile; retry");
      timeline(c, *order, actor.label(), "fraud_review_rejected", payment->id + ": " + payment->failureReason.value_or(""), now);
      tx.commit();
      cache_.erase(orderCacheKey(actor.organizationId, orderId));
    }
    return readOrder(c, actor, orderId);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<std::vector<std::string>> PaymentService::recordRefunds(storage::Connection& c, const domain::Order& order,
                                                               int64_t amountMinor, const std::string& reason,
                                                               const std::optional<std::string>& itemsJson, int64_t now) {
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
    return Error{ErrorCode::Unprocessable, "refund " + formatted(amountMinor, order.currency) +
                                               " is more than what can be refunded: " +
                                               formatted(std::max<int64_t>(refundable, 0), order.currency) +
                                               " captured and not yet refunded"};
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
  const std::string status = answer.status();
  refund->updatedAtMs = now;
  if (answer.ok()) {
    const std::string reference = answer.body->optValue<std::string>("provider_reference", "");
    if (!reference.empty()) refund->providerReference = reference;
    if (answer.body->has("provider_data")) {
      auto box = sealed(org, refund->id, toJsonText(answer.body->get("provider_data")));
      if (!box) return box.error();
      refund->providerDataJson = *box;
    }
    if (auto gatewayError = answer.body->getObject("gateway_error")) {
      refund->failureReason = gatewayError->optValue<std::string>("message", "refused by the gateway");
    }
  }
  if (status == "succeeded") {
    refund->status = domain::RefundStatus::Succeeded;
    refund->nextSyncAtMs.reset();
    payment->refundedMinor += refund->amountMinor;
    payment->status = payment->refundedMinor >= payment->capturedMinor ? PaymentStatus::Refunded
                                                                         : PaymentStatus::PartiallyRefunded;
    payment->updatedAtMs = now;
    if (!storage::payment_store::update(c, org, *payment)) return Error::conflict("payment changed meanwhile; retry");
    order->refundedMinor += refund->amountMinor;
    if (auto saved = saveOrder(c, *order, now); !saved) return saved.error();
    Object::Ptr data = parseJsonObject(paymentEventData(*order, *payment, refund->amountMinor));
    data->set("refund_id", refund->id);
    data->set("reason", refund->reason);
    storage::outbox_store::append(c, org, "payment.refunded", toJsonText(data), now);
    timeline(c, *order, actor, "payment_refunded",
             payment->id + " refunded " + formatted(refund->amountMinor, refund->currency) + " (" + refund->id + ")", now);
  } else if (status == "pending" || status == "unknown") {
    refund->status = status == "pending" ? domain::RefundStatus::Pending : domain::RefundStatus::Unknown;
    refund->nextSyncAtMs = now + syncDelayMs(refund->syncAttempts);
  } else {
    refund->status = domain::RefundStatus::Failed;
    refund->nextSyncAtMs.reset();
    if (!refund->failureReason) {
      refund->failureReason = answer.ok() ? "refused by the gateway" : answer.error.message;
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
  const GatewayAnswer answer = callGateway(org, payment->instanceId, "payment.refund", toJsonText(body), requestId, refund->id);
  if (auto back = held.acquire(); !back) return back.error();
  return applyRefundAnswer(*held, org, refundId, answer, actor);
}

Result<domain::Order> PaymentService::refund(const Actor& actor, const std::string& orderId, const RefundRequest& request) {
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
          if (item == order->items.end()) return Error::invalidArgument("items: order has no line " + std::to_string(lineNo));
          const int64_t left = item->quantity - refundedQuantity[lineNo];
          if (quantity <= 0 || quantity > left) {
            return Error{ErrorCode::Unprocessable, "line " + std::to_string(lineNo) + " (" + item->sku + "): " +
                                                       std::to_string(quantity) + " requested, " + std::to_string(left) +
                                                       " left to refund"};
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
      return Error{ErrorCode::Unprocessable, "the gateway refused the refund: " + failures};
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
    for (const auto& id : ids) runRefund(held, org, id, actor, "");
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
      if (!voided) logging::warn("void after cancellation failed", {{"payment_id", payment.id}, {"reason", voided.error().message}});
    }
  }
}

Result<std::optional<std::pair<std::string, std::string>>> PaymentService::applyEvent(
    storage::Connection& c, const std::string& org, const std::string& instanceId, const Object& event, int64_t now,
    std::vector<domain::Payment>& refundAfterCommit) {
  using Completion = std::optional<std::pair<std::string, std::string>>;
  const std::string type = event.optValue<std::string>("type", "");
  const std::string reference = event.optValue<std::string>("provider_reference", "");
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
  int64_t amount = 0;
  if (auto money = event.getObject("amount")) amount = money->optValue<int64_t>("value", 0);
  if (type == "checkout.approved") return Completion{std::make_pair(order->id, payment->id)};
  if (type == "payment.refunded") {
    const std::string refundReference = event.optValue<std::string>("refund_reference", "");
    std::optional<domain::Refund> refund;
    if (!refundReference.empty()) refund = storage::payment_store::findRefundByReference(c, org, payment->id, refundReference);
    if (refund && (refund->status == domain::RefundStatus::Succeeded || refund->status == domain::RefundStatus::Failed)) {
      return Completion{};  // already settled by the refund call's own answer
    }
    if (!refund) {
      // A refund made at the provider (its dashboard): recorded as it is reported.
      domain::Refund made;
      made.id = newId("ref");
      made.orderId = order->id;
      made.paymentId = payment->id;
      made.amountMinor = amount > 0 ? std::min(amount, payment->refundableMinor()) : payment->refundableMinor();
      made.currency = payment->currency;
      made.reason = "refunded at the provider";
      if (!refundReference.empty()) made.providerReference = refundReference;
      made.createdAtMs = now;
      made.updatedAtMs = now;
      if (made.amountMinor <= 0) return Completion{};
      storage::payment_store::insertRefund(c, org, made);
      refund = made;
    }
    refund->status = domain::RefundStatus::Succeeded;
    refund->nextSyncAtMs.reset();
    refund->updatedAtMs = now;
    if (!refundReference.empty()) refund->providerReference = refundReference;
    storage::payment_store::updateRefund(c, org, *refund);
    payment->refundedMinor += refund->amountMinor;
    payment->status = payment->refundedMinor >= payment->capturedMinor ? PaymentStatus::Refunded
                                                                         : PaymentStatus::PartiallyRefunded;
    payment->updatedAtMs = now;
    if (!storage::payment_store::update(c, org, *payment)) return Error::conflict("payment changed meanwhile; retry");
    order->refundedMinor += refund->amountMinor;
    if (auto saved = saveOrder(c, *order, now); !saved) return saved.error();
    Object::Ptr data = parseJsonObject(paymentEventData(*order, *payment, refund->amountMinor));
    data->set("refund_id", refund->id);
    storage::outbox_store::append(c, org, "payment.refunded", toJsonText(data), now);
    timeline(c, *order, actor, "payment_refunded",
             payment->id + " refunded " + formatted(refund->amountMinor, refund->currency) + " (" + refund->id + ")", now);
    return Completion{};
  }
  if (type == "payment.disputed") {
    Object::Ptr data = parseJsonObject(paymentEventData(*order, *payment, amount > 0 ? amount : payment->capturedMinor));
    storage::outbox_store::append(c, org, "payment.disputed", toJsonText(data), now);
    timeline(c, *order, actor, "payment_disputed",
             payment->id + ": the customer disputed " + formatted(amount > 0 ? amount : payment->capturedMinor, payment->currency),
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
    if (auto gatewayError = event.getObject("gateway_error")) {
      payment->failureReason = gatewayError->optValue<std::string>("message", "declined") + " (" +
                               gatewayError->optValue<std::string>("code", "declined") + ")";
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

Result<WebhookAck> PaymentService::handleWebhook(const std::string& organizationId, const std::string& instanceId,
                                                 const WebhookDelivery& delivery) {
  const auto instances = plugins_.activeInstances(organizationId, "payment");
  if (std::find(instances.begin(), instances.end(), instanceId) == instances.end()) {
    return Error::notFound("no payment instance " + instanceId + " for organization " + organizationId);
  }
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
  if (!verified) {
    const std::string& why = verified.error().message;
    if (why.find("webhook.signature_invalid") != std::string::npos || why.find("webhook.stale") != std::string::npos) {
      logging::warn("webhook refused", {{"organization_id", organizationId},
                                        {"instance_id", instanceId},
                                        {"request_id", delivery.requestId},
                                        {"reason", why}});
      return Error{ErrorCode::Unauthenticated, why.find("webhook.stale") != std::string::npos
                                                   ? "webhook timestamp outside the tolerance"
                                                   : "webhook signature does not verify"};
    }
    if (verified.error().code == ErrorCode::Unprocessable) return Error::invalidArgument("webhook not understood: " + why);
    return Error::unavailable("webhook could not be verified now; retry: " + why);
  }
  Object::Ptr parsed;
  try {
    parsed = parseJsonObject(*verified);
  } catch (const std::exception&) {
    return Error::unavailable("payment plugin answered garbage to a webhook");
  }
  const std::string eventId = parsed->optValue<std::string>("event_id", "");
  auto events = parsed->getArray("events");
  WebhookAck ack;
  if (auto pluginAck = parsed->getObject("ack")) {
    ack.status = pluginAck->optValue<int>("status", 200);
    ack.body = pluginAck->optValue<std::string>("body", "");
    ack.mediaType = pluginAck->optValue<std::string>("media_type", ack.mediaType);
  }
  std::string types;
  for (std::size_t i = 0; events && i < events->size(); ++i) {
    types += (types.empty() ? "" : ",") + events->getObject(static_cast<unsigned>(i))->optValue<std::string>("type", "");
  }
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
    for (std::size_t i = 0; events && i < events->size(); ++i) {
      auto applied = applyEvent(c, organizationId, instanceId, *events->getObject(static_cast<unsigned>(i)), now, refunds);
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
    if (!completed) logging::warn("completing an approved payment failed", {{"payment_id", paymentId}, {"reason", completed.error().message}});
  }
  for (const auto& payment : refunds) {
    refundCapturedPayment(organizationId, payment.orderId, payment, "system:webhook", "payment after cancellation");
  }
  return ack;
}

Result<int> PaymentService::reconcile(int batch) {
  std::vector<std::pair<std::string, std::string>> payments;
  std::vector<std::pair<std::string, std::string>> refunds;
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  try {
    storage::Transaction tx(c);
    const int64_t now = clock_();
    // Claimed: pushed past the lease so other processes skip them while this one asks.
    payments = storage::payment_store::claimDueSyncs(c, now, batch);
    for (const auto& [org, id] : payments) {
      auto payment = storage::payment_store::find(c, org, id, false);
      if (!payment) continue;
      payment->syncAttempts += 1;
      payment->nextSyncAtMs = now + kLeaseMs;
      payment->updatedAtMs = now;
      storage::payment_store::update(c, org, *payment);
    }
    refunds = storage::payment_store::claimDueRefundSyncs(c, now, batch);
    for (const auto& [org, id] : refunds) {
      auto refund = storage::payment_store::findRefund(c, org, id, false);
      if (!refund) continue;
      refund->syncAttempts += 1;
      refund->nextSyncAtMs = now + kLeaseMs;
      refund->updatedAtMs = now;
      storage::payment_store::updateRefund(c, org, *refund);
    }
    tx.commit();
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
  int resolved = 0;
  for (const auto& [org, id] : payments) {
    try {
      auto payment = storage::payment_store::find(c, org, id, false);
      if (!payment) continue;
      Object::Ptr body = new Object;
      body->set("payment_id", payment->id);
      body->set("provider_reference", payment->providerReference.value_or(payment->id));
      body->set("provider_data", parseJsonObject(providerData(org, payment->id, payment->providerDataJson)));
      held.release();
      const GatewayAnswer answer = callGateway(org, payment->instanceId, "payment.sync", toJsonText(body), "", "");
      if (auto back = held.acquire(); !back) return back.error();
      auto applied = applyAnswer(c, org, id, GatewayOperation::Sync, answer, "system:reconciliation");
      if (!applied) continue;
      if (applied->refundAfterCommit) {
        refundCapturedPayment(org, applied->payment.orderId, applied->payment, "system:reconciliation",
                              "payment after cancellation");
      }
      if (applied->payment.status != PaymentStatus::Unknown && applied->payment.status != PaymentStatus::Pending) ++resolved;
    } catch (const std::exception& e) {
      logging::warn("payment reconciliation failed", {{"payment_id", id}, {"reason", e.what()}});
      if (!held.acquire()) return resolved;
    }
  }
  for (const auto& [org, id] : refunds) {
    try {
      auto refund = storage::payment_store::findRefund(c, org, id, false);
      auto payment = refund ? storage::payment_store::find(c, org, refund->paymentId, false) : std::nullopt;
      if (!refund || !payment) continue;
      GatewayAnswer answer;
      if (refund->providerReference) {
        Object::Ptr body = new Object;
        body->set("payment_id", payment->id);
        body->set("refund_id", refund->id);
        body->set("provider_reference", *refund->providerReference);
        body->set("provider_data", parseJsonObject(providerData(org, refund->id, refund->providerDataJson)));
        held.release();
        answer = callGateway(org, payment->instanceId, "payment.sync", toJsonText(body), "", "");
        if (auto back = held.acquire(); !back) return back.error();
        auto applied = applyRefundAnswer(c, org, id, answer, "system:reconciliation");
        if (applied && applied->status != domain::RefundStatus::Unknown && applied->status != domain::RefundStatus::Pending) ++resolved;
      } else {
        // The refund call never reported back (the process died mid-call): repeating it
        // with the same idempotency key (the refund id) is what the provider dedupes.
        auto done = runRefund(held, org, id, "system:reconciliation", "");
        if (done && done->status != domain::RefundStatus::Unknown && done->status != domain::RefundStatus::Pending) ++resolved;
      }
    } catch (const std::exception& e) {
      logging::warn("refund reconciliation failed", {{"refund_id", id}, {"reason", e.what()}});
      if (!held.acquire()) return resolved;
    }
  }
  return resolved;
}

}  // namespace ordersvc::services
