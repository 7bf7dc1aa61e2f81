// What a PayPal order, capture, authorization or refund resource says about our payment,
// as a payment_result. One mapping for every place that reads one: the answer to a
// capture or authorize of the order, the order fetched after ORDER_ALREADY_CAPTURED, and
// payment.sync.
//
// provider_data of a payment (opaque to the host; the plugin reads it back):
//   order_id          PayPal order id, also the payment's provider_reference
//   intent            "CAPTURE" (sale) or "AUTHORIZE" (authorize, then capture or void)
//   amount            {"value", "currency"}: what the order is for
//   approve_url       where the customer approves the order (while not approved)
//   order_status      PayPal's order status when last seen
//   capture_id        the latest capture (refunds go against it)
//   authorization_id  the authorization (capture and void go against it)
#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "common/money.h"
#include "payments/paypal/paypal_json.h"
#include "payments/paypal/paypal_payment_result.h"

namespace ordersvc::plugins::paypal {

// The payment as the plugin knew it before PayPal answered.
struct KnownPayment {
  std::string orderId;
  common::Money amount;
  Poco::JSON::Object::Ptr data;  // provider_data so far (copied, never modified)
};

// Maps an order resource (GET /v2/checkout/orders/{id}, or the answer of its capture or
// authorize with Prefer: return=representation):
//   intent CAPTURE with a capture: COMPLETED / PARTIALLY_REFUNDED / REFUNDED -> succeeded,
//     PENDING -> pending, DECLINED / FAILED -> declined;
//   intent AUTHORIZE with an authorization: CREATED / CAPTURED / PARTIALLY_CAPTURED ->
//     succeeded, PENDING -> pending, DENIED / VOIDED -> declined (expires_at set);
//   no payment yet: CREATED / SAVED / PAYER_ACTION_REQUIRED -> action_required (redirect
//     to the approve link), APPROVED -> pending (the host captures or authorizes next),
//     VOIDED -> declined; anything else -> unknown.
PaymentResult orderOutcome(const Poco::JSON::Object::Ptr& order, const KnownPayment& known);

// Maps a capture resource (POST /v2/payments/authorizations/{id}/capture).
PaymentResult captureOutcome(const Poco::JSON::Object::Ptr& capture, const KnownPayment& known);

// Maps a refund resource: COMPLETED -> succeeded, PENDING -> pending, FAILED / CANCELLED
// -> declined. provider_reference is the refund id.
PaymentResult refundOutcome(const Poco::JSON::Object::Ptr& refund, const common::Money& requested,
                            const Poco::JSON::Object::Ptr& knownData);

// The href of the first link whose rel is one of "approve" or "payer-action", or "".
std::string approveLink(const Poco::JSON::Object::Ptr& resource);

}  // namespace ordersvc::plugins::paypal
