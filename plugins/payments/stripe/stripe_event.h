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
//   charge.refunded                        payment.refunded       the newest refund (see below)
//   refund.created, refund.updated,        payment.refunded       the refund's amount, once it succeeded;
//   charge.refund.updated                                         refund_reference = its id
//   charge.dispute.created                 payment.disputed       the dispute's amount; provider_reference
//                                                                 = the dispute's payment_intent
//   anything else                          (none: verified, events [])
//
// payment.refunded always names the refund (refund_reference): the host matches it to the
// refund it asked for and records any other as made at Stripe's dashboard. So
// charge.refunded gives an event only when the Charge carries its refunds list (API
// versions before 2022-11-15, or expanded): the newest succeeded refund in it (largest
// "created"). Since 2022-11-15 the list is absent, and the charge's amount_refunded alone
// (a running total, no refund id) would make the host record every refund a second time;
// then the refund.* events, which carry the Refund itself, are the ones to subscribe to.
// A provider_reference is always the PaymentIntent id: a charge, dispute or refund
// without a payment_intent (a bare Charge not made by this plugin) gives no event.
// Amounts that do not convert to host minor units are left out.
#pragma once

#include <optional>

#include <Poco/JSON/Object.h>

#include "payments/stripe/stripe_object.h"

namespace ordersvc::plugins::stripe {

// {"event_id", "events": [...]}, or nullopt when the body is not a Stripe event (no
// string id and type, or no integer created).
std::optional<Poco::JSON::Object::Ptr> normaliseEvent(const StripeObject& event);

}  // namespace ordersvc::plugins::stripe
