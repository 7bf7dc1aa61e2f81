// The payment result of a PaymentIntent, judged against the operation the host asked for.
//
// One PaymentIntent status means different things to different operations: requires_capture
// is success for an authorization and not yet for a sale; canceled is success for a void
// and a decline for a sale. The operation is recorded in provider_data ("operation"), so
// payment.sync, called later to settle a pending or unknown result, judges the intent
// against the same operation that left it unsettled.
//
//   status \ operation      sale             authorize            capture          void
//   succeeded               succeeded (1)    succeeded (1)        succeeded (1)    declined already_captured
//   requires_capture        pending (2)      succeeded (3)        not_submitted    not_submitted
//   processing              pending          pending              pending          pending
//   requires_action         action_required  action_required      not_submitted    not_submitted
//   requires_confirmation   action_required / not_submitted (4)   not_submitted    not_submitted
//   requires_payment_method declined with last_payment_error, else as requires_confirmation
//   canceled                declined canceled                     declined canceled   succeeded (5)
//
// (1) amount = amount_received. (2) The intent was created for manual capture (a session
// with capture "manual") but the host asked for a sale: nothing was captured, and the
// plugin does not capture behind the host's back; the host calls payment.capture (or asks
// for an authorization, as the contract says, next time). (3) amount = amount_capturable.
// (4) action_required ("wait": the customer has not confirmed yet) unless the plugin
// itself confirmed the intent with a PaymentMethod (provider_data "payment_method"), in
// which case that confirmation never took effect: not_submitted, and a retry with the
// same idempotency key is safe. (5) amount = the intent's amount, now released.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "payments/stripe/stripe_intent.h"

namespace ordersvc::plugins::stripe {

enum class IntentOperation { Sale, Authorize, Capture, Void };

std::string_view operationName(IntentOperation operation);
std::optional<IntentOperation> operationNamed(std::string_view name);

// What the plugin knows about the payment besides the intent.
struct IntentContext {
  IntentOperation operation = IntentOperation::Sale;
  std::string currency;                      // the host's ISO code of the payment
  std::string paymentId;                     // the host's payment id
  std::optional<std::string> paymentMethod;  // the pm_... the plugin confirmed with, if any
};

// The provider_data of a payment (see README.md): {"payment_intent", "operation",
// "capture_method", "status", "payment_id", "amount", "payment_method"?}.
Poco::JSON::Object::Ptr intentProviderData(const PaymentIntent& intent, const IntentContext& context);

// The payment_result for `intent`, or nullopt when its amounts do not convert to the
// host's minor units (an answer the plugin cannot trust: report unknown).
std::optional<Poco::JSON::Object::Ptr> intentResult(const PaymentIntent& intent, const IntentContext& context);

}  // namespace ordersvc::plugins::stripe
