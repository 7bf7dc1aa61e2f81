#include "payments/paypal/paypal_order_outcome.h"

#include <Poco/JSON/Array.h>

#include "common/json_writer.h"
#include "payments/paypal/paypal_money.h"

namespace ordersvc::plugins::paypal {

namespace {

// The last element of an array member that is an object: PayPal appends, so the last
// capture of an order is the newest.
Poco::JSON::Object::Ptr lastObjectIn(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (!object) return nullptr;
  const Poco::JSON::Array::Ptr array = object->getArray(key);
  if (!array || array->size() == 0) return nullptr;
  const Poco::Dynamic::Var last = array->get(static_cast<unsigned>(array->size() - 1));
  return last.type() == typeid(Poco::JSON::Object::Ptr) ? last.extract<Poco::JSON::Object::Ptr>() : nullptr;
}

// The payments of the order's (only) purchase unit.
Poco::JSON::Object::Ptr paymentsOf(const Poco::JSON::Object::Ptr& order) {
  if (!order) return nullptr;
  const Poco::JSON::Array::Ptr units = order->getArray("purchase_units");
  if (!units || units->size() == 0) return nullptr;
  return objectOf(units->getObject(0), "payments");
}

// Why PayPal declined a capture or authorization: its status details or processor code.
GatewayError declineOf(const Poco::JSON::Object::Ptr& resource, const std::string& kind, const std::string& status) {
  std::string providerCode = stringOf(objectOf(resource, "status_details"), "reason");
  if (providerCode.empty()) providerCode = stringOf(objectOf(resource, "processor_response"), "response_code");
  if (providerCode.empty()) providerCode = status;
  GatewayError error = gatewayErrorFromIssue(kind + "_" + status, "PayPal reports the " + kind + " as " + status);
  error.providerCode = providerCode;
  return error;
}

common::Money amountOr(const Poco::JSON::Object::Ptr& resource, const common::Money& fallback) {
  const std::optional<common::Money> stated = fromPaypalMoney(objectOf(resource, "amount"));
  return stated.value_or(fallback);
}

PaymentResult base(const KnownPayment& known) {
  return PaymentResult{"unknown", known.amount, known.orderId, copyData(known.data), {}, {}, {}};
}

void applyCapture(PaymentResult& out, const Poco::JSON::Object::Ptr& capture, const KnownPayment& known) {
  const std::string status = stringOf(capture, "status");
  out.amount = amountOr(capture, known.amount);
  if (!stringOf(capture, "id").empty()) out.providerData->set("capture_id", stringOf(capture, "id"));
  out.providerData->set("capture_status", status);
  if (status == "COMPLETED" || status == "PARTIALLY_REFUNDED" || status == "REFUNDED") {
    out.status = "succeeded";
  } else if (status == "PENDING") {
    out.status = "pending";
  } else if (status == "DECLINED" || status == "FAILED") {
    out.status = "declined";
    out.gatewayError = declineOf(capture, "capture", status);
  } else {
    out.status = "unknown";
  }
}

void applyAuthorization(PaymentResult& out, const Poco::JSON::Object::Ptr& authorization, const KnownPayment& known) {
  const std::string status = stringOf(authorization, "status");
  out.amount = amountOr(authorization, known.amount);
  if (!stringOf(authorization, "id").empty()) out.providerData->set("authorization_id", stringOf(authorization, "id"));
  out.providerData->set("authorization_status", status);
  const std::string expires = stringOf(authorization, "expiration_time");
  if (!expires.empty()) out.expiresAt = expires;
  if (status == "CREATED" || status == "CAPTURED" || status == "PARTIALLY_CAPTURED") {
    out.status = "succeeded";
  } else if (status == "PENDING") {
    out.status = "pending";
  } else if (status == "DENIED" || status == "VOIDED") {
    out.status = "declined";
    out.gatewayError = declineOf(authorization, "authorization", status);
  } else {
    out.status = "unknown";
  }
}

}  // namespace

std::string approveLink(const Poco::JSON::Object::Ptr& resource) {
  if (!resource) return {};
  const Poco::JSON::Array::Ptr links = resource->getArray("links");
  if (!links) return {};
  for (std::size_t i = 0; i < links->size(); ++i) {
    const Poco::JSON::Object::Ptr link = links->getObject(static_cast<unsigned>(i));
    const std::string rel = stringOf(link, "rel");
    if ((rel == "approve" || rel == "payer-action") && !stringOf(link, "href").empty()) return stringOf(link, "href");
  }
  return {};
}

PaymentResult orderOutcome(const Poco::JSON::Object::Ptr& order, const KnownPayment& known) {
  PaymentResult out = base(known);
  const std::string status = stringOf(order, "status");
  if (!status.empty()) out.providerData->set("order_status", status);
  std::string intent = stringOf(order, "intent");
  if (intent.empty()) intent = stringOf(known.data, "intent");
  const Poco::JSON::Object::Ptr payments = paymentsOf(order);

  if (intent == "AUTHORIZE") {
    if (auto authorization = lastObjectIn(payments, "authorizations")) {
      applyAuthorization(out, authorization, known);
      // Captures of the authorization so far: refunds go against the newest.
      if (auto capture = lastObjectIn(payments, "captures")) {
        out.providerData->set("capture_id", stringOf(capture, "id"));
      }
      return out;
    }
  } else if (auto capture = lastObjectIn(payments, "captures")) {
    applyCapture(out, capture, known);
    return out;
  }

  if (status == "CREATED" || status == "SAVED" || status == "PAYER_ACTION_REQUIRED") {
    std::string link = approveLink(order);
    if (link.empty()) link = stringOf(known.data, "approve_url");
    if (!link.empty()) {
      out.status = "action_required";
      out.redirectUrl = link;
      out.providerData->set("approve_url", link);
    } else {
      out.status = "pending";
    }
  } else if (status == "APPROVED") {
    out.status = "pending";
  } else if (status == "VOIDED") {
    out.status = "declined";
    out.gatewayError = gatewayErrorFromIssue("ORDER_VOIDED", "PayPal voided the order");
  }
  return out;
}

PaymentResult captureOutcome(const Poco::JSON::Object::Ptr& capture, const KnownPayment& known) {
  PaymentResult out = base(known);
  applyCapture(out, capture, known);
  return out;
}

PaymentResult refundOutcome(const Poco::JSON::Object::Ptr& refund, const common::Money& requested,
                            const Poco::JSON::Object::Ptr& knownData) {
  const std::string id = stringOf(refund, "id");
  const std::string status = stringOf(refund, "status");
  PaymentResult out{"unknown", amountOr(refund, requested), id, copyData(knownData), {}, {}, {}};
  out.providerData->set("kind", "refund");
  out.providerData->set("paypal_refund_id", id);
  out.providerData->set("refund_status", status);
  if (status == "COMPLETED") {
    out.status = "succeeded";
  } else if (status == "PENDING") {
    out.status = "pending";
  } else if (status == "FAILED" || status == "CANCELLED") {
    out.status = "declined";
    out.gatewayError = declineOf(refund, "refund", status);
  }
  return out;
}

}  // namespace ordersvc::plugins::paypal
