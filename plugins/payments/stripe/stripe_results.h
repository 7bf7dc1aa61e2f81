// Building payment results (plugin-api/schemas/common.json#/$defs/payment_result) from
// what Stripe answered, and the results and errors for answers that say nothing about the
// payment (a 5xx, a time-out, a refused key).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "common/money.h"
#include "osp/sdk/plugin.hpp"
#include "payments/stripe/stripe_api.h"

namespace ordersvc::plugins::stripe {

// {"status", "amount", "provider_reference", "provider_data"}, in the schema's order.
Poco::JSON::Object::Ptr paymentResult(std::string_view status, const common::Money& amount,
                                      const std::string& reference, const Poco::JSON::Object::Ptr& providerData);

// A provider_error: `code` must already match ^[a-z][a-z0-9_.]*$; the message is cut to
// the schema's 1000 characters.
Poco::JSON::Object::Ptr gatewayError(const std::string& code, const std::string& message,
                                     const std::string& providerCode = "");

// The provider_error of a Stripe error (a 402 answer or last_payment_error): code is
// Stripe's error code ("card_declined", "expired_card", ...) or `fallbackCode` when Stripe
// sent none usable; provider_code is the issuer's decline_code ("insufficient_funds")
// or else Stripe's code.
Poco::JSON::Object::Ptr gatewayError(const StripeError& error, const std::string& fallbackCode);

// next_action for action_required: {"type": "redirect", "url"} when Stripe named a page
// (3-D Secure with a return_url); otherwise {"type": "wait"}: the customer acts in the
// storefront's Stripe.js component (Payment Element, handleNextAction), which needs no URL.
Poco::JSON::Object::Ptr nextAction(const std::optional<std::string>& redirectUrl);

// What a result says about a payment or refund when Stripe's answer does not: the
// amount asked for, the best reference known (the intent's or refund's id, else the
// host's own id) and the provider_data to store so sync can find out later.
struct Fallback {
  common::Money amount;
  std::string reference;
  Poco::JSON::Object::Ptr providerData;
};

// The outcome of a reply that carries no object to read (every kind but Object):
//   Declined              -> declined, gateway_error from Stripe's error
//   AuthFailed            -> OSP_E_PERMANENT "provider.auth_failed"
//   Refused               -> OSP_E_PERMANENT "provider.invalid_request" with Stripe's message
//   RateLimited, NotSent  -> not_submitted (Stripe did not act; a retry is safe)
//   Conflict, Unreadable, MaybeSent (and Object, here unreadable) -> unknown
// A read (`lookup` true: sync, or the GET of a confirmed session) never reports
// not_submitted: the payment's state is what is unknown, not whether a request landed.
osp::sdk::Result replyOutcome(const osp::sdk::Call& call, const StripeReply& reply, const Fallback& fallback,
                              bool lookup = false);

// `text` cut to at most `maxBytes` bytes without splitting a UTF-8 sequence.
std::string truncateUtf8(const std::string& text, std::size_t maxBytes);

}  // namespace ordersvc::plugins::stripe
