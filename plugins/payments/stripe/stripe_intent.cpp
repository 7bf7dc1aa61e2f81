#include "payments/stripe/stripe_intent.h"

namespace ordersvc::plugins::stripe {

std::optional<PaymentIntent> PaymentIntent::read(const StripeObject& object) {
  PaymentIntent out;
  auto id = object.id("id");
  auto status = object.string("status");
  auto amount = object.integer("amount");
  if (!id || !status || !amount) return std::nullopt;
  out.id = *id;
  out.status = *status;
  out.amount = *amount;
  out.amountCapturable = object.integer("amount_capturable").value_or(0);
  out.amountReceived = object.integer("amount_received").value_or(0);
  out.currency = object.string("currency").value_or("");
  out.captureMethod = object.string("capture_method").value_or("");
  out.clientSecret = object.string("client_secret");
  if (auto next = object.object("next_action")) {
    if (auto redirect = next->object("redirect_to_url")) out.redirectUrl = redirect->string("url");
  }
  if (auto error = object.object("last_payment_error")) out.lastPaymentError = readStripeError(*error);
  out.cancellationReason = object.string("cancellation_reason");
  return out;
}

}  // namespace ordersvc::plugins::stripe
