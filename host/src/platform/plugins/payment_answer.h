#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/payment.h"
#include "kernel/result.h"

namespace ordersvc::plugins {

// A payment plugin's answer to one call, read once from its result JSON
// (plugin-api/schemas/payment/*.response.json) into typed fields, so the payment
// service never reads plugin JSON.
struct PaymentAnswer {
  // What the gateway said, or what the host concluded from a failed call.
  domain::GatewayResult result = domain::GatewayResult::Unknown;
  bool answered = false;  // the plugin returned a result; when false, `error` says why not
  Error error = Error::internal("");
  std::optional<std::string> providerReference;  // empty strings are absent
  std::optional<std::string> providerDataJson;   // the provider's blob as given, to be sealed at rest
  std::optional<int64_t> amountMinor;            // amount.value, when the plugin reports one
  struct GatewayError {
    std::optional<std::string> code;     // the provider's decline code
    std::optional<std::string> message;  // for people
  };
  std::optional<GatewayError> gatewayError;
  std::optional<std::string> clientSecret;    // session.client_secret: shown once, never stored
  std::optional<std::string> nextActionJson;  // next_action: where the customer goes next
};

// One event of a verified provider webhook (payment.webhook_verify_and_parse), as the
// plugin normalised it: type "payment.succeeded", "payment.failed", "payment.canceled",
// "payment.requires_action", "payment.refunded", "payment.disputed", "checkout.approved".
struct WebhookEvent {
  std::string type;
  std::string providerReference;  // the payment's reference at the provider
  int64_t amountMinor = 0;        // 0 when the event carries no amount
  std::optional<PaymentAnswer::GatewayError> gatewayError;
  std::string refundReference;  // payment.refunded: the refund's reference, when known
};

// What a payment plugin made of a webhook delivery: the provider's event id (the
// inbox key), its events, and the answer the provider expects (status, body).
struct WebhookVerdict {
  std::string eventId;
  std::vector<WebhookEvent> events;
  struct Ack {
    int status = 200;
    std::string body;
    std::optional<std::string> mediaType;
  };
  std::optional<Ack> ack;
};

// Reads a verify_and_parse result. Errors: Unavailable when it is not a JSON object
// (a plugin fault: the provider should deliver again).
Result<WebhookVerdict> readWebhookVerdict(const std::string& resultJson);

// Reads the outcome of a payment plugin call. A call that failed is Unknown when the
// gateway may have acted (time-out, plugin fault) and NotSubmitted when the plugin
// refused it or could not reach the provider; an answer that is not a JSON object is a
// plugin fault (Unknown); a result without a status is Unknown.
PaymentAnswer readPaymentAnswer(const Result<std::string>& call);

}  // namespace ordersvc::plugins
