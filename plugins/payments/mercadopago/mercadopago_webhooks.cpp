// MercadoPago webhook notifications: {"id": 12345, "type": "payment", "action":
// "payment.updated", "user_id": 44444, "data": {"id": "999999999"}, ...} POSTed to the
// notification URL with "?data.id=999999999&type=payment" and the x-signature and
// x-request-id headers (mp_webhook_signature.h).
//
// A notification names a payment and nothing about its state, and only its data.id is
// signed. So after the signature checks out, the plugin reads the payment from the API
// (GET /v1/payments/{data.id}) and reports what MercadoPago says now:
//   approved -> payment.succeeded (payment.refunded when status_detail is
//               partially_refunded); pending/in_process with a 3-D Secure URL ->
//               payment.requires_action; rejected -> payment.failed; cancelled ->
//               payment.canceled; refunded -> payment.refunded (the latest refund);
//               charged_back, in_mediation -> payment.disputed.
//   authorized, and pending/in_process without a challenge: no event. payment.succeeded
//   means captured to the host, which an authorization is not; the authorize call (or
//   the sync that resolves it) reports the authorization itself.
// Other topics (merchant orders, chargebacks, claims) are verified and answered with no
// events. event_id is the notification's "id"; a notification without one gets
// "<type>:<data.id>:<action>".
#include "payments/mercadopago/mercadopago_instance.h"

#include "common/json_reader.h"
#include "common/json_writer.h"
#include "common/raw_webhook.h"
#include "common/sdk_glue.h"
#include "payments/mercadopago/mp_webhook_signature.h"

namespace ordersvc::plugins::mercadopago {

using osp::sdk::Result;

namespace {

std::optional<std::string> bodyString(const Poco::JSON::Object::Ptr& body, const std::string& key) {
  if (body.isNull() || !body->has(key) || !body->get(key).isString()) return std::nullopt;
  return body->getValue<std::string>(key);
}

std::optional<std::string> bodyDataId(const Poco::JSON::Object::Ptr& body) {
  if (body.isNull()) return std::nullopt;
  auto data = body->getObject("data");
  if (data.isNull() || !data->has("id")) return std::nullopt;
  return readId(data->get("id"));
}

// What the notification says about itself, signed (dataId from the URL) or not.
struct Notification {
  Poco::JSON::Object::Ptr body;       // null when the body is not a JSON object
  std::optional<std::string> dataId;  // the URL's data.id, else the body's data.id
  std::string type;                   // "payment", "topic_merchant_order_wh", ...
  std::string action;                 // "payment.updated", ...
  std::string eventId;
};

Notification readNotification(const common::RawWebhook& raw) {
  Notification out;
  common::Problems notJson;  // a body that is not a JSON object is simply absent
  out.body = common::parseObject(raw.body, notJson);
  out.dataId = raw.queryParameter("data.id");
  if (!out.dataId || out.dataId->empty()) out.dataId = bodyDataId(out.body);
  out.type = bodyString(out.body, "type")
                 .value_or(raw.queryParameter("type").value_or(raw.queryParameter("topic").value_or("")));
  out.action = bodyString(out.body, "action").value_or("");
  std::optional<std::string> id;
  if (!out.body.isNull() && out.body->has("id")) id = readId(out.body->get("id"));
  out.eventId = id ? *id : out.type + ":" + out.dataId.value_or("") + ":" + out.action;
  if (out.eventId.size() > 200) out.eventId = "h" + common::hex16(common::fnv1a64(out.eventId));
  return out;
}

Poco::JSON::Object::Ptr event(const char* type, const MpPayment& payment, std::string_view providerEventType,
                              int64_t occurredAtMs) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("type", type);
  out->set("provider_reference", payment.id);
  if (payment.amount && common::isCurrencyCode(payment.amount->currency)) {
    out->set("amount", common::moneyJson(*payment.amount));
  }
  out->set("occurred_at", common::formatUtc(occurredAtMs));
  out->set("provider_event_type", std::string(providerEventType.substr(0, 100)));
  return out;
}

Poco::JSON::Object::Ptr refundedEvent(const MpPayment& payment, std::string_view providerEventType,
                                      int64_t occurredAtMs) {
  Poco::JSON::Object::Ptr out = event("payment.refunded", payment, providerEventType, occurredAtMs);
  out->remove("amount");
  std::optional<common::Money> amount = payment.refundedTotal;
  if (!payment.refunds.empty()) {
    out->set("refund_reference", payment.refunds.back().id);
    if (payment.refunds.back().amount) amount = payment.refunds.back().amount;
  }
  if (amount && common::isCurrencyCode(amount->currency)) out->set("amount", common::moneyJson(*amount));
  return out;
}

// The normalised events for what MercadoPago says of the payment now (table at the top).
Poco::JSON::Array::Ptr eventsFor(const MpPayment& payment, const std::string& providerEventType, int64_t nowMs) {
  Poco::JSON::Array::Ptr events = common::makeArray();
  const int64_t at = payment.updatedAtMs.value_or(nowMs);
  const std::string& s = payment.status;
  if (s == "approved" && payment.statusDetail == "partially_refunded") {
    events->add(refundedEvent(payment, providerEventType, at));
  } else if (s == "approved") {
    events->add(event("payment.succeeded", payment, providerEventType, at));
  } else if ((s == "pending" || s == "in_process") && payment.challengeUrl) {
    events->add(event("payment.requires_action", payment, providerEventType, at));
  } else if (s == "rejected") {
    Poco::JSON::Object::Ptr failed = event("payment.failed", payment, providerEventType, at);
    failed->set("gateway_error", declineErrorOf(payment));
    events->add(failed);
  } else if (s == "cancelled") {
    events->add(event("payment.canceled", payment, providerEventType, at));
  } else if (s == "refunded") {
    events->add(refundedEvent(payment, providerEventType, at));
  } else if (s == "charged_back" || s == "in_mediation") {
    events->add(event("payment.disputed", payment, providerEventType, at));
  }
  return events;
}

Result signatureInvalid(const std::string& why) {
  return Result::error(OSP_E_PERMANENT, "webhook.signature_invalid", "MercadoPago webhook refused: " + why);
}

}  // namespace

