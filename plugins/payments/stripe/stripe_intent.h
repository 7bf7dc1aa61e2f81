// What the plugin reads of a Stripe PaymentIntent (an API answer, the payment_intent of
// an error, or the object of a payment_intent.* webhook event).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "payments/stripe/stripe_api.h"
#include "payments/stripe/stripe_object.h"

namespace ordersvc::plugins::stripe {

struct PaymentIntent {
  std::string id;                           // pi_...
  std::string status;                       // requires_payment_method, requires_confirmation, requires_action,
                                            // processing, requires_capture, canceled, succeeded
  int64_t amount = 0;                       // Stripe units (see stripe_amount.h)
  int64_t amountCapturable = 0;             // what a capture may still take
  int64_t amountReceived = 0;               // what was captured
  std::string currency;                     // as Stripe writes it ("usd"); may be absent
  std::string captureMethod;                // automatic, automatic_async or manual; may be absent
  std::optional<std::string> clientSecret;  // for Stripe.js; never logged
  std::optional<std::string> redirectUrl;   // next_action.redirect_to_url.url (3-D Secure)
  std::optional<StripeError> lastPaymentError;
  std::optional<std::string> cancellationReason;

  // nullopt unless the object has an id, a status and an integer amount: without them
  // nothing can be said about the payment.
  static std::optional<PaymentIntent> read(const StripeObject& object);
};

}  // namespace ordersvc::plugins::stripe
