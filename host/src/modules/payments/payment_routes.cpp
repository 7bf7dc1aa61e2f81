#include "modules/payments/payment_routes.h"

#include <optional>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "domain/money.h"
#include "domain/payment.h"
#include "kernel/json_util.h"
#include "modules/orders/order_json.h"
#include "platform/http/json_values.h"
#include "platform/http/request_fields.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Object;
using services::Actor;
using services::PaymentService;

Object::Ptr paymentJson(const domain::Payment& p) {
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("id", p.id);
  out->set("status", std::string(domain::paymentStatusName(p.status)));
  out->set("payment_method", p.paymentMethod);
  out->set("instance_id", p.instanceId);
  out->set("capture_method", std::string(domain::captureModeName(p.captureMode)));
  out->set("amount", moneyValue(p.amountMinor, p.currency));
  out->set("captured", moneyValue(p.capturedMinor, p.currency));
  out->set("refunded", moneyValue(p.refundedMinor, p.currency));
  out->set("currency", p.currency);
  if (p.providerReference) out->set("provider_reference", *p.providerReference);
  if (p.failureReason) out->set("failure_reason", *p.failureReason);
  if (p.fraudOutcome) out->set("fraud_outcome", *p.fraudOutcome);
  if (p.fraudReasons) out->set("fraud_reasons", services::parseJsonArray(*p.fraudReasons));
  return out;
}

Response outcomeResponse(const Result<services::PaymentOutcome>& outcome, int status) {
  if (!outcome) return failureResponse(outcome.error());
  Object::Ptr data = orderJson(outcome->order);
  // The order's "payment" is its summary; this is the payment the call was about.
  data->set("payment_attempt", paymentJson(outcome->payment));
  // What the storefront needs next; shown once, never stored or logged.
  if (outcome->clientSecret) data->set("client_secret", *outcome->clientSecret);
  if (outcome->nextActionJson) data->set("next_action", services::parseJsonObject(*outcome->nextActionJson));
  return successResponse(data, status);
}

Response orderResult(const Result<domain::Order>& order, int status) {
  if (!order) return failureResponse(order.error());
  return successResponse(orderJson(*order), status);
}

std::string idempotencyKeyOf(const Request& request) {
  const auto key = request.headers.find("idempotency-key");
  return key == request.headers.end() ? std::string() : key->second;
}

// A handler that needs the payment service besides the caller and the request.
using PaymentHandler = Response (*)(PaymentService&, const Actor&, const Request&);

RouteHandler with(PaymentService& payments, PaymentHandler handler) {
  return [&payments, handler](const Actor& actor, const Request& request) { return handler(payments, actor, request); };
}

// Passed to the gateway as it is: at most 50 string values, as the plugin ABI allows.
void readMetadata(const Object::Ptr& body, Fields& f, services::PaymentRequest& in) {
  if (!body->has("metadata")) return;
  const auto metadata = body->getObject("metadata");
  bool valid = metadata && metadata->size() <= 50;
  for (const auto& [key, value] : metadata ? *metadata : Object()) {
    valid = valid && key.size() <= 40 && value.isString() && value.extract<std::string>().size() <= 500;
  }
  if (!valid)
    f.problem("metadata", "an object of at most 50 strings (keys up to 40, values up to 500 characters)");
  else
    in.metadataJson = services::toJsonText(metadata);
}

Response pay(PaymentService& payments, const Actor& actor, const Request& request) {
  const auto body = bodyOf(request);
  Fields f(body);
  services::PaymentRequest in;
  auto method = f.text("payment_method", true, 80);
  in.paymentMethodId = f.text("payment_method_id", false, 255);
  auto currency = f.text("currency", true, 3);
  if (currency && !domain::isCurrencyCode(*currency)) f.problem("currency", "an ISO 4217 code such as CLP");
  auto capture = f.text("capture_method", false, 20);
  if (capture && !domain::parseCaptureMode(*capture)) f.problem("capture_method", "automatic or manual");
  in.returnUrl = f.text("return_url", false, 2000);
  if (in.returnUrl && in.returnUrl->rfind("https://", 0) != 0 && in.returnUrl->rfind("http://", 0) != 0) {
    f.problem("return_url", "an http(s) URL");
  }
  readMetadata(body, f, in);
  if (!f.ok()) return f.failure();
  auto amount = f.amount("amount", true, *currency);
  auto tendered = f.amount("amount_tendered", false, *currency);
  if (!f.ok()) return f.failure();
  in.paymentMethod = *method;
  in.currency = *currency;
  in.amountMinor = *amount;
  in.amountTenderedMinor = tendered;
  if (capture) in.captureMode = *domain::parseCaptureMode(*capture);
  in.clientIp = request.remoteAddress;
  in.requestId = request.requestId;
  in.idempotencyKey = idempotencyKeyOf(request);
  return outcomeResponse(payments.pay(actor, request.params.at("order_id"), in), 201);
}

Response confirm(PaymentService& payments, const Actor& actor, const Request& request) {
  return outcomeResponse(
      payments.confirm(actor, request.params.at("order_id"), request.params.at("payment_id"), request.requestId), 200);
}

Response capture(PaymentService& payments, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  auto currency = f.text("currency", false, 3);
  if (currency && !domain::isCurrencyCode(*currency)) f.problem("currency", "an ISO 4217 code such as CLP");
  if (!f.ok()) return f.failure();
  std::optional<int64_t> amount;
  if (currency) amount = f.amount("amount", false, *currency);
  if (!currency && bodyOf(request)->has("amount")) f.problem("currency", "is required with amount");
  if (!f.ok()) return f.failure();
  return outcomeResponse(payments.capture(actor, request.params.at("order_id"), request.params.at("payment_id"), amount,
                                          request.requestId),
                         200);
}

