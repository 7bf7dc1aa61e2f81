#include "payments/stripe/stripe_intent_outcome.h"

#include "common/json_writer.h"
#include "payments/stripe/stripe_amount.h"
#include "payments/stripe/stripe_results.h"

namespace ordersvc::plugins::stripe {

namespace {

struct Verdict {
  enum class Amount { Requested, Received, Capturable };
  std::string_view status;  // a result_status
  Amount amount = Amount::Requested;
  bool withNextAction = false;
  Poco::JSON::Object::Ptr gatewayError;  // null: none
};

Verdict plain(std::string_view status, Verdict::Amount amount = Verdict::Amount::Requested) {
  return Verdict{status, amount, false, nullptr};
}

Verdict declined(Poco::JSON::Object::Ptr error, Verdict::Amount amount = Verdict::Amount::Requested) {
  return Verdict{"declined", amount, false, std::move(error)};
}

Verdict actionRequired() {
  return Verdict{"action_required", Verdict::Amount::Requested, true, nullptr};
}

// An intent the plugin confirmed itself and that still waits for a payment method or a
// confirmation was not confirmed after all.
bool confirmationDidNotTakeEffect(const PaymentIntent& intent, const IntentContext& context) {
  return context.paymentMethod.has_value() && !intent.lastPaymentError &&
         (intent.status == "requires_payment_method" || intent.status == "requires_confirmation");
}

Poco::JSON::Object::Ptr canceledError(const PaymentIntent& intent) {
  const std::string reason = intent.cancellationReason.value_or("");
  return gatewayError("canceled", "the PaymentIntent was canceled" + (reason.empty() ? "" : " (" + reason + ")"),
                      reason);
}

Verdict judgeSaleOrAuthorization(const PaymentIntent& intent, const IntentContext& context) {
  const bool sale = context.operation == IntentOperation::Sale;
  const std::string& s = intent.status;
  if (s == "succeeded") return plain("succeeded", Verdict::Amount::Received);
  if (s == "requires_capture") return sale ? plain("pending") : plain("succeeded", Verdict::Amount::Capturable);
  if (s == "processing") return plain("pending");
  if (s == "canceled") return declined(canceledError(intent));
  if (s == "requires_payment_method" && intent.lastPaymentError) {
    return declined(gatewayError(*intent.lastPaymentError, "card_declined"));
  }
  if (confirmationDidNotTakeEffect(intent, context)) return plain("not_submitted");
  if (s == "requires_action" || s == "requires_confirmation" || s == "requires_payment_method") {
    return actionRequired();
  }
  return plain("unknown");  // a status newer than this plugin: sync again later
}

Verdict judgeCapture(const PaymentIntent& intent) {
  const std::string& s = intent.status;
  if (s == "succeeded") return plain("succeeded", Verdict::Amount::Received);
  if (s == "processing") return plain("pending");
  if (s == "canceled") return declined(canceledError(intent));
  if (s.rfind("requires_", 0) == 0) return plain("not_submitted");
  return plain("unknown");
}

Verdict judgeVoid(const PaymentIntent& intent) {
  const std::string& s = intent.status;
  if (s == "canceled") return plain("succeeded");
  if (s == "succeeded") {
    return declined(gatewayError("already_captured", "the payment was captured; refund it instead of voiding it"),
                    Verdict::Amount::Received);
  }
  if (s == "processing") return plain("pending");
  if (s.rfind("requires_", 0) == 0) return plain("not_submitted");
  return plain("unknown");
}

Verdict judge(const PaymentIntent& intent, const IntentContext& context) {
  switch (context.operation) {
    case IntentOperation::Sale:
    case IntentOperation::Authorize:
      return judgeSaleOrAuthorization(intent, context);
    case IntentOperation::Capture:
      return judgeCapture(intent);
    case IntentOperation::Void:
      return judgeVoid(intent);
  }
  return plain("unknown");
}

}  // namespace

std::string_view operationName(IntentOperation operation) {
  switch (operation) {
    case IntentOperation::Sale:
      return "sale";
    case IntentOperation::Authorize:
      return "authorize";
    case IntentOperation::Capture:
      return "capture";
    case IntentOperation::Void:
      return "void";
  }
  return "sale";
}

std::optional<IntentOperation> operationNamed(std::string_view name) {
  for (IntentOperation op :
       {IntentOperation::Sale, IntentOperation::Authorize, IntentOperation::Capture, IntentOperation::Void}) {
    if (operationName(op) == name) return op;
  }
  return std::nullopt;
}

Poco::JSON::Object::Ptr intentProviderData(const PaymentIntent& intent, const IntentContext& context) {
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("payment_intent", intent.id);
  data->set("operation", std::string(operationName(context.operation)));
  // automatic_async captures like automatic; the host needs to know only whether it must.
  data->set("capture_method", intent.captureMethod == "manual" ? "manual" : "automatic");
  data->set("status", intent.status);
  data->set("payment_id", context.paymentId);
  if (auto amount = fromStripeAmount(intent.amount, context.currency)) data->set("amount", common::moneyJson(*amount));
  if (context.paymentMethod) data->set("payment_method", *context.paymentMethod);
  return data;
}

std::optional<Poco::JSON::Object::Ptr> intentResult(const PaymentIntent& intent, const IntentContext& context) {
  const Verdict verdict = judge(intent, context);
  int64_t stripeAmount = intent.amount;
  if (verdict.amount == Verdict::Amount::Received) stripeAmount = intent.amountReceived;
  if (verdict.amount == Verdict::Amount::Capturable) stripeAmount = intent.amountCapturable;
  const std::optional<common::Money> amount = fromStripeAmount(stripeAmount, context.currency);
  if (!amount || !fromStripeAmount(intent.amount, context.currency)) return std::nullopt;

  Poco::JSON::Object::Ptr out = paymentResult(verdict.status, *amount, intent.id, intentProviderData(intent, context));
  if (verdict.gatewayError) out->set("gateway_error", verdict.gatewayError);
  if (verdict.withNextAction) out->set("next_action", nextAction(intent.redirectUrl));
  return out;
}

}  // namespace ordersvc::plugins::stripe
