#include "payments/paypal/paypal_instance.h"

#include <Poco/JSON/Array.h>

#include "common/json_reader.h"
#include "common/json_writer.h"
#include "common/sdk_glue.h"
#include "payments/paypal/paypal_json.h"
#include "payments/paypal/paypal_money.h"
#include "payments/paypal/paypal_order_outcome.h"
#include "payments/paypal/paypal_payment_result.h"
#include "payments/paypal/paypal_webhook.h"

namespace ordersvc::plugins::paypal {

using common::JsonObjectReader;
using common::Money;
using common::Need;
using osp::sdk::Result;

namespace {

bool isSuccess(const common::HttpReply& reply) {
  return reply.status >= 200 && reply.status < 300;
}

// PayPal-Request-Id: the call's idempotency key (hashed when longer than 100 bytes; PayPal
// takes 108), or, without one, a key derived from the host's own id of the object.
std::string requestIdFor(const osp::sdk::Call& call, const std::string& operation, const std::string& hostId) {
  return common::idempotencyBasis(call, operation + "-" + hostId);
}

// The reference of a payment or refund whose PayPal id is not known (the call was not
// sent, or its answer was lost): stable across retries, like the request id.
std::string provisionalReference(const std::string& requestId) {
  return "paypal-request:" + requestId;
}

// PayPal's locale pattern is "ll" or "ll-CC"; anything else (es-419, "EN") is left out
// rather than have PayPal refuse the order over a display preference.
bool isPaypalLocale(const std::string& locale) {
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (locale.size() != 2 && locale.size() != 5) return false;
  if (!lower(locale[0]) || !lower(locale[1])) return false;
  return locale.size() == 2 || (locale[2] == '-' && upper(locale[3]) && upper(locale[4]));
}

// The result when PayPal gave no usable answer, or nullopt when it answered. `forSync`:
// a sync that did not get through says nothing about the payment, so even a call that
// was never sent is unknown there.
std::optional<Result> transportResult(const ApiOutcome& outcome, const Money& amount, const std::string& reference,
                                      const Poco::JSON::Object::Ptr& data, bool forSync = false) {
  switch (outcome.transport) {
    case ApiTransport::Answered:
      return std::nullopt;
    case ApiTransport::AuthFailed:
      return Result::error(OSP_E_PERMANENT, "provider.auth_failed", outcome.error);
    case ApiTransport::NotSent:
      return Result::ok(
          PaymentResult{forSync ? "unknown" : "not_submitted", amount, reference, data, {}, {}, {}}.toJson());
    case ApiTransport::MaybeSent:
      return Result::ok(PaymentResult{"unknown", amount, reference, data, {}, {}, {}}.toJson());
  }
  return std::nullopt;
}

Result declinedResult(const Money& amount, const std::string& reference, const Poco::JSON::Object::Ptr& data,
                      GatewayError error) {
  return Result::ok(PaymentResult{"declined", amount, reference, data, std::move(error), {}, {}}.toJson());
}

Result currencyMismatch(const Money& expected, const Money& got, std::string_view field) {
  return Result::invalid(std::string(field) + " is in " + got.currency + " but amount is in " + expected.currency);
}

// The host's books for a capture or refund: `amount` plus what was already done (absent
// = none) must stay within `limit`, all in one currency. nullopt when they do; otherwise
// OSP_E_INVALID_ARGUMENT, with `code` when the limit is exceeded. `action` and `limitWord`
// name them in the message ("capture" of what was "authorized").
std::optional<Result> beyondLimit(const Money& amount, const std::optional<Money>& done, const Money& limit,
                                  const std::string& doneField, const std::string& limitField, const std::string& code,
                                  const std::string& action, const std::string& limitWord) {
  if (limit.currency != amount.currency) return currencyMismatch(amount, limit, limitField);
  const Money already = done.value_or(Money{0, amount.currency});
  if (already.currency != amount.currency) return currencyMismatch(amount, already, doneField);
  if (already.value <= limit.value && amount.value <= limit.value - already.value) return std::nullopt;
  return Result::error(OSP_E_INVALID_ARGUMENT, code,
                       action + " of " + common::formatMoney(amount) + " with " + common::formatMoney(already) +
                           " already done exceeds the " + common::formatMoney(limit) + " " + limitWord);
}

// Fields every request may carry that this plugin does not use, still checked so that a
// request breaking its schema is refused whole.
void checkCustomer(const JsonObjectReader& req) {
  if (auto customer = req.object("customer", Need::Optional)) {
    customer->rejectUnknown({"id", "name", "email"});
    customer->string("id", Need::Optional, 1, 200);
    customer->string("name", Need::Optional, 0, 200);
    customer->string("email", Need::Optional, 0, 254);
  }
}

void checkPaymentMethod(const JsonObjectReader& req) {
  if (auto method = req.object("payment_method", Need::Optional)) {
    method->rejectUnknown({"type", "token"});
    method->oneOf("type", Need::Required, {"card", "cash", "wallet", "bank_transfer", "other"});
    method->string("token", Need::Optional, 0, 500);
  }
}

}  // namespace

Result PaypalInstance::createSession(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = common::readObject(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"payment_id", "order_id", "amount", "capture", "payment_method_types", "customer", "description",
                      "return_url", "cancel_url", "locale", "expires_at", "metadata"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  req->string("order_id", Need::Optional, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  auto capture = req->oneOf("capture", Need::Optional, {"automatic", "manual"});
  if (auto types = req->array("payment_method_types", Need::Optional, 1, 5)) {
    for (std::size_t i = 0; i < types->size(); ++i) types->string(i, 1, 20);
  }
  checkCustomer(*req);
  auto description = req->string("description", Need::Optional, 0, 500);
  auto returnUrl = req->string("return_url", Need::Optional, 1, 2000);
  auto cancelUrl = req->string("cancel_url", Need::Optional, 1, 2000);
  auto locale = req->string("locale", Need::Optional, 2, 35);
  req->string("expires_at", Need::Optional, 1, 64);
  common::checkMetadata(*req);
  if (!problems.empty()) return common::invalidRequest(problems);

  // PayPal's approval flow offers what the buyer's account and PayPal's rules allow;
  // payment_method_types and expires_at (orders expire on PayPal's schedule) have no
  // counterpart in the order request and are not sent.
  const std::string intent = capture.value_or("automatic") == "manual" ? "AUTHORIZE" : "CAPTURE";
  const std::string requestId = requestIdFor(call, "session", *paymentId);
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("intent", intent);
  data->set("amount", common::moneyJson(*amount));

  const auto value = toPaypalValue(*amount);
  if (const auto* unpayable = std::get_if<Unpayable>(&value)) {
    data->set("paypal_request_id", requestId);
    return declinedResult(*amount, provisionalReference(requestId), data,
                          GatewayError{unpayable->code, unpayable->message, ""});
  }

  Poco::JSON::Object::Ptr unit = common::makeObject();
  unit->set("reference_id", *paymentId);
  if (paymentId->size() <= 127) unit->set("custom_id", *paymentId);
  // No invoice_id: PayPal refuses a second order with the same one (DUPLICATE_INVOICE_ID),
  // which would block a customer retrying the payment of one of our orders.
  if (description && !description->empty()) unit->set("description", cutUtf8(*description, 127));
  unit->set("amount", paypalMoneyJson(amount->currency, std::get<std::string>(value)));
  Poco::JSON::Array::Ptr units = common::makeArray();
  units->add(unit);

  Poco::JSON::Object::Ptr experience = common::makeObject();
  if (config_.brandName) experience->set("brand_name", *config_.brandName);
  if (locale && isPaypalLocale(*locale)) experience->set("locale", *locale);
  // The order service ships to the address it holds, not to one chosen on PayPal's page.
  experience->set("shipping_preference", "NO_SHIPPING");
  // The buyer's approval completes the purchase: no review step on our side follows.
  experience->set("user_action", "PAY_NOW");
  if (returnUrl) experience->set("return_url", *returnUrl);
  if (cancelUrl || returnUrl) experience->set("cancel_url", cancelUrl ? *cancelUrl : *returnUrl);
  Poco::JSON::Object::Ptr wallet = common::makeObject();
  wallet->set("experience_context", experience);
  Poco::JSON::Object::Ptr source = common::makeObject();
  source->set("paypal", wallet);

  Poco::JSON::Object::Ptr body = common::makeObject();
  body->set("intent", intent);
  body->set("purchase_units", units);
  body->set("payment_source", source);

  const ApiOutcome outcome =
      api_.send(call, ApiRequest{"POST", "/v2/checkout/orders", common::toJson(body), requestId});
  Poco::JSON::Object::Ptr unsent = copyData(data);
  unsent->set("paypal_request_id", requestId);
  if (auto early = transportResult(outcome, *amount, provisionalReference(requestId), unsent)) return *early;
  if (!isSuccess(outcome.reply)) {
    return Result::ok(failedCallResult(outcome.reply, *amount, provisionalReference(requestId), unsent).toJson());
  }
  const Poco::JSON::Object::Ptr order = parseAnswer(outcome.reply.body);
  const std::string orderId = stringOf(order, "id");
  if (!isPaypalId(orderId)) {
    call.log(OSP_LOG_WARN, "PayPal's answer to creating an order has no order id");
    return Result::ok(PaymentResult{"unknown", *amount, provisionalReference(requestId), unsent, {}, {}, {}}.toJson());
  }
  data->set("order_id", orderId);
  PaymentResult result = orderOutcome(order, KnownPayment{orderId, *amount, data});
  return Result::ok(result.toJson());
}

Result PaypalInstance::sale(const osp::sdk::Call& call, std::string_view request) {
  return completeOrder(call, request, true);
}

Result PaypalInstance::authorize(const osp::sdk::Call& call, std::string_view request) {
  return completeOrder(call, request, false);
}

Result PaypalInstance::completeOrder(const osp::sdk::Call& call, std::string_view request, bool capture) {
  common::Problems problems;
  auto req = common::readObject(request, problems);
  if (!req) return common::invalidRequest(problems);
  if (capture) {
    req->rejectUnknown({"payment_id", "order_id", "amount", "amount_tendered", "payment_method", "customer",
                        "description", "return_url", "metadata", "provider_data"});
    req->money("amount_tendered", Need::Optional, 0);
  } else {
    req->rejectUnknown({"payment_id", "order_id", "amount", "payment_method", "customer", "description", "return_url",
                        "metadata", "provider_data"});
  }
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  req->string("order_id", Need::Optional, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  checkPaymentMethod(*req);
  checkCustomer(*req);
  req->string("description", Need::Optional, 0, 500);
  req->string("return_url", Need::Optional, 1, 2000);
  common::checkMetadata(*req);
  auto sessionData = req->object("provider_data", Need::Optional);
  if (!problems.empty()) return common::invalidRequest(problems);

  const std::string wanted = capture ? "CAPTURE" : "AUTHORIZE";
  Poco::JSON::Object::Ptr data = sessionData ? copyData(sessionData->raw()) : common::makeObject();
  std::string orderId = stringOf(data, "order_id");
  if (orderId.empty() && req->has("payment_method")) {
    // An order the storefront created with PayPal's JS SDK and had the buyer approve.
    orderId = stringOf(req->raw()->getObject("payment_method"), "token");
    data->set("order_id", orderId);
    data->set("intent", wanted);
    data->set("amount", common::moneyJson(*amount));
  }
  if (orderId.empty()) {
    return Result::invalid(std::string(capture ? "payment.sale" : "payment.authorize") +
                           " needs provider_data.order_id from payment.create_session (or payment_method.token naming "
                           "an approved PayPal order)");
  }
  if (!isPaypalId(orderId)) return Result::invalid("the PayPal order id \"" + cutUtf8(orderId, 64) + "\" is malformed");
  const std::string intent = stringOf(data, "intent");
  if (!intent.empty() && intent != wanted) {
    return Result::invalid("the session was created for " + std::string(intent == "AUTHORIZE"
                                                                            ? "manual capture: call payment.authorize"
                                                                            : "automatic capture: call payment.sale"));
  }
  if (data->has("amount")) {
    common::Problems dataProblems;
    const JsonObjectReader dataReader(data, "/provider_data", dataProblems);
    auto sessionAmount = dataReader.money("amount", Need::Required, 1);
    if (sessionAmount && *sessionAmount != *amount) {
      return Result::invalid("amount " + common::formatMoney(*amount) + " differs from the session's " +
                             common::formatMoney(*sessionAmount));
    }
  }
  data->set("intent", wanted);

  const KnownPayment known{orderId, *amount, data};
  const std::string requestId = requestIdFor(call, capture ? "sale" : "authorize", *paymentId);
  const std::string action = capture ? "/capture" : "/authorize";
  const ApiOutcome outcome =
      api_.send(call, ApiRequest{"POST", "/v2/checkout/orders/" + orderId + action, "{}", requestId});
  if (auto early = transportResult(outcome, *amount, orderId, data)) return *early;

  if (isSuccess(outcome.reply)) {
    const Poco::JSON::Object::Ptr order = parseAnswer(outcome.reply.body);
    if (!order) return Result::ok(PaymentResult{"unknown", *amount, orderId, data, {}, {}, {}}.toJson());
    return Result::ok(orderOutcome(order, known).toJson());
  }

  const PaypalError error = paypalError(outcome.reply);
  if (error.issue == "ORDER_NOT_APPROVED" || error.issue == "PAYER_ACTION_REQUIRED") {
    const std::string link = stringOf(data, "approve_url");
    if (!link.empty()) {
      return Result::ok(PaymentResult{"action_required", *amount, orderId, data, {}, link, {}}.toJson());
    }
    return declinedResult(*amount, orderId, data, gatewayErrorFromIssue(error.issue, error.message));
  }
  if (error.issue == (capture ? "ORDER_ALREADY_CAPTURED" : "ORDER_ALREADY_AUTHORIZED")) {
    // An earlier attempt went through and its answer was lost: report what PayPal holds.
    const ApiOutcome fetched = api_.send(call, ApiRequest{"GET", "/v2/checkout/orders/" + orderId, "", ""});
    if (auto early = transportResult(fetched, *amount, orderId, data, true)) return *early;
    const Poco::JSON::Object::Ptr order = isSuccess(fetched.reply) ? parseAnswer(fetched.reply.body) : nullptr;
    if (!order) return Result::ok(PaymentResult{"unknown", *amount, orderId, data, {}, {}, {}}.toJson());
    return Result::ok(orderOutcome(order, known).toJson());
  }
  return Result::ok(failedCallResult(outcome.reply, *amount, orderId, data).toJson());
}

Result PaypalInstance::capture(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = common::readObject(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"payment_id", "capture_id", "amount", "authorized_amount", "captured_amount", "final_capture",
                      "provider_reference", "provider_data", "metadata"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto captureId = req->string("capture_id", Need::Optional, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  auto authorized = req->money("authorized_amount", Need::Required, 1);
  auto captured = req->money("captured_amount", Need::Optional, 0);
  auto finalCapture = req->boolean("final_capture", Need::Optional);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto paymentData = req->object("provider_data", Need::Required);
  common::checkMetadata(*req);
  if (!problems.empty()) return common::invalidRequest(problems);
  if (auto refused = beyondLimit(*amount, captured, *authorized, "captured_amount", "authorized_amount",
                                 "capture.exceeds_authorized", "capture", "authorized")) {
    return *refused;
  }
  const std::string authorizationId = stringOf(paymentData->raw(), "authorization_id");
  if (!isPaypalId(authorizationId)) {
    return Result::invalid(
        "provider_data has no authorization_id: the payment was not authorized by payment.authorize");
  }

  Poco::JSON::Object::Ptr data = copyData(paymentData->raw());
  const auto value = toPaypalValue(*amount);
  if (const auto* unpayable = std::get_if<Unpayable>(&value)) {
    return declinedResult(*amount, *reference, data, GatewayError{unpayable->code, unpayable->message, ""});
  }
  Poco::JSON::Object::Ptr body = common::makeObject();
  body->set("amount", paypalMoneyJson(amount->currency, std::get<std::string>(value)));
  body->set("final_capture", finalCapture.value_or(true));

  const std::string requestId = requestIdFor(call, "capture", captureId.value_or(*paymentId));
  const ApiOutcome outcome =
      api_.send(call, ApiRequest{"POST", "/v2/payments/authorizations/" + authorizationId + "/capture",
                                 common::toJson(body), requestId});
  if (auto early = transportResult(outcome, *amount, *reference, data)) return *early;
  if (!isSuccess(outcome.reply)) return Result::ok(failedCallResult(outcome.reply, *amount, *reference, data).toJson());
  const Poco::JSON::Object::Ptr resource = parseAnswer(outcome.reply.body);
  if (!resource || !isPaypalId(stringOf(resource, "id"))) {
    return Result::ok(PaymentResult{"unknown", *amount, *reference, data, {}, {}, {}}.toJson());
  }
  return Result::ok(captureOutcome(resource, KnownPayment{*reference, *amount, data}).toJson());
}

Result PaypalInstance::voidPayment(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = common::readObject(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"payment_id", "authorized_amount", "reason", "provider_reference", "provider_data", "metadata"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto authorized = req->money("authorized_amount", Need::Optional, 1);
  req->string("reason", Need::Optional, 0, 500);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto paymentData = req->object("provider_data", Need::Required);
  common::checkMetadata(*req);
  if (!problems.empty()) return common::invalidRequest(problems);

  const std::string authorizationId = stringOf(paymentData->raw(), "authorization_id");
  if (!isPaypalId(authorizationId)) {
    return Result::invalid(
        "provider_data has no authorization_id: the payment was not authorized by payment.authorize");
  }
  std::optional<Money> released = authorized;
  if (!released && paymentData->has("amount")) released = paymentData->money("amount", Need::Required, 1);
  if (!released) return Result::invalid("authorized_amount is required when provider_data has no amount");

  Poco::JSON::Object::Ptr data = copyData(paymentData->raw());
  const std::string requestId = requestIdFor(call, "void", *paymentId);
  const ApiOutcome outcome =
      api_.send(call, ApiRequest{"POST", "/v2/payments/authorizations/" + authorizationId + "/void", "", requestId});
  if (auto early = transportResult(outcome, *released, *reference, data)) return *early;
  const PaypalError error = isSuccess(outcome.reply) ? PaypalError{} : paypalError(outcome.reply);
  if (isSuccess(outcome.reply) || error.issue == "PREVIOUSLY_VOIDED") {
    data->set("authorization_status", "VOIDED");
    return Result::ok(PaymentResult{"succeeded", *released, *reference, data, {}, {}, {}}.toJson());
  }
  if (error.issue == "PREVIOUSLY_CAPTURED") {
    return declinedResult(
        *released, *reference, data,
        GatewayError{"already_captured", "the authorization was captured: refund it instead", error.issue});
  }
  return Result::ok(failedCallResult(outcome.reply, *released, *reference, data).toJson());
}

Result PaypalInstance::refund(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = common::readObject(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"payment_id", "refund_id", "amount", "captured_amount", "refunded_amount", "reason",
                      "provider_reference", "provider_data", "metadata"});
  req->string("payment_id", Need::Required, 1, 200);
  auto refundId = req->string("refund_id", Need::Required, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  auto captured = req->money("captured_amount", Need::Required, 1);
  auto refunded = req->money("refunded_amount", Need::Optional, 0);
  auto reason = req->string("reason", Need::Optional, 0, 500);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto paymentData = req->object("provider_data", Need::Required);
  common::checkMetadata(*req);
  if (!problems.empty()) return common::invalidRequest(problems);
  if (auto refused = beyondLimit(*amount, refunded, *captured, "refunded_amount", "captured_amount",
                                 "refund.exceeds_captured", "refund", "captured")) {
    return *refused;
  }
  const std::string captureId = stringOf(paymentData->raw(), "capture_id");
  if (!isPaypalId(captureId)) {
    return Result::error(OSP_E_INVALID_ARGUMENT, "refund.payment_not_captured",
                         "provider_data has no capture_id: the payment has no PayPal capture to refund");
  }

  const std::string requestId = requestIdFor(call, "refund", *refundId);
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("kind", "refund");
  data->set("refund_id", *refundId);
  data->set("capture_id", captureId);
  const std::string orderId = stringOf(paymentData->raw(), "order_id");
  data->set("order_id", orderId.empty() ? *reference : orderId);
  data->set("amount", common::moneyJson(*amount));
  data->set("paypal_request_id", requestId);
  const std::string unsentReference = provisionalReference(requestId);

  const auto value = toPaypalValue(*amount);
  if (const auto* unpayable = std::get_if<Unpayable>(&value)) {
    return declinedResult(*amount, unsentReference, data, GatewayError{unpayable->code, unpayable->message, ""});
  }
  Poco::JSON::Object::Ptr body = common::makeObject();
  body->set("amount", paypalMoneyJson(amount->currency, std::get<std::string>(value)));
  // custom_id lets sync find the refund in the order when this call's answer is lost.
  if (refundId->size() <= 127) body->set("custom_id", *refundId);
  if (reason && !reason->empty()) body->set("note_to_payer", cutUtf8(*reason, 255));

  const ApiOutcome outcome = api_.send(
      call, ApiRequest{"POST", "/v2/payments/captures/" + captureId + "/refund", common::toJson(body), requestId});
  if (auto early = transportResult(outcome, *amount, unsentReference, data)) return *early;
  if (!isSuccess(outcome.reply))
    return Result::ok(failedCallResult(outcome.reply, *amount, unsentReference, data).toJson());
  const Poco::JSON::Object::Ptr resource = parseAnswer(outcome.reply.body);
  if (!resource || !isPaypalId(stringOf(resource, "id"))) {
    return Result::ok(PaymentResult{"unknown", *amount, unsentReference, data, {}, {}, {}}.toJson());
  }
  return Result::ok(refundOutcome(resource, *amount, data).toJson());
}

Result PaypalInstance::sync(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = common::readObject(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"payment_id", "refund_id", "provider_reference", "provider_data"});
  req->string("payment_id", Need::Required, 1, 200);
  auto refundId = req->string("refund_id", Need::Optional, 1, 200);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  if (!problems.empty()) return common::invalidRequest(problems);
  common::Problems dataProblems;
  const JsonObjectReader dataReader(data->raw(), "/provider_data", dataProblems);
  auto amount = dataReader.money("amount", Need::Required, 1);
  if (!amount) return Result::invalid("provider_data was not written by the paypal plugin: " + dataProblems.summary());
  if (refundId) return syncRefund(call, *refundId, *reference, data->raw());

  Poco::JSON::Object::Ptr known = copyData(data->raw());
  const std::string orderId = stringOf(known, "order_id");
  if (orderId.empty()) {
    // create_session never learned an order id: whatever order PayPal may have made was
    // never shown to the customer, so nobody can approve it and it expires unpaid.
    return Result::ok(PaymentResult{"not_submitted", *amount, *reference, known, {}, {}, {}}.toJson());
  }
  if (!isPaypalId(orderId)) return Result::invalid("provider_data.order_id is malformed");
  const ApiOutcome outcome = api_.send(call, ApiRequest{"GET", "/v2/checkout/orders/" + orderId, "", ""});
  if (auto early = transportResult(outcome, *amount, orderId, known, true)) return *early;
  if (outcome.reply.status == 404) {
    return declinedResult(*amount, orderId, known,
                          gatewayErrorFromIssue("RESOURCE_NOT_FOUND", "PayPal has no such order"));
  }
  const Poco::JSON::Object::Ptr order = isSuccess(outcome.reply) ? parseAnswer(outcome.reply.body) : nullptr;
  if (!order) return Result::ok(PaymentResult{"unknown", *amount, orderId, known, {}, {}, {}}.toJson());
  return Result::ok(orderOutcome(order, KnownPayment{orderId, *amount, known}).toJson());
}

Result PaypalInstance::syncRefund(const osp::sdk::Call& call, const std::string& refundId, const std::string& reference,
                                  const Poco::JSON::Object::Ptr& data) {
  common::Problems problems;
  const Money amount = *JsonObjectReader(data, "", problems).money("amount", Need::Required, 1);
  const std::string paypalRefundId = stringOf(data, "paypal_refund_id");
  Poco::JSON::Object::Ptr refund;
  if (!paypalRefundId.empty()) {
    if (!isPaypalId(paypalRefundId)) return Result::invalid("provider_data.paypal_refund_id is malformed");
    const ApiOutcome outcome = api_.send(call, ApiRequest{"GET", "/v2/payments/refunds/" + paypalRefundId, "", ""});
    if (auto early = transportResult(outcome, amount, reference, data, true)) return *early;
    if (outcome.reply.status == 404) {
      return declinedResult(amount, reference, data,
                            gatewayErrorFromIssue("RESOURCE_NOT_FOUND", "PayPal has no such refund"));
    }
    refund = isSuccess(outcome.reply) ? parseAnswer(outcome.reply.body) : nullptr;
  } else {
    // The refund's answer was lost: look for it among the order's refunds by custom_id.
    const std::string orderId = stringOf(data, "order_id");
    if (!isPaypalId(orderId)) return Result::invalid("provider_data has neither paypal_refund_id nor order_id");
    const ApiOutcome outcome = api_.send(call, ApiRequest{"GET", "/v2/checkout/orders/" + orderId, "", ""});
    if (auto early = transportResult(outcome, amount, reference, data, true)) return *early;
    const Poco::JSON::Object::Ptr order = isSuccess(outcome.reply) ? parseAnswer(outcome.reply.body) : nullptr;
    if (!order) return Result::ok(PaymentResult{"unknown", amount, reference, data, {}, {}, {}}.toJson());
    const Poco::JSON::Array::Ptr units = order->getArray("purchase_units");
    const Poco::JSON::Object::Ptr unit = units && units->size() > 0 ? units->getObject(0) : nullptr;
    const Poco::JSON::Object::Ptr payments = unit ? unit->getObject("payments") : nullptr;
    const Poco::JSON::Array::Ptr refunds = payments ? payments->getArray("refunds") : nullptr;
    for (std::size_t i = 0; refunds && i < refunds->size(); ++i) {
      const Poco::JSON::Object::Ptr candidate = refunds->getObject(static_cast<unsigned>(i));
      if (stringOf(candidate, "custom_id") == refundId) refund = candidate;
    }
    if (!refund) {
      // PayPal holds no refund of ours: the request never took effect, and sending it
      // again (same PayPal-Request-Id) is safe.
      return Result::ok(PaymentResult{"not_submitted", amount, reference, data, {}, {}, {}}.toJson());
    }
  }
  if (!refund || !isPaypalId(stringOf(refund, "id"))) {
    return Result::ok(PaymentResult{"unknown", amount, reference, data, {}, {}, {}}.toJson());
  }
  return Result::ok(refundOutcome(refund, amount, data).toJson());
}

Result PaypalInstance::webhookVerifyAndParse(const osp::sdk::Call& call, std::string_view request) {
  return verifyAndParseWebhook(call, config_, api_, request);
}

}  // namespace ordersvc::plugins::paypal