Response approve(PaymentService& payments, const Actor& actor, const Request& request) {
  return outcomeResponse(
      payments.approve(actor, request.params.at("order_id"), request.params.at("payment_id"), request.requestId), 200);
}

Response reject(PaymentService& payments, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  auto reason = f.text("reason", false, 500);
  if (!f.ok()) return f.failure();
  return orderResult(
      payments.reject(actor, request.params.at("order_id"), request.params.at("payment_id"), reason.value_or("")), 200);
}

// The lines of a refund by items: 1 to 500 {line_no, quantity}, each problem named.
void readRefundItems(const Object::Ptr& body, Fields& f, services::RefundRequest& in) {
  auto items = body->getArray("items");
  if (!items || items->size() == 0 || items->size() > 500) {
    f.problem("items", "an array of 1 to 500 {line_no, quantity}");
    return;
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = items->getObject(static_cast<unsigned>(i));
    if (!item) {
      f.problem("items[" + std::to_string(i) + "]", "must be an object");
      continue;
    }
    Fields line(item);
    auto lineNo = line.integer("line_no", true, 1, 100000);
    auto quantity = line.integer("quantity", true, 1, 1000000);
    if (!line.ok() || !lineNo || !quantity) {
      f.problem("items[" + std::to_string(i) + "]", "needs line_no and quantity as positive integers");
      continue;
    }
    in.items.emplace_back(static_cast<int>(*lineNo), *quantity);
  }
}

Response refund(PaymentService& payments, const Actor& actor, const Request& request) {
  const auto body = bodyOf(request);
  Fields f(body);
  services::RefundRequest in;
  auto reason = f.text("reason", true, 500);
  auto currency = f.text("currency", false, 3);
  if (currency && !domain::isCurrencyCode(*currency)) f.problem("currency", "an ISO 4217 code such as CLP");
  if (!f.ok()) return f.failure();
  if (body->has("amount")) {
    if (!currency) {
      f.problem("currency", "is required with amount");
      return f.failure();
    }
    in.amountMinor = f.amount("amount", true, *currency);
  }
  if (body->has("items")) readRefundItems(body, f, in);
  if (in.amountMinor && !in.items.empty()) f.problem("amount", "give amount or items, not both");
  if (!body->has("amount") && !body->has("items")) f.problem("amount", "amount or items is required");
  if (!f.ok()) return f.failure();
  in.reason = *reason;
  in.requestId = request.requestId;
  in.idempotencyKey = idempotencyKeyOf(request);
  return orderResult(payments.refund(actor, request.params.at("order_id"), in), 201);
}

// The provider signs the delivery; the service verifies it, so there is no caller here.
Response webhook(PaymentService& payments, const Actor&, const Request& request) {
  services::WebhookDelivery delivery;
  delivery.method = request.method;
  delivery.path = request.path;
  delivery.query = request.query;
  delivery.headers = request.rawHeaders;
  delivery.body = request.body;
  delivery.requestId = request.requestId;
  auto ack = payments.handleWebhook(request.params.at("org_id"), request.params.at("instance_id"), delivery);
  if (!ack) return failureResponse(ack.error());
  Response response;
  response.status = ack->status;
  response.body = ack->body;
  response.contentType = ack->mediaType;
  if (ack->duplicate) response.headers.emplace_back("X-Webhook-Duplicate", "true");
  return response;
}

}  // namespace

// Authenticated POSTs are rate limited, idempotent, and refuse card data before anything
// reads, stores or logs the body. Providers sign their webhooks and send no token: rate
// limited by address like any anonymous caller, never idempotent (the inbox deduplicates
// by event id) and not screened for card data (the body is the provider's, as sent).
std::vector<RouteRow> paymentRoutes(PaymentService& payments) {
  return {
      {.method = "POST",
       .path = "/api/v1/orders/{order_id}/payments",
       .audience = Audience::SignedIn,
       .policies = kRateLimited | kRefuseCardData | kIdempotent,
       .handler = with(payments, pay)},
      {.method = "POST",
       .path = "/api/v1/orders/{order_id}/payments/{payment_id}/confirm",
       .audience = Audience::SignedIn,
       .policies = kRateLimited | kRefuseCardData | kIdempotent,
       .handler = with(payments, confirm)},
      {.method = "POST",
       .path = "/api/v1/orders/{order_id}/payments/{payment_id}/capture",
       .audience = Audience::Permitted,
       .permission = Permission::UpdateOrders,
       .policies = kRateLimited | kRefuseCardData | kIdempotent,
       .handler = with(payments, capture)},
      {.method = "POST",
       .path = "/api/v1/orders/{order_id}/payments/{payment_id}/approve",
       .audience = Audience::Permitted,
       .permission = Permission::UpdateOrders,
       .policies = kRateLimited | kRefuseCardData | kIdempotent,
       .handler = with(payments, approve)},
      {.method = "POST",
       .path = "/api/v1/orders/{order_id}/payments/{payment_id}/reject",
       .audience = Audience::Permitted,
       .permission = Permission::UpdateOrders,
       .policies = kRateLimited | kRefuseCardData | kIdempotent,
       .handler = with(payments, reject)},
      {.method = "POST",
       .path = "/api/v1/orders/{order_id}/refunds",
       .audience = Audience::Permitted,
       .permission = Permission::ManageOrders,
       .policies = kRateLimited | kRefuseCardData | kIdempotent,
       .handler = with(payments, refund)},
      {.method = "POST",
       .path = "/api/v1/webhooks/{org_id}/{instance_id}",
       .audience = Audience::Public,
       .policies = kRateLimited,
       .handler = with(payments, webhook)},
  };
}

}  // namespace ordersvc::api
