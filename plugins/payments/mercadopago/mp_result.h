// From MercadoPago's answers to the payment_result the host relies on
// (plugin-api/schemas/common.json#/$defs/payment_result): which status each MercadoPago
// state means, what a failed exchange means, and the provider_data the plugin needs on
// its next call.
//
// Status mapping (MercadoPago "status" -> result status):
//   approved                          -> succeeded (captured)
//   authorized                        -> succeeded for an authorization (capture manual),
//                                        pending for a sale (captured later by MercadoPago)
//   pending, in_process               -> pending; action_required when MercadoPago gives a
//                                        3-D Secure challenge URL
//   rejected                          -> declined, gateway_error.code = status_detail
//                                        ("cc_rejected_insufficient_amount")
//   cancelled                         -> declined, gateway_error.code "payment_cancelled"
//   refunded, charged_back,           -> succeeded: the payment did take place; refunds and
//   in_mediation                         disputes reach the host as their own events
//   anything else                     -> unknown (the host asks again through sync)
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "common/money.h"
#include "osp/sdk/plugin.hpp"
#include "payments/mercadopago/mp_client.h"
#include "payments/mercadopago/mp_payment_view.h"

namespace ordersvc::plugins::mercadopago {

enum class CaptureMode { Automatic, Manual };

std::string_view captureModeName(CaptureMode mode);  // "automatic" / "manual"

// One payment_result, written by toResult().
struct PaymentResult {
  std::string status;
  common::Money amount;
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;
  Poco::JSON::Object::Ptr gatewayError;    // set when status is declined
  std::optional<std::string> redirectUrl;  // set when status is action_required

  osp::sdk::Result toResult() const;
};

// The result status of `payment` for an operation in `mode` (the table above).
std::string resultStatusOf(const MpPayment& payment, CaptureMode mode);

// gateway_error for a declined payment (rejected or cancelled).
Poco::JSON::Object::Ptr declineErrorOf(const MpPayment& payment);

// provider_data of a payment: {"kind":"payment","mp_payment_id","capture","mp_status",
// "mp_status_detail","currency","amount","payment_id"}. payment_id is the host's id, sent
// to MercadoPago as external_reference, so sync can find a payment whose creation timed
// out; amount is what the payment is about, for answers that carry none.
Poco::JSON::Object::Ptr paymentData(const MpPayment& payment, CaptureMode mode, const std::string& hostPaymentId,
                                    const common::Money& amount);

// The whole result for `payment`; amount is MercadoPago's transaction_amount, or
// `fallbackAmount` when the answer has none.
PaymentResult paymentResultOf(const MpPayment& payment, CaptureMode mode, const std::string& hostPaymentId,
                              const common::Money& fallbackAmount);

// Why an exchange that asked MercadoPago to act did not give a readable 2xx answer.
enum class Failure {
  NotSubmitted,  // never reached MercadoPago, or refused unread (429): safe to retry
  Unknown,       // may have acted: a time-out after sending, a 5xx, an unreadable 2xx
  AuthFailed,    // 401/403: bad credentials, nothing was done
  Refused,       // another 4xx: MercadoPago said no to the request
};
std::optional<Failure> failureOf(const MpReply& reply);

// gateway_error of a refused request from MercadoPago's error body ({"message","error",
// "status","cause":[{"code","description"}]}): code from "error" ("bad_request"),
// provider_code from the first cause.
Poco::JSON::Object::Ptr refusalErrorOf(const MpReply& reply);

// OSP_E_PERMANENT "provider.auth_failed": the host reports a credentials problem.
osp::sdk::Result authFailed(const MpReply& reply);

// For operations that only read (sync, the webhook's payment lookup), where a failure is
// not a payment outcome: OSP_E_TRANSIENT "provider.unavailable" (ask again later),
// provider.auth_failed, or OSP_E_PERMANENT "provider.request_refused".
osp::sdk::Result readFailure(const MpReply& reply, std::string_view what);

// OSP_E_TRANSIENT "provider.unavailable" for a 2xx answer about `what` that is not the
// object it should be (read again later).
osp::sdk::Result unreadableAnswer(std::string_view what);

// A gateway_error code from provider text: lower case, [a-z0-9_.] only, starting with a
// letter, at most 100 characters; `fallback` when nothing usable is left.
std::string errorCode(std::string_view text, std::string_view fallback);

}  // namespace ordersvc::plugins::mercadopago
