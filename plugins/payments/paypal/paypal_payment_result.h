// A payment_result (plugin-api/schemas/common.json) as the PayPal plugin builds it, and
// the outcomes every operation shares: a call that never left, one that may have acted,
// and PayPal's refusals.
#pragma once

#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "common/money.h"
#include "common/provider_http.h"

namespace ordersvc::plugins::paypal {

struct GatewayError {
  std::string code;          // normalised: lower-case, [a-z0-9_.]
  std::string message;       // cut to the schema's 1000 characters
  std::string providerCode;  // PayPal's own ("INSTRUMENT_DECLINED"); may be empty
};

struct PaymentResult {
  std::string status;  // succeeded, pending, action_required, declined, not_submitted, unknown
  common::Money amount;
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;
  std::optional<GatewayError> gatewayError;  // required when declined
  std::optional<std::string> redirectUrl;    // next_action {type: redirect}; required when action_required
  std::optional<std::string> expiresAt;      // authorize: when PayPal releases the authorization

  std::string toJson() const;
};

// A gateway_error from PayPal's issue ("ORDER_NOT_APPROVED" -> "order_not_approved").
GatewayError gatewayErrorFromIssue(const std::string& issue, const std::string& message);

// The outcome of a mutating call that did not get a 2xx answer, where no operation needs
// more specific handling: 429 (PayPal refused before doing anything) is not_submitted;
// another 4xx is declined with PayPal's issue; 5xx and anything else is unknown (PayPal
// may have acted: the host reconciles through payment.sync).
PaymentResult failedCallResult(const common::HttpReply& reply, common::Money amount, std::string reference,
                               Poco::JSON::Object::Ptr data);

// A shallow copy of provider_data to extend, so the host's stored copy stays as it was.
Poco::JSON::Object::Ptr copyData(const Poco::JSON::Object::Ptr& data);

}  // namespace ordersvc::plugins::paypal
