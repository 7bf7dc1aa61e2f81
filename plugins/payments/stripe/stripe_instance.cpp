// Judging Stripe's replies, and payment.sync.
#include "payments/stripe/stripe_instance.h"

#include "common/json_writer.h"
#include "common/sdk_glue.h"
#include "payments/stripe/stripe_amount.h"
#include "payments/stripe/stripe_forms.h"

namespace ordersvc::plugins::stripe {

using osp::sdk::Result;
using Kind = StripeReply::Kind;

namespace {

StripeReply unreadable(const StripeReply& reply, std::string_view what) {
  StripeReply out = reply;
  out.kind = Kind::Unreadable;
  out.detail += std::string(" with an answer that is not ") + std::string(what) + " the plugin can read";
  return out;
}

// A currency the plugin did not record: the one Stripe states.
void fillCurrency(std::string& currency, const std::string& stripeCode) {
  if (currency.empty()) currency = isoCurrency(stripeCode).value_or("");
}

}  // namespace

Result StripeInstance::judgeIntentReply(const osp::sdk::Call& call, const StripeReply& reply, IntentContext context,
                                        const Fallback& fallback, bool lookup) const {
  if (reply.kind == Kind::Object) {
    if (std::optional<PaymentIntent> intent = PaymentIntent::read(*reply.object)) {
      fillCurrency(context.currency, intent->currency);
      if (auto result = intentResult(*intent, context)) return Result::ok(common::toJson(*result));
    }
    return replyOutcome(call, unreadable(reply, "a PaymentIntent"), fallback, lookup);
  }
  // Stripe attaches the intent to an error about it.
  std::optional<PaymentIntent> intent;
  if (reply.error.paymentIntent) intent = PaymentIntent::read(*reply.error.paymentIntent);
  if (intent) fillCurrency(context.currency, intent->currency);
  if (intent && reply.kind == Kind::Declined && fromStripeAmount(intent->amount, context.currency)) {
    // A decline leaves the intent waiting for another payment method: it is the
    // payment's reference from now on, and what sync will read.
    const Fallback declined{fallback.amount, intent->id, intentProviderData(*intent, context)};
    return replyOutcome(call, reply, declined, lookup);
  }
  if (intent && reply.kind == Kind::Refused && reply.error.code == "payment_intent_unexpected_state") {
    // Not in a state for this operation, which may be because it already happened (a
    // capture whose answer was lost) or cannot (a void of a captured payment): judge the
    // intent as it is. Only a state the operation could still move from is a refusal.
    if (auto result = intentResult(*intent, context);
        result && (*result)->getValue<std::string>("status") != "not_submitted") {
      return Result::ok(common::toJson(*result));
    }
  }
  return replyOutcome(call, reply, fallback, lookup);
}

Result StripeInstance::judgeRefundReply(const osp::sdk::Call& call, const StripeReply& reply, RefundContext context,
                                        const Fallback& fallback, bool lookup) const {
  if (reply.kind == Kind::Object) {
    if (std::optional<Refund> refund = Refund::read(*reply.object)) {
      fillCurrency(context.currency, refund->currency);
      if (auto result = refundResult(*refund, context)) return Result::ok(common::toJson(*result));
    }
    return replyOutcome(call, unreadable(reply, "a Refund"), fallback, lookup);
  }
  return replyOutcome(call, reply, fallback, lookup);
}

Result StripeInstance::sync(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  const std::optional<SyncRequest> req = readSyncRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  return req->refundId ? syncRefund(call, *req) : syncPayment(call, *req);
}

Result StripeInstance::syncPayment(const osp::sdk::Call& call, const SyncRequest& req) const {
  const PaymentData& data = req.payment;
  IntentOperation operation = data.operation.value_or(IntentOperation::Sale);
  if (!data.operation && data.captureMethod == "manual") operation = IntentOperation::Authorize;
  const std::string currency = data.amount ? data.amount->currency : "";
  const IntentContext context{operation, currency, data.paymentId.value_or(req.paymentId), data.paymentMethod};
  const std::optional<std::string> intent = intentOf(data, req.reference);
  // Without a recorded amount the fallback still needs a money shape; XXX is ISO 4217's
  // "no currency".
  const Fallback fallback{data.amount.value_or(common::Money{0, "XXX"}), intent.value_or(req.reference),
                          paymentFallbackData(context, intent, data.amount, data.captureMethod)};
  if (intent) return judgeIntentReply(call, api_.get(call, "/v1/payment_intents/" + *intent), context, fallback, true);

  // Stripe never answered the request that would have created the intent. The plugin
  // tags every intent with the host's payment and organization, so search for it.
  // Stripe's search index trails writes by up to a minute; when it finds nothing the
  // request did not take effect (or has not yet), and repeating it with the same
  // Idempotency-Key cannot charge twice: not_submitted.
  const std::string query = "metadata['payment_id']:" + searchLiteral(context.paymentId) +
                            " AND metadata['organization_id']:" + searchLiteral(call.organizationId());
  const StripeReply reply =
      api_.get(call, "/v1/payment_intents/search?query=" + common::formEncode(query) + "&limit=10");
  if (reply.kind != Kind::Object) return replyOutcome(call, reply, fallback, true);
  const std::vector<StripeObject> found = reply.object->objects("data");
  if (found.empty()) {
    return Result::ok(
        common::toJson(paymentResult("not_submitted", fallback.amount, fallback.reference, fallback.providerData)));
  }
  StripeReply first = reply;
  first.object = found.front();
  return judgeIntentReply(call, first, context, fallback, true);
}

}  // namespace ordersvc::plugins::stripe
