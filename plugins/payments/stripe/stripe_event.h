// A verified Stripe webhook event (an Event object) normalised into the host's payment
// events (webhook_verify_and_parse.response.json). provider_reference is always the
// PaymentIntent id, the reference every payment result of this plugin carries.
//
//   Stripe event                           host event             amount
//   payment_intent.succeeded               payment.succeeded      amount_received
//   payment_intent.payment_failed          payment.failed         amount (gateway_error from last_payment_error)
//   payment_intent.canceled                payment.canceled       amount
//   payment_intent.requires_action         payment.requires_action amount
//   payment_intent.amount_capturable_updated checkout.approved    amount_capturable (a manual-capture
//                                                                 session was confirmed: authorize next)
//   charge.refunded                        payment.refunded       see below; provider_reference = the
//                                                                 charge's payment_intent
//   charge.dispute.created                 payment.disputed       the dispute's amount; provider_reference
//                                                                 = the dispute's payment_intent
//   anything else                          (none: verified, events [])
//
// charge.refunded: the amount is the newest refund in the charge's refunds list (largest
// "created"), with refund_reference = its id. Since API version 2022-11-15 Stripe no longer
// includes that list in Charge objects unless expanded; without it the amount is the
// charge's amount_refunded, which is the total refunded so far (not this refund alone) and
// there is no refund_reference: the host confirms with payment.sync before acting.
// A charge or dispute without a payment_intent (a bare Charge not made by this plugin)
// gives no event. Amounts that do not convert to host minor units are left out.
#pragma once

#include <optional>

#include <Poco/JSON/Object.h>

#include "payments/stripe/stripe_object.h"

namespace ordersvc::plugins::stripe {

// {"event_id", "events": [...]}, or nullopt when the body is not a Stripe event (no
// string id and type, or no integer created).
std::optional<Poco::JSON::Object::Ptr> normaliseEvent(const StripeObject& event);

}  // namespace ordersvc::plugins::stripe
