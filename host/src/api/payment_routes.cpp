#include "api/payment_routes.h"

#include <Poco/JSON/Array.h>

#include "api/access.h"
#include "api/card_data_guard.h"
#include "api/commerce_json.h"
#include "api/idempotency.h"
#include "api/request_fields.h"
#include "services/json_util.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Object;

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

}  // namespace

void addPaymentRoutes(Router& router, PaymentDependencies deps) {
  const Authenticator& auth = deps.authenticator;
  auto& payments = deps.payments;
  // Authenticated POSTs: rate limited, idempotent, and card data refused before
  // anything reads, stores or logs the body.
  auto post = [&router, &deps, &auth](const std::string& pattern, Handler handler) {
    router.add("POST", pattern,
               rateLimited(deps.limiter, auth, deps.limits,
                           refusingCardData(idempotent(deps.database, auth, std::move(handler)))));
  };

  post("/api/v1/orders/{order_id}/payments", [&auth, &payments](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, false);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
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
      const auto body = bodyOf(request);
      if (body->has("metadata")) {
        // Passed to the gateway as it is: at most 50 string values, as the plugin ABI allows.
        const auto metadata = body->getObject("metadata");
        bool valid = metadata && metadata->size() <= 50;
        for (const auto& [key, value] : metadata ? *metadata : Object()) {
          valid = valid && key.size() <= 40 && value.isString() && value.extract<std::string>().size() <= 500;
        }
        if (!valid) f.problem("metadata", "an object of at most 50 strings (keys up to 40, values up to 500 characters)");
        else in.metadataJson = services::toJsonText(metadata);
      }
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
      return outcomeResponse(payments.pay(*actor, request.params.at("order_id"), in), 201);
    });
  });

  post("/api/v1/orders/{order_id}/payments/{payment_id}/confirm", [&auth, &payments](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, false);
      if (!actor) return failureResponse(actor.error());
      return outcomeResponse(payments.confirm(*actor, request.params.at("order_id"), request.params.at("payment_id"),
                                              request.requestId),
                             200);
    });
  });

  post("/api/v1/orders/{order_id}/payments/{payment_id}/capture", [&auth, &payments](const Request& request) {
    return guarded([&] {
      auto actor = requireActor(auth, request, Permission::UpdateOrders);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      auto currency = f.text("currency", false, 3);
      if (currency && !domain::isCurrencyCode(*currency)) f.problem("currency", "an ISO 4217 code such as CLP");
      if (!f.ok()) return f.failure();
      std::optional<int64_t> amount;
      if (currency) amount = f.amount("amount", false, *currency);
      if (!currency && bodyOf(request)->has("amount")) f.problem("currency", "is required with amount");
      if (!f.ok()) return f.failure();
      return outcomeResponse(payments.capture(*actor, request.params.at("order_id"), request.params.at("payment_id"),
                                              amount, request.requestId),
                             200);
    });
  });

  post("/api/v1/orders/{order_id}/payments/{payment_id}/approve", [&auth, &payments](const Request& request) {
    return guarded([&] {
      auto actor = requireActor(auth, request, Permission::UpdateOrders);
      if (!actor) return failureResponse(actor.error());
      return outcomeResponse(payments.approve(*actor, request.params.at("order_id"), request.params.at("payment_id"),
                                              request.requestId),
                             200);
    });
  });

  post("/api/v1/orders/{order_id}/payments/{payment_id}/reject", [&auth, &payments](const Request& request) {
    return guarded([&] {
      auto actor = requireActor(auth, request, Permission::UpdateOrders);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      auto reason = f.text("reason", false, 500);
      if (!f.ok()) return f.failure();
      return orderResult(payments.reject(*actor, request.params.at("order_id"), request.params.at("payment_id"),
                                         reason.value_or("")),
                         200);
    });
  });

  post("/api/v1/orders/{order_id}/refunds", [&auth, &payments](const Request& request) {
    return guarded([&] {
      auto actor = requireActor(auth, request, Permission::ManageOrders);
      if (!actor) return failureResponse(actor.error());
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
      if (body->has("items")) {
        auto items = body->getArray("items");
        if (!items || items->size() == 0 || items->size() > 500) {
          f.problem("items", "an array of 1 to 500 {line_no, quantity}");
        } else {
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
      }
      if (in.amountMinor && !in.items.empty()) f.problem("amount", "give amount or items, not both");
      if (!body->has("amount") && !body->has("items")) f.problem("amount", "amount or items is required");
      if (!f.ok()) return f.failure();
      in.reason = *reason;
      in.requestId = request.requestId;
      in.idempotencyKey = idempotencyKeyOf(request);
      return orderResult(payments.refund(*actor, request.params.at("order_id"), in), 201);
    });
  });

  // Providers sign what they send; there is no token. Rate limited by address like any
  // anonymous caller; never idempotent-wrapped (the inbox deduplicates by event id).
  router.add("POST", "/api/v1/webhooks/{org_id}/{instance_id}",
             rateLimited(deps.limiter, auth, deps.limits, [&payments](const Request& request) {
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
             }));
}

}  // namespace ordersvc::api
