#include "payments/stripe/stripe_refund.h"

#include "common/json_writer.h"
#include "payments/stripe/stripe_amount.h"
#include "payments/stripe/stripe_results.h"

namespace ordersvc::plugins::stripe {

std::optional<Refund> Refund::read(const StripeObject& object) {
  Refund out;
  auto id = object.id("id");
  auto status = object.string("status");
  auto amount = object.integer("amount");
  if (!id || !status || !amount) return std::nullopt;
  out.id = *id;
  out.status = *status;
  out.amount = *amount;
  out.currency = object.string("currency").value_or("");
  out.paymentIntent = object.string("payment_intent").value_or("");
  out.failureReason = object.string("failure_reason").value_or("");
  if (auto metadata = object.object("metadata")) out.hostRefundId = metadata->string("refund_id");
  return out;
}

Poco::JSON::Object::Ptr refundProviderData(const Refund& refund, const RefundContext& context) {
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("operation", "refund");
  data->set("refund", refund.id);
  data->set("refund_id", context.refundId);
  data->set("payment_intent", refund.paymentIntent.empty() ? context.paymentIntent : refund.paymentIntent);
  data->set("status", refund.status);
  if (auto amount = fromStripeAmount(refund.amount, context.currency)) data->set("amount", common::moneyJson(*amount));
  return data;
}

std::optional<Poco::JSON::Object::Ptr> refundResult(const Refund& refund, const RefundContext& context) {
  const std::optional<common::Money> amount = fromStripeAmount(refund.amount, context.currency);
  if (!amount) return std::nullopt;
  std::string_view status = "unknown";
  Poco::JSON::Object::Ptr error;
  if (refund.status == "succeeded") {
    status = "succeeded";
  } else if (refund.status == "pending" || refund.status == "requires_action") {
    status = "pending";
  } else if (refund.status == "failed") {
    status = "declined";
    error = gatewayError("refund_failed",
                         "Stripe could not refund" + (refund.failureReason.empty() ? "" : ": " + refund.failureReason),
                         refund.failureReason);
  } else if (refund.status == "canceled") {
    status = "declined";
    error = gatewayError("refund_canceled", "the refund was canceled");
  }
  Poco::JSON::Object::Ptr out = paymentResult(status, *amount, refund.id, refundProviderData(refund, context));
  if (error) out->set("gateway_error", error);
  return out;
}

}  // namespace ordersvc::plugins::stripe
