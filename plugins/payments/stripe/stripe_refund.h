// What the plugin reads of a Stripe Refund, and the payment result that reports it.
//
//   refund status      result
//   succeeded          succeeded
//   pending            pending
//   requires_action    pending (the customer must give bank details; Stripe finishes it)
//   failed             declined, gateway_error "refund_failed" (provider_code: failure_reason)
//   canceled           declined, gateway_error "refund_canceled"
//   anything else      unknown (a status newer than this plugin: sync again later)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "payments/stripe/stripe_object.h"

namespace ordersvc::plugins::stripe {

struct Refund {
  std::string id;                           // re_...
  std::string status;                       // see above
  int64_t amount = 0;                       // Stripe units
  std::string currency;                     // as Stripe writes it ("usd"); may be absent
  std::string paymentIntent;                // may be empty (a refund of a bare charge)
  std::string failureReason;                // when failed
  std::optional<std::string> hostRefundId;  // metadata[refund_id], set by this plugin

  // nullopt unless the object has an id, a status and an integer amount.
  static std::optional<Refund> read(const StripeObject& object);
};

struct RefundContext {
  std::string currency;       // the host's ISO code of the payment
  std::string refundId;       // the host's refund id
  std::string paymentIntent;  // the refunded payment's intent, when the refund lacks it
};

// The provider_data of a refund (see README.md): {"operation": "refund", "refund",
// "refund_id", "payment_intent", "status", "amount"}.
Poco::JSON::Object::Ptr refundProviderData(const Refund& refund, const RefundContext& context);

// The payment_result for `refund`, or nullopt when its amount does not convert to the
// host's minor units.
std::optional<Poco::JSON::Object::Ptr> refundResult(const Refund& refund, const RefundContext& context);

}  // namespace ordersvc::plugins::stripe
