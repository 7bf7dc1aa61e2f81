// payment.refund, and payment.sync of a refund.
#include "common/json_writer.h"
#include "common/sdk_glue.h"
#include "payments/stripe/stripe_amount.h"
#include "payments/stripe/stripe_forms.h"
#include "payments/stripe/stripe_instance.h"

namespace ordersvc::plugins::stripe {

using osp::sdk::Result;

namespace {

// provider_data of a refund Stripe has not (knowingly) created: enough for sync to find
// it by the host's refund id.
Poco::JSON::Object::Ptr refundFallbackData(const std::string& refundId, const std::string& intent,
                                           const std::optional<common::Money>& amount) {
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("operation", "refund");
  data->set("refund_id", refundId);
  data->set("payment_intent", intent);
  if (amount) data->set("amount", common::moneyJson(*amount));
  return data;
}

}  // namespace

Result StripeInstance::refund(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  const std::optional<RefundRequest> req = readRefundRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  const int64_t already = req->refundedAmount ? req->refundedAmount->value : 0;
  if (already > req->capturedAmount.value || req->amount.value > req->capturedAmount.value - already) {
    return Result::error(OSP_E_INVALID_ARGUMENT, "refund.exceeds_captured",
                         "refund of " + common::formatMoney(req->amount) + " exceeds what is left of the " +
                             common::formatMoney(req->capturedAmount) + " captured");
  }
  const std::optional<std::string> intent = intentOf(req->data, req->reference);
  if (!intent) return Result::invalid("provider_data names no PaymentIntent");
  std::string why;
  const std::optional<int64_t> stripeAmount = toStripeAmount(req->amount, &why);
  if (!stripeAmount) return Result::invalid(why);

  common::FormBody form;
  form.add("payment_intent", *intent);
  form.add("amount", std::to_string(*stripeAmount));
  const std::optional<std::string> reason =
      stripeReason(req->reason, {"duplicate", "fraudulent", "requested_by_customer"});
  if (reason) form.add("reason", *reason);
  // A reason Stripe has no code for is kept where people will see it.
  const std::string reasonText = reason || !req->reason ? "" : truncateUtf8(*req->reason, 500);
  if (!addMetadata(form,
                   {{"organization_id", std::string(call.organizationId())},
                    {"payment_id", req->paymentId},
                    {"refund_id", req->refundId},
                    {"reason", reasonText}},
                   req->metadata, &why)) {
    return Result::invalid(why);
  }
  const StripeReply reply = api_.post(call, "/v1/refunds", form, idempotencyKeyFor(call, "refund", req->refundId));
  const RefundContext context{req->amount.currency, req->refundId, *intent};
  // Until Stripe names the refund, the host's own refund id is its reference.
  const Fallback fallback{req->amount, req->refundId, refundFallbackData(req->refundId, *intent, req->amount)};
  return judgeRefundReply(call, reply, context, fallback);
}

Result StripeInstance::syncRefund(const osp::sdk::Call& call, const SyncRequest& req) const {
  const RefundData& data = req.refund;
  const std::string& refundId = *req.refundId;
  std::optional<std::string> intent = data.paymentIntent;
  if (!intent && req.reference.rfind("pi_", 0) == 0 && isStripeId(req.reference)) intent = req.reference;
  std::optional<std::string> refund = data.refund;
  if (!refund && req.reference.rfind("re_", 0) == 0 && isStripeId(req.reference)) refund = req.reference;
  const RefundContext context{data.amount ? data.amount->currency : "", refundId, intent.value_or("")};
  const Fallback fallback{data.amount.value_or(common::Money{0, "XXX"}), refund.value_or(refundId),
                          refundFallbackData(refundId, intent.value_or(""), data.amount)};
  if (refund) return judgeRefundReply(call, api_.get(call, "/v1/refunds/" + *refund), context, fallback, true);
  if (!intent) return Result::invalid("provider_data names neither the refund nor its PaymentIntent");

  // Stripe never answered the refund request: look for it among the intent's refunds by
  // the host's refund id (metadata). None: it did not take effect, and repeating it with
  // the same Idempotency-Key cannot refund twice.
  const StripeReply reply = api_.get(call, "/v1/refunds?payment_intent=" + *intent + "&limit=100");
  if (reply.kind != StripeReply::Kind::Object) return replyOutcome(call, reply, fallback, true);
  for (const StripeObject& candidate : reply.object->objects("data")) {
    const std::optional<Refund> found = Refund::read(candidate);
    if (found && found->hostRefundId == refundId) {
      StripeReply one = reply;
      one.object = candidate;
      return judgeRefundReply(call, one, context, fallback, true);
    }
  }
  return Result::ok(
      common::toJson(paymentResult("not_submitted", fallback.amount, fallback.reference, fallback.providerData)));
}

}  // namespace ordersvc::plugins::stripe
