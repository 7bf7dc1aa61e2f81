#include "payments/stripe/stripe_event.h"

#include <Poco/JSON/Array.h>

#include "common/json_writer.h"
#include "payments/stripe/stripe_amount.h"
#include "payments/stripe/stripe_api.h"
#include "payments/stripe/stripe_intent.h"
#include "payments/stripe/stripe_refund.h"
#include "payments/stripe/stripe_results.h"

namespace ordersvc::plugins::stripe {

namespace {

struct EventHeader {
  std::string type;
  std::string occurredAt;
};

Poco::JSON::Object::Ptr hostEvent(std::string_view type, const std::string& reference, const EventHeader& header) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("type", std::string(type));
  out->set("provider_reference", reference);
  out->set("occurred_at", header.occurredAt);
  out->set("provider_event_type", truncateUtf8(header.type, 100));
  return out;
}

void setAmount(Poco::JSON::Object::Ptr event, std::optional<int64_t> amount, const std::string& stripeCode) {
  const std::optional<std::string> currency = isoCurrency(stripeCode);
  if (!amount || !currency) return;
  if (auto money = fromStripeAmount(*amount, *currency)) event->set("amount", common::moneyJson(*money));
}

Poco::JSON::Object::Ptr intentEvent(const EventHeader& header, const StripeObject& object) {
  const std::optional<PaymentIntent> intent = PaymentIntent::read(object);
  if (!intent) return nullptr;
  std::string_view type;
  int64_t amount = intent->amount;
  if (header.type == "payment_intent.succeeded") {
    type = "payment.succeeded";
    amount = intent->amountReceived;
  } else if (header.type == "payment_intent.payment_failed") {
    type = "payment.failed";
  } else if (header.type == "payment_intent.canceled") {
    type = "payment.canceled";
  } else if (header.type == "payment_intent.requires_action") {
    type = "payment.requires_action";
  } else if (header.type == "payment_intent.amount_capturable_updated") {
    type = "checkout.approved";
    amount = intent->amountCapturable;
  } else {
    return nullptr;
  }
  Poco::JSON::Object::Ptr event = hostEvent(type, intent->id, header);
  setAmount(event, amount, intent->currency);
  if (type == "payment.failed") {
    event->set("gateway_error", intent->lastPaymentError ? gatewayError(*intent->lastPaymentError, "payment_failed")
                                                         : gatewayError("payment_failed", "the payment failed"));
  }
  return event;
}

// payment.refunded for a succeeded refund of a PaymentIntent, else null.
Poco::JSON::Object::Ptr refundEvent(const EventHeader& header, const StripeObject& object) {
  const std::optional<Refund> refund = Refund::read(object);
  if (!refund || refund->status != "succeeded" || !isStripeId(refund->paymentIntent)) return nullptr;
  Poco::JSON::Object::Ptr event = hostEvent("payment.refunded", refund->paymentIntent, header);
  event->set("refund_reference", refund->id);
  setAmount(event, refund->amount, refund->currency);
  return event;
}

Poco::JSON::Object::Ptr chargeRefundedEvent(const EventHeader& header, const StripeObject& charge) {
  std::optional<StripeObject> newest;
  if (auto refunds = charge.object("refunds")) {
    for (const StripeObject& refund : refunds->objects("data")) {
      if (!newest || refund.integer("created").value_or(0) > newest->integer("created").value_or(0)) newest = refund;
    }
  }
  if (!newest) return nullptr;
  // A listed refund may lack what the charge has.
  Poco::JSON::Object::Ptr refund = new Poco::JSON::Object(*newest->raw());
  if (!newest->string("payment_intent")) refund->set("payment_intent", charge.string("payment_intent").value_or(""));
  if (!newest->string("currency")) refund->set("currency", charge.string("currency").value_or(""));
  return refundEvent(header, StripeObject(refund));
}

Poco::JSON::Object::Ptr disputedEvent(const EventHeader& header, const StripeObject& dispute) {
  const std::optional<std::string> intent = dispute.id("payment_intent");
  if (!intent) return nullptr;
  Poco::JSON::Object::Ptr event = hostEvent("payment.disputed", *intent, header);
  setAmount(event, dispute.integer("amount"), dispute.string("currency").value_or(""));
  return event;
}

}  // namespace

std::optional<Poco::JSON::Object::Ptr> normaliseEvent(const StripeObject& event) {
  const std::optional<std::string> id = event.id("id");
  const std::optional<std::string> type = event.string("type");
  const std::optional<int64_t> created = event.integer("created");
  // created bounded so that milliseconds fit: a signed body is authentic, not necessarily sane.
  if (!id || !type || !created || *created < 0 || *created > 99999999999) return std::nullopt;
  const EventHeader header{*type, common::formatUtc(*created * 1000)};

  Poco::JSON::Object::Ptr normalised;
  const std::optional<StripeObject> data = event.object("data");
  const std::optional<StripeObject> object = data ? data->object("object") : std::nullopt;
  if (object) {
    if (type->rfind("payment_intent.", 0) == 0) normalised = intentEvent(header, *object);
    if (*type == "charge.refunded") normalised = chargeRefundedEvent(header, *object);
    if (*type == "refund.created" || *type == "refund.updated" || *type == "charge.refund.updated") {
      normalised = refundEvent(header, *object);
    }
    if (*type == "charge.dispute.created") normalised = disputedEvent(header, *object);
  }
  Poco::JSON::Array::Ptr events = common::makeArray();
  if (normalised) events->add(normalised);
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("event_id", *id);
  out->set("events", events);
  return out;
}

}  // namespace ordersvc::plugins::stripe
