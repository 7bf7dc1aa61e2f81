#include "payments/mercadopago/mercadopago_instance.h"

#include <string>

#include <Poco/JSON/Array.h>

#include "common/form_encoding.h"
#include "common/json_reader.h"
#include "common/json_writer.h"
#include "common/sdk_glue.h"
#include "common/stable_hash.h"
#include "payments/mercadopago/mp_card_options.h"
#include "payments/mercadopago/mp_decimal.h"

namespace ordersvc::plugins::mercadopago {

using common::ChargeRequest;
using common::Money;
using common::SyncRequest;
using osp::sdk::Result;

namespace {

constexpr std::string_view kExternalReferencePrefix = "mp_ext_";

// An id short enough to prefix and stay within the schemas' 200 characters.
std::string shortBasis(const std::string& id) {
  return id.size() <= 100 ? id : "h" + common::hex16(common::fnv1a64(id));
}

std::string externalReference(const std::string& paymentId) {
  return std::string(kExternalReferencePrefix) + shortBasis(paymentId);
}

std::string refundReference(const std::string& refundId) {
  return "mp_refund_" + shortBasis(refundId);
}

std::optional<std::string> stringIn(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (object.isNull() || !object->has(key) || !object->get(key).isString()) return std::nullopt;
  return object->getValue<std::string>(key);
}

// MercadoPago's id of the payment: from provider_data, or the reference when it is one
// (MercadoPago's payment ids are numbers; "mp_ext_…" is not).
std::optional<std::string> mercadoPagoPaymentId(const Poco::JSON::Object::Ptr& data, const std::string& reference) {
  if (!data.isNull() && data->has("mp_payment_id")) return readId(data->get("mp_payment_id"));
  if (!reference.empty() && reference.find_first_not_of("0123456789") == std::string::npos) return reference;
  return std::nullopt;
}

// provider_data "amount" as the plugin wrote it, for answers that carry none.
std::optional<Money> recordedAmount(const Poco::JSON::Object::Ptr& data) {
  if (data.isNull()) return std::nullopt;
  common::Problems ignored;
  return common::JsonObjectReader(data, "/provider_data", ignored).money("amount", common::Need::Optional, 0);
}

CaptureMode recordedMode(const Poco::JSON::Object::Ptr& data) {
  return stringIn(data, "capture") == std::optional<std::string>("manual") ? CaptureMode::Manual
                                                                           : CaptureMode::Automatic;
}

// What a failed exchange that asked MercadoPago to act means, on top of `base` (amount,
// reference and provider_data the host keeps meanwhile).
Result failureResult(Failure failure, const MpReply& reply, PaymentResult base, const osp::sdk::Call& call,
                     std::string_view what) {
  switch (failure) {
    case Failure::NotSubmitted:
      call.log(OSP_LOG_WARN, std::string(what) + ": not submitted to MercadoPago (" +
                                 (reply.answered() ? "HTTP " + std::to_string(reply.status) : reply.error) + ")");
      base.status = "not_submitted";
      return base.toResult();
    case Failure::Unknown:
      call.log(OSP_LOG_WARN, std::string(what) + ": outcome unknown, to be reconciled by sync (" +
                                 (reply.answered() ? "HTTP " + std::to_string(reply.status) : reply.error) + ")");
      base.status = "unknown";
      return base.toResult();
    case Failure::AuthFailed:
      return authFailed(reply);
    case Failure::Refused:
      base.status = "declined";
      base.gatewayError = refusalErrorOf(reply);
      return base.toResult();
  }
  return Result::error(OSP_E_INTERNAL, "plugin.bug", "unhandled failure");
}

Poco::JSON::Object::Ptr createPaymentBody(const ChargeRequest& req, const MpCardOptions& card, CaptureMode mode,
                                          const Poco::Dynamic::Var& amount, const osp::sdk::Call& call,
                                          const MercadoPagoConfig& config) {
  Poco::JSON::Object::Ptr body = common::makeObject();
  body->set("transaction_amount", amount);
  body->set("token", *req.token);
  std::string description = req.description.value_or("");
  if (description.empty()) description = req.orderId ? "Order " + *req.orderId : "Payment " + req.paymentId;
  body->set("description", description);
  body->set("installments", static_cast<Poco::Int64>(card.installments));
  body->set("payment_method_id", *card.paymentMethodId);
  if (card.issuerId) body->set("issuer_id", *card.issuerId);
  Poco::JSON::Object::Ptr payer = common::makeObject();
  payer->set("email", *req.email);
  body->set("payer", payer);
  // MercadoPago's own field for the merchant's id: sync searches by it.
  body->set("external_reference", req.paymentId);
  body->set("capture", mode == CaptureMode::Automatic);
  Poco::JSON::Object::Ptr metadata = common::makeObject();
  if (req.orderId) metadata->set("order_id", *req.orderId);
  metadata->set("organization_id", std::string(call.organizationId()));
  body->set("metadata", metadata);
  if (config.notificationUrl) body->set("notification_url", *config.notificationUrl);
  if (config.statementDescriptor) body->set("statement_descriptor", *config.statementDescriptor);
  return body;
}

// What provider_data holds about a payment MercadoPago has not named yet.
Poco::JSON::Object::Ptr unnamedPaymentData(const ChargeRequest& req, CaptureMode mode) {
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("kind", "payment");
  data->set("capture", std::string(captureModeName(mode)));
  data->set("currency", req.amount.currency);
  data->set("amount", common::moneyJson(req.amount));
  data->set("payment_id", req.paymentId);
  return data;
}

std::string refundStatusOf(const MpRefund& refund) {
  if (refund.status == "approved") return "succeeded";
  if (refund.status == "in_process" || refund.status == "pending" || refund.status == "authorized") return "pending";
  if (refund.status == "rejected" || refund.status == "cancelled") return "declined";
  return "unknown";
}

PaymentResult refundResultOf(const MpRefund& refund, const Money& requested, Poco::JSON::Object::Ptr data) {
  PaymentResult result;
  result.status = refundStatusOf(refund);
  result.amount = refund.amount.value_or(requested);
  result.providerReference = refund.id;
  data->set("mp_refund_id", refund.id);
  data->set("mp_status", refund.status);
  result.providerData = data;
  if (result.status == "declined") {
    result.gatewayError = common::providerErrorJson("refund_" + errorCode(refund.status, "refused"),
                                                    "MercadoPago did not make the refund: " + refund.status);
    result.gatewayError->set("provider_code", refund.status);
  }
  return result;
}

// A copy of provider_data to update without touching the request's.
Poco::JSON::Object::Ptr copyOf(const Poco::JSON::Object::Ptr& data) {
  Poco::JSON::Object::Ptr copy = common::makeObject();
  if (data.isNull()) return copy;
  for (const auto& key : data->getNames()) copy->set(key, data->get(key));
  return copy;
}

bool isCaptured(const std::string& mpStatus) {
  return mpStatus == "approved" || mpStatus == "refunded" || mpStatus == "charged_back" || mpStatus == "in_mediation";
}

}  // namespace

Result MercadoPagoInstance::sale(const osp::sdk::Call& call, std::string_view request) {
  return charge(call, request, CaptureMode::Automatic);
}

Result MercadoPagoInstance::authorize(const osp::sdk::Call& call, std::string_view request) {
  return charge(call, request, CaptureMode::Manual);
}

Result MercadoPagoInstance::charge(const osp::sdk::Call& call, std::string_view request, CaptureMode mode) const {
  common::Problems problems;
  auto req = common::readChargeRequest(request, mode == CaptureMode::Automatic, problems);
  const MpCardOptions card = req ? readCardOptions(req->metadata, problems) : MpCardOptions{};
  if (req && req->methodType && *req->methodType != "card") {
    problems.add("/payment_method/type", "must be \"card\": the plugin charges MercadoPago card tokens");
  }
  if (!problems.empty()) return common::invalidRequest(problems);

  if (!req->token || req->token->empty()) {
    // Coming back to a payment MercadoPago may already have (after a 3-D Secure challenge,
    // or an answer that never came): report its state; nothing new is charged.
    if (stringIn(req->providerData, "kind") != std::optional<std::string>("payment")) {
      return Result::invalid(
          "payment_method.token is required: a MercadoPago card token (or provider_data of a "
          "MercadoPago payment to report on)");
    }
    return lookUpPayment(call, req->paymentId, "", req->providerData, mode, req->amount);
  }
  if (!req->email) return Result::invalid("customer.email is required: MercadoPago needs the payer's e-mail");
  if (!card.paymentMethodId) {
    return Result::invalid(
        "metadata.mp_payment_method_id is required: the card brand MercadoPago's browser SDK "
        "reported with the token (\"visa\", \"master\")");
  }
  const auto amount = toMajorUnits(req->amount);
  if (!amount) return Result::invalid("amount is larger than MercadoPago can be sent exactly");

  const std::string key = common::idempotencyBasis(call, "ordersvc-charge-" + req->paymentId);
  const MpReply reply =
      client_.post(call, "/v1/payments", createPaymentBody(*req, card, mode, *amount, call, config_), key);
  PaymentResult unnamed{"",      req->amount, externalReference(req->paymentId), unnamedPaymentData(*req, mode),
                        nullptr, std::nullopt};
  if (auto failure = failureOf(reply)) return failureResult(*failure, reply, unnamed, call, "create payment");
  auto payment = readPayment(reply.body, req->amount.currency);
  if (!payment) return failureResult(Failure::Unknown, reply, unnamed, call, "create payment (unreadable answer)");
  if (payment->currency != req->amount.currency) {
    call.log(OSP_LOG_WARN, "MercadoPago charged payment " + payment->id + " in " + payment->currency + ", not " +
                               req->amount.currency + ": the account's site decides the currency");
  }
  return paymentResultOf(*payment, mode, req->paymentId, req->amount).toResult();
}

Result MercadoPagoInstance::capture(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = common::readCaptureRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  if (req->capturedAmount.value > req->authorizedAmount.value ||
      req->amount.value > req->authorizedAmount.value - req->capturedAmount.value) {
    return Result::error(OSP_E_INVALID_ARGUMENT, "capture.exceeds_authorized",
                         "capture of " + common::formatMoney(req->amount) + " exceeds what is left of the " +
                             common::formatMoney(req->authorizedAmount) + " authorized");
  }
  auto mpId = mercadoPagoPaymentId(req->providerData, req->providerReference);
  if (!mpId) return Result::invalid("provider_data names no MercadoPago payment (mp_payment_id)");
  PaymentResult base{"", req->amount, *mpId, copyOf(req->providerData), nullptr, std::nullopt};
  if (req->capturedAmount.value > 0) {
    base.status = "declined";
    base.gatewayError = common::providerErrorJson(
        "already_captured", "MercadoPago captures an authorization once; this one was captured already");
    return base.toResult();
  }
  const auto amount = toMajorUnits(req->amount);
  if (!amount) return Result::invalid("amount is larger than MercadoPago can be sent exactly");

  Poco::JSON::Object::Ptr body = common::makeObject();
  body->set("capture", true);
  body->set("transaction_amount", *amount);
  const std::string key = common::idempotencyBasis(call, "ordersvc-capture-" + req->paymentId);
  const MpReply reply = client_.put(call, "/v1/payments/" + *mpId, body, key);
  if (auto failure = failureOf(reply)) return failureResult(*failure, reply, base, call, "capture payment " + *mpId);
  auto payment = readPayment(reply.body, req->amount.currency);
  if (!payment) return failureResult(Failure::Unknown, reply, base, call, "capture payment (unreadable answer)");
  // After a capture, "authorized" means MercadoPago has not captured yet: pending.
  PaymentResult result = paymentResultOf(*payment, CaptureMode::Automatic, req->paymentId, req->amount);
  result.amount = req->amount;  // what was captured now, whatever the payment's total
  result.providerData->set("capture", std::string(captureModeName(CaptureMode::Manual)));
  return result.toResult();
}

Result MercadoPagoInstance::voidPayment(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = common::readVoidRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  auto mpId = mercadoPagoPaymentId(req->providerData, req->providerReference);
  if (!mpId) return Result::invalid("provider_data names no MercadoPago payment (mp_payment_id)");
  auto amount = req->authorizedAmount ? req->authorizedAmount : recordedAmount(req->providerData);
  if (!amount) return Result::invalid("authorized_amount is required when provider_data records no amount");
  PaymentResult base{"", *amount, *mpId, copyOf(req->providerData), nullptr, std::nullopt};
  const auto alreadyCaptured = [&base](const std::string& mpStatus) {
    base.status = "declined";
    base.gatewayError = common::providerErrorJson(
        "already_captured", "the payment is " + mpStatus + " at MercadoPago: refund it instead of voiding it");
    base.gatewayError->set("provider_code", mpStatus);
    return base.toResult();
  };
  if (auto recorded = stringIn(req->providerData, "mp_status"); recorded && isCaptured(*recorded)) {
    return alreadyCaptured(*recorded);
  }

  Poco::JSON::Object::Ptr body = common::makeObject();
  body->set("status", "cancelled");
  const std::string key = common::idempotencyBasis(call, "ordersvc-void-" + req->paymentId);
  const MpReply reply = client_.put(call, "/v1/payments/" + *mpId, body, key);
  if (auto failure = failureOf(reply)) return failureResult(*failure, reply, base, call, "cancel payment " + *mpId);
  auto payment = readPayment(reply.body, amount->currency);
  if (!payment) return failureResult(Failure::Unknown, reply, base, call, "cancel payment (unreadable answer)");
  base.providerData = paymentData(*payment, recordedMode(req->providerData), req->paymentId, *amount);
  if (isCaptured(payment->status)) return alreadyCaptured(payment->status);
  // Anything but "cancelled" means MercadoPago has not cancelled it (yet): sync tells.
  base.status = payment->status == "cancelled" ? "succeeded" : "pending";
  return base.toResult();
}

Result MercadoPagoInstance::refund(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = common::readRefundRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  const Money& captured = req->capturedAmount;
  const Money& already = req->refundedAmount;
  if (!req->withinCaptured()) {
    const std::string message = "refund of " + common::formatMoney(req->amount) + " exceeds what is left of the " +
                                common::formatMoney(captured) + " captured (" + common::formatMoney(already) +
                                " refunded already)";
    call.log(OSP_LOG_WARN, message);
    return Result::error(OSP_E_INVALID_ARGUMENT, "refund.exceeds_captured", message);
  }
  auto mpId = mercadoPagoPaymentId(req->providerData, req->providerReference);
  if (!mpId) return Result::invalid("provider_data names no MercadoPago payment (mp_payment_id)");
  const auto amount = toMajorUnits(req->amount);
  if (!amount) return Result::invalid("amount is larger than MercadoPago can be sent exactly");

  // MercadoPago's documented way to refund everything is a request without a body.
  const bool full = already.value == 0 && req->amount.value == captured.value;
  Poco::JSON::Object::Ptr body;
  if (!full) {
    body = common::makeObject();
    body->set("amount", *amount);
  }
  const std::string key = common::idempotencyBasis(call, "ordersvc-refund-" + req->refundId);
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("kind", "refund");
  data->set("mp_payment_id", *mpId);
  data->set("refund_id", req->refundId);
  data->set("amount", common::moneyJson(req->amount));
  data->set("full", full);
  // sync asks again with this key when the answer never came (see sync()).
  data->set("idempotency_key", key);

  const MpReply reply = client_.post(call, "/v1/payments/" + *mpId + "/refunds", body, key);
  PaymentResult unnamed{"", req->amount, refundReference(req->refundId), data, nullptr, std::nullopt};
  if (auto failure = failureOf(reply)) return failureResult(*failure, reply, unnamed, call, "refund payment " + *mpId);
  auto refund = readRefund(reply.body, req->amount.currency);
  if (!refund) return failureResult(Failure::Unknown, reply, unnamed, call, "refund (unreadable answer)");
  return refundResultOf(*refund, req->amount, data).toResult();
}

Result MercadoPagoInstance::sync(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = common::readSyncRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  return req->refundId ? syncRefund(call, *req) : syncPayment(call, *req);
}

Result MercadoPagoInstance::syncPayment(const osp::sdk::Call& call, const SyncRequest& req) const {
  auto recorded = recordedAmount(req.providerData);
  if (!recorded) return Result::invalid("provider_data was not written by the mercadopago plugin (no amount)");
  return lookUpPayment(call, req.paymentId, req.providerReference, req.providerData, recordedMode(req.providerData),
                       *recorded);
}

Result MercadoPagoInstance::lookUpPayment(const osp::sdk::Call& call, const std::string& hostPaymentId,
                                          const std::string& reference, const Poco::JSON::Object::Ptr& data,
                                          CaptureMode mode, const Money& amount) const {
  auto mpId = mercadoPagoPaymentId(data, reference);
  if (mpId) {
    const MpReply reply = client_.get(call, "/v1/payments/" + *mpId);
    if (!reply.ok()) return readFailure(reply, "payment " + *mpId);
    auto payment = readPayment(reply.body, amount.currency);
    if (!payment) return unreadableAnswer("payment " + *mpId);
    return paymentResultOf(*payment, mode, hostPaymentId, amount).toResult();
  }
  // The creation went unanswered: find the payment by the external_reference it was sent
  // with, newest first (a declined attempt may precede the one that counts).
  const std::string query = "/v1/payments/search?external_reference=" + common::formEncode(hostPaymentId) +
                            "&sort=date_created&criteria=desc";
  const MpReply reply = client_.get(call, query);
  if (!reply.ok()) return readFailure(reply, "payments of " + hostPaymentId);
  Poco::JSON::Array::Ptr results = reply.body->getArray("results");
  if (!results.isNull() && results->size() > 0) {
    if (auto payment = readPayment(results->getObject(0), amount.currency)) {
      return paymentResultOf(*payment, mode, hostPaymentId, amount).toResult();
    }
  }
  // Not found (yet: MercadoPago's search may lag). The host keeps asking; nothing proves
  // that the payment was never made.
  PaymentResult unknown{"unknown",    amount,  reference.empty() ? externalReference(hostPaymentId) : reference,
                        copyOf(data), nullptr, std::nullopt};
  return unknown.toResult();
}

Result MercadoPagoInstance::syncRefund(const osp::sdk::Call& call, const SyncRequest& req) const {
  auto recorded = recordedAmount(req.providerData);
  auto mpId = mercadoPagoPaymentId(req.providerData, "");
  if (!recorded || !mpId || stringIn(req.providerData, "kind") != std::optional<std::string>("refund")) {
    return Result::invalid("provider_data is not a refund written by the mercadopago plugin");
  }
  Poco::JSON::Object::Ptr data = copyOf(req.providerData);
  if (req.providerData->has("mp_refund_id")) {
    auto refundId = readId(req.providerData->get("mp_refund_id"));
    if (!refundId) return Result::invalid("provider_data.mp_refund_id is not a MercadoPago id");
    const MpReply reply = client_.get(call, "/v1/payments/" + *mpId + "/refunds/" + *refundId);
    if (!reply.ok()) return readFailure(reply, "refund " + *refundId);
    auto refund = readRefund(reply.body, recorded->currency);
    if (!refund) return unreadableAnswer("refund " + *refundId);
    return refundResultOf(*refund, *recorded, data).toResult();
  }
  // The creation went unanswered. The same request with the same X-Idempotency-Key makes
  // MercadoPago answer with the refund it made for it, or make it now (which the host
  // asked for in the first place); never a second refund.
  auto key = stringIn(req.providerData, "idempotency_key");
  if (!key) return Result::invalid("provider_data of an unanswered refund lacks its idempotency_key");
  Poco::JSON::Object::Ptr body;
  const bool full = req.providerData->has("full") && req.providerData->get("full").isBoolean() &&
                    req.providerData->getValue<bool>("full");
  if (!full) {
    const auto amount = toMajorUnits(*recorded);
    if (!amount) return Result::invalid("provider_data.amount is not a refundable amount");
    body = common::makeObject();
    body->set("amount", *amount);
  }
  const MpReply reply = client_.post(call, "/v1/payments/" + *mpId + "/refunds", body, *key);
  if (!reply.ok()) return readFailure(reply, "the refund of payment " + *mpId);
  auto refund = readRefund(reply.body, recorded->currency);
  if (!refund) return unreadableAnswer("the refund");
  return refundResultOf(*refund, *recorded, data).toResult();
}

}  // namespace ordersvc::plugins::mercadopago
