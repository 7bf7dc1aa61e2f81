// One request to Stripe's REST API through the host's osp.http/1, and what came back,
// sorted into the cases the payment results need (see StripeReply::Kind).
//
// Every request carries "Authorization: Bearer <secret key>" (flagged secret, so the host
// masks it in its logs) and "Stripe-Version: 2023-08-16", the version of the OpenAPI
// document the plugin is written and tested against; every POST carries an
// Idempotency-Key, so a retry of one logical operation never acts twice at Stripe.
//
// Threading: [any-thread]. Immutable after construction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/form_encoding.h"
#include "osp/sdk/plugin.hpp"
#include "payments/stripe/stripe_object.h"

namespace ordersvc::plugins::stripe {

inline constexpr std::string_view kStripeApiBase = "https://api.stripe.com";
inline constexpr std::string_view kStripeApiVersion = "2023-08-16";

// Stripe's error object ({"error": {...}}), as far as it was present.
struct StripeError {
  std::string type;                           // card_error, invalid_request_error, api_error, idempotency_error
  std::string code;                           // card_declined, expired_card, payment_intent_unexpected_state, ...
  std::string declineCode;                    // the issuer's reason for a card decline: insufficient_funds, ...
  std::string message;                        // for people; Stripe's messages carry no secrets
  std::optional<StripeObject> paymentIntent;  // the PaymentIntent the error is about, if sent
};

struct StripeReply {
  enum class Kind {
    Object,       // 2xx with a JSON object: see object
    Declined,     // 402 "request failed" (card_error): the provider said no; see error
    AuthFailed,   // 401/403: the secret key was refused; nothing happened
    Refused,      // another 4xx (400 invalid_request_error, 404): refused, nothing happened; see error
    RateLimited,  // 429: Stripe did not process the request
    Conflict,     // 409: the idempotency key is in use or was used with other parameters
    Unreadable,   // 5xx, or a 2xx whose body is not a JSON object: it may have happened
    NotSent,      // never reached Stripe
    MaybeSent,    // sent, no (complete) answer: it may have happened
  };
  Kind kind = Kind::NotSent;
  int httpStatus = 0;
  std::optional<StripeObject> object;
  StripeError error;
  std::string detail;  // a short reason for logs and messages, never a secret
};

class StripeApi {
 public:
  explicit StripeApi(std::string secretKey) : secretKey_(std::move(secretKey)) {}

  // GET `pathAndQuery` ("/v1/payment_intents/pi_123").
  StripeReply get(const osp::sdk::Call& call, const std::string& pathAndQuery) const;
  // POST a form body to `path` with Idempotency-Key `idempotencyKey`.
  StripeReply post(const osp::sdk::Call& call, const std::string& path, const common::FormBody& body,
                   const std::string& idempotencyKey) const;

 private:
  StripeReply send(const osp::sdk::Call& call, std::string_view method, const std::string& path,
                   const common::FormBody* body, const std::string& idempotencyKey) const;

  const std::string secretKey_;
};

// Whether `id` can be put in a URL path as is: Stripe's ids are letters, digits and "_".
// An id read back from provider_data is checked with this before use, so a tampered one
// cannot reach another endpoint.
bool isStripeId(std::string_view id);

// Reads an api_errors object: the "error" of an error body, or a PaymentIntent's
// last_payment_error.
StripeError readStripeError(const StripeObject& error);

}  // namespace ordersvc::plugins::stripe