Result MercadoPagoInstance::webhookIdentify(const osp::sdk::Call&, std::string_view request) {
  common::Problems problems;
  auto raw = common::parseRawWebhook(request, problems);
  if (!raw) return common::invalidRequest(problems);
  const Notification notification = readNotification(*raw);
  std::optional<std::string> userId;
  if (!notification.body.isNull() && notification.body->has("user_id")) {
    userId = readId(notification.body->get("user_id"));
  }
  if (!userId) {
    return Result::error(OSP_E_INVALID_ARGUMENT, "webhook.unrecognized",
                         "not a MercadoPago notification: no user_id in a JSON body");
  }
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("account_ref", *userId);
  out->set("event_id", notification.eventId);
  return Result::ok(common::toJson(out));
}

Result MercadoPagoInstance::webhookVerifyAndParse(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto raw = common::parseRawWebhook(request, problems);
  if (!raw) return common::invalidRequest(problems);
  const Notification notification = readNotification(*raw);

  switch (checkSignature(config_.webhookSecret, raw->header("x-signature"), notification.dataId,
                         raw->header("x-request-id"), call.nowUnixMs(), config_.webhookToleranceSeconds)) {
    case SignatureCheck::Invalid:
      return signatureInvalid("x-signature does not match (secret, data.id, x-request-id or ts)");
    case SignatureCheck::Stale:
      return Result::error(OSP_E_PERMANENT, "webhook.stale",
                           "MercadoPago webhook refused: its ts is more than " +
                               std::to_string(config_.webhookToleranceSeconds) + " s from now");
    case SignatureCheck::Valid:
      break;
  }
  // Only the URL's data.id is signed: a body naming another payment was tampered with.
  if (auto fromBody = bodyDataId(notification.body);
      fromBody && notification.dataId && *fromBody != *notification.dataId) {
    return signatureInvalid("the body's data.id differs from the signed one");
  }

  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("event_id", notification.eventId);
  Poco::JSON::Array::Ptr events = common::makeArray();
  // The id goes into a URL path: only an id of MercadoPago's shape is looked up.
  if (notification.type == "payment" && notification.dataId && readId(Poco::Dynamic::Var(*notification.dataId))) {
    const MpReply reply = client_.get(call, "/v1/payments/" + *notification.dataId);
    if (reply.answered() && reply.status == 404) {
      // Signed but unknown to this account: the dashboard's "simulate" button sends such.
      call.log(OSP_LOG_INFO, "MercadoPago notification about payment " + *notification.dataId +
                                 ", which the account does not have: no event");
    } else if (!reply.ok()) {
      return readFailure(reply, "payment " + *notification.dataId);
    } else {
      auto payment = readPayment(reply.body, "");
      if (!payment) return unreadableAnswer("payment " + *notification.dataId);
      const std::string providerEventType =
          (notification.action.empty() ? notification.type : notification.action) + ":" + payment->status;
      events = eventsFor(*payment, providerEventType, call.nowUnixMs());
    }
  }
  out->set("events", events);
  return Result::ok(common::toJson(out));
}

}  // namespace ordersvc::plugins::mercadopago
