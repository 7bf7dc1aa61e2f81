#include "payments/paypal/paypal_webhook.h"

#include <cstdlib>

#include <Poco/DateTime.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>

#include "common/hmac.h"
#include "common/json_writer.h"
#include "common/raw_webhook.h"
#include "common/sdk_glue.h"
#include "payments/paypal/paypal_json.h"
#include "payments/paypal/paypal_money.h"
#include "payments/paypal/paypal_order_outcome.h"

namespace ordersvc::plugins::paypal {

using osp::sdk::Result;

namespace {

Result signatureInvalid(const std::string& why) {
  return Result::error(OSP_E_PERMANENT, "webhook.signature_invalid", why);
}

Result verificationUnavailable(const std::string& why) {
  return Result::error(OSP_E_TRANSIENT, "webhook.verification_unavailable", why);
}

std::optional<int64_t> parseUnixMs(const std::string& text) {
  Poco::DateTime parsed;
  int zone = 0;
  if (!Poco::DateTimeParser::tryParse(text, parsed, zone)) return std::nullopt;
  parsed.makeUTC(zone);
  return parsed.timestamp().epochMicroseconds() / 1000;
}

std::string orderIdOf(const Poco::JSON::Object::Ptr& resource) {
  return stringOf(objectOf(objectOf(resource, "supplementary_data"), "related_ids"), "order_id");
}

// The id at the end of the resource's link with this rel ("up" of a refund names its
// capture: https://api.paypal.com/v2/payments/captures/<id>), or "".
std::string linkedId(const Poco::JSON::Object::Ptr& resource, const std::string& rel) {
  const Poco::JSON::Array::Ptr links = resource ? resource->getArray("links") : nullptr;
  for (std::size_t i = 0; links && i < links->size(); ++i) {
    const Poco::JSON::Object::Ptr link = links->getObject(static_cast<unsigned>(i));
    if (stringOf(link, "rel") != rel) continue;
    const std::string href = stringOf(link, "href");
    const std::size_t slash = href.find_last_of('/');
    return slash == std::string::npos ? std::string() : href.substr(slash + 1);
  }
  return {};
}

// POST /v1/notifications/verify-webhook-signature; nullopt when PayPal said SUCCESS.
std::optional<Result> verify(const osp::sdk::Call& call, const PaypalConfig& config, const PaypalApi& api,
                             const common::RawWebhook& raw, const std::string& algo, const std::string& certUrl,
                             const std::string& transmissionId, const std::string& signature,
                             const std::string& transmissionTime) {
  Poco::JSON::Object::Ptr fields = common::makeObject();
  fields->set("auth_algo", algo);
  fields->set("cert_url", certUrl);
  fields->set("transmission_id", transmissionId);
  fields->set("transmission_sig", signature);
  fields->set("transmission_time", transmissionTime);
  fields->set("webhook_id", config.webhookId);
  // The event goes in as the bytes PayPal sent: re-serialising it could reorder members
  // or rewrite numbers and escapes, and PayPal would then see a different event.
  std::string body = common::toJson(fields);
  body.pop_back();  // the closing brace
  body += ",\"webhook_event\":" + raw.body + "}";

  const ApiOutcome outcome = api.send(call, ApiRequest{"POST", "/v1/notifications/verify-webhook-signature", body, ""});
  switch (outcome.transport) {
    case ApiTransport::AuthFailed:
      return Result::error(OSP_E_PERMANENT, "provider.auth_failed", outcome.error);
    case ApiTransport::NotSent:
    case ApiTransport::MaybeSent:
      return verificationUnavailable("cannot reach PayPal to verify: " + outcome.error);
    case ApiTransport::Answered:
      break;
  }
  const int status = outcome.reply.status;
  if (status >= 400 && status < 500) {
    return signatureInvalid("PayPal refused to verify the webhook (HTTP " + std::to_string(status) + ")");
  }
  const Poco::JSON::Object::Ptr answer = status >= 200 && status < 300 ? parseAnswer(outcome.reply.body) : nullptr;
  if (!answer)
    return verificationUnavailable("PayPal's verification answer is unusable (HTTP " + std::to_string(status) + ")");
  const std::string verdict = stringOf(answer, "verification_status");
  if (verdict == "SUCCESS") return std::nullopt;
  return signatureInvalid("PayPal's verification_status is \"" + verdict + "\"");
}

// For a refund event without the order id: the refunded capture names it. Empty when the
// capture cannot be read; nullopt when PayPal could not be asked (try again later).
std::optional<std::string> orderIdOfRefundedCapture(const osp::sdk::Call& call, const PaypalApi& api,
                                                    const Poco::JSON::Object::Ptr& refund) {
  const std::string captureId = linkedId(refund, "up");
  if (!isPaypalId(captureId)) return std::string();
  const ApiOutcome outcome = api.send(call, ApiRequest{"GET", "/v2/payments/captures/" + captureId, "", ""});
  if (outcome.transport != ApiTransport::Answered) return std::nullopt;
  if (outcome.reply.status >= 500) return std::nullopt;
  return orderIdOf(parseAnswer(outcome.reply.body));
}

}  // namespace

Result verifyAndParseWebhook(const osp::sdk::Call& call, const PaypalConfig& config, const PaypalApi& api,
                             std::string_view request) {
  common::Problems problems;
  const std::optional<common::RawWebhook> raw = common::parseRawWebhook(request, problems);
  if (!raw) return common::invalidRequest(problems);

  std::string values[5];
  const char* names[5] = {"PAYPAL-AUTH-ALGO", "PAYPAL-CERT-URL", "PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-SIG",
                          "PAYPAL-TRANSMISSION-TIME"};
  for (int i = 0; i < 5; ++i) {
    const std::optional<std::string> value = raw->header(names[i]);
    if (!value || value->empty()) return signatureInvalid(std::string("the ") + names[i] + " header is missing");
    values[i] = *value;
  }
  const Poco::JSON::Object::Ptr event = parseAnswer(raw->body);
  if (!event) return signatureInvalid("the body is not a JSON object, so not a PayPal event");
  const std::optional<int64_t> sentAt = parseUnixMs(values[4]);
  if (!sentAt) return signatureInvalid("PAYPAL-TRANSMISSION-TIME is not a time");
  const int64_t skewMs = std::llabs(call.nowUnixMs() - *sentAt);
  if (skewMs > config.webhookToleranceSeconds * 1000) {
    return Result::error(OSP_E_PERMANENT, "webhook.stale",
                         "PAYPAL-TRANSMISSION-TIME " + values[4] + " is more than " +
                             std::to_string(config.webhookToleranceSeconds) + " s from now");
  }
  if (auto refused = verify(call, config, api, *raw, values[0], values[1], values[2], values[3], values[4])) {
    return *refused;
  }

  // Verified. An event without an id still needs one the host can de-duplicate on.
  std::string eventId = stringOf(event, "id");
  if (eventId.empty() || eventId.size() > 200) eventId = "sha256:" + common::sha256Hex(raw->body);
  const std::string type = stringOf(event, "event_type");
  std::string occurredAt = stringOf(event, "create_time");
  if (!parseUnixMs(occurredAt)) occurredAt = common::formatUtc(*sentAt);
  const Poco::JSON::Object::Ptr resource = event->getObject("resource");

  Poco::JSON::Object::Ptr normalised = common::makeObject();
  std::string reference;
  std::optional<common::Money> amount = fromPaypalMoney(resource ? resource->getObject("amount") : nullptr);
  if (type == "CHECKOUT.ORDER.APPROVED") {
    normalised->set("type", "checkout.approved");
    reference = stringOf(resource, "id");
    const Poco::JSON::Array::Ptr units = resource ? resource->getArray("purchase_units") : nullptr;
    const Poco::JSON::Object::Ptr unit = units && units->size() > 0 ? units->getObject(0) : nullptr;
    if (unit) amount = fromPaypalMoney(unit->getObject("amount"));
  } else if (type == "PAYMENT.CAPTURE.COMPLETED") {
    normalised->set("type", "payment.succeeded");
    reference = orderIdOf(resource);
  } else if (type == "PAYMENT.CAPTURE.DENIED" || type == "PAYMENT.CAPTURE.DECLINED") {
    normalised->set("type", "payment.failed");
    reference = orderIdOf(resource);
    const std::string word = type == "PAYMENT.CAPTURE.DENIED" ? "denied" : "declined";
    Poco::JSON::Object::Ptr error = common::providerErrorJson("capture_" + word, "PayPal " + word + " the capture");
    error->set("provider_code", type);
    normalised->set("gateway_error", error);
  } else if (type == "PAYMENT.AUTHORIZATION.VOIDED") {
    normalised->set("type", "payment.canceled");
    reference = orderIdOf(resource);
  } else if (type == "PAYMENT.CAPTURE.REFUNDED") {
    normalised->set("type", "payment.refunded");
    if (!stringOf(resource, "id").empty()) normalised->set("refund_reference", stringOf(resource, "id"));
    reference = orderIdOf(resource);
    if (reference.empty()) {
      const std::optional<std::string> fetched = orderIdOfRefundedCapture(call, api, resource);
      if (!fetched) return verificationUnavailable("cannot reach PayPal to find the refunded capture's order");
      reference = *fetched;
    }
  }

  Poco::JSON::Array::Ptr events = common::makeArray();
  if (normalised->has("type")) {
    if (reference.empty() || reference.size() > 200) {
      // Without the order id the host cannot find the payment; it still learns of the
      // event through payment.sync.
      call.log(OSP_LOG_WARN, "PayPal event " + eventId + " (" + type + ") names no order: ignored");
    } else {
      normalised->set("provider_reference", reference);
      if (amount) normalised->set("amount", common::moneyJson(*amount));
      normalised->set("occurred_at", occurredAt);
      normalised->set("provider_event_type", type.substr(0, 100));
      events->add(normalised);
    }
  }
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("event_id", eventId);
  out->set("events", events);
  return Result::ok(common::toJson(out));
}

}  // namespace ordersvc::plugins::paypal
