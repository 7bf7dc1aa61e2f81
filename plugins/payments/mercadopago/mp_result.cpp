#include "payments/mercadopago/mp_result.h"

#include <Poco/JSON/Array.h>

#include "common/json_writer.h"

namespace ordersvc::plugins::mercadopago {

namespace {

bool isAny(std::string_view value, std::initializer_list<std::string_view> options) {
  for (std::string_view option : options) {
    if (value == option) return true;
  }
  return false;
}

std::string truncated(std::string text, std::size_t limit) {
  if (text.size() > limit) text.resize(limit);
  return text;
}

}  // namespace

std::string_view captureModeName(CaptureMode mode) {
  return mode == CaptureMode::Manual ? "manual" : "automatic";
}

osp::sdk::Result PaymentResult::toResult() const {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("status", status);
  out->set("amount", common::moneyJson(amount));
  out->set("provider_reference", providerReference);
  out->set("provider_data", providerData.isNull() ? common::makeObject() : providerData);
  if (!gatewayError.isNull()) out->set("gateway_error", gatewayError);
  if (redirectUrl) {
    Poco::JSON::Object::Ptr action = common::makeObject();
    action->set("type", "redirect");
    action->set("url", *redirectUrl);
    out->set("next_action", action);
  }
  return osp::sdk::Result::ok(common::toJson(out));
}

std::string resultStatusOf(const MpPayment& payment, CaptureMode mode) {
  const std::string& s = payment.status;
  if (s == "approved") return "succeeded";
  if (s == "authorized") return mode == CaptureMode::Manual ? "succeeded" : "pending";
  if (isAny(s, {"pending", "in_process"})) return payment.challengeUrl ? "action_required" : "pending";
  if (isAny(s, {"rejected", "cancelled"})) return "declined";
  if (isAny(s, {"refunded", "charged_back", "in_mediation"})) return "succeeded";
  return "unknown";
}

Poco::JSON::Object::Ptr declineErrorOf(const MpPayment& payment) {
  if (payment.status == "cancelled") {
    Poco::JSON::Object::Ptr error = common::providerErrorJson(
        "payment_cancelled", "MercadoPago cancelled the payment (cancelled by a party, or expired)");
    if (!payment.statusDetail.empty()) error->set("provider_code", truncated(payment.statusDetail, 100));
    return error;
  }
  const std::string detail = payment.statusDetail.empty() ? "rejected" : payment.statusDetail;
  Poco::JSON::Object::Ptr error = common::providerErrorJson(
      errorCode(detail, "rejected"), truncated("MercadoPago rejected the payment: " + detail, 1000));
  error->set("provider_code", truncated(detail, 100));
  return error;
}

Poco::JSON::Object::Ptr paymentData(const MpPayment& payment, CaptureMode mode, const std::string& hostPaymentId,
                                    const common::Money& amount) {
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("kind", "payment");
  data->set("mp_payment_id", payment.id);
  data->set("capture", std::string(captureModeName(mode)));
  data->set("mp_status", payment.status);
  data->set("mp_status_detail", payment.statusDetail);
  data->set("currency", payment.currency);
  data->set("amount", common::moneyJson(amount));
  data->set("payment_id", hostPaymentId);
  return data;
}

PaymentResult paymentResultOf(const MpPayment& payment, CaptureMode mode, const std::string& hostPaymentId,
                              const common::Money& fallbackAmount) {
  PaymentResult result;
  result.status = resultStatusOf(payment, mode);
  result.amount = payment.amount.value_or(fallbackAmount);
  result.providerReference = payment.id;
  result.providerData = paymentData(payment, mode, hostPaymentId, result.amount);
  if (result.status == "declined") result.gatewayError = declineErrorOf(payment);
  if (result.status == "action_required") result.redirectUrl = payment.challengeUrl;
  return result;
}

std::optional<Failure> failureOf(const MpReply& reply) {
  if (reply.ok()) return std::nullopt;
  switch (reply.transport) {
    case common::Transport::NotSent:
      return Failure::NotSubmitted;
    case common::Transport::MaybeSent:
      return Failure::Unknown;
    case common::Transport::Answered:
      break;
  }
  if (reply.status == 401 || reply.status == 403) return Failure::AuthFailed;
  // Rate limiting turns the request away before it is processed.
  if (reply.status == 429) return Failure::NotSubmitted;
  if (reply.status >= 400 && reply.status < 500) return Failure::Refused;
  // 5xx, an unreadable 2xx, a redirect: the request arrived and its fate is unknown.
  return Failure::Unknown;
}

Poco::JSON::Object::Ptr refusalErrorOf(const MpReply& reply) {
  std::string code;
  std::string message = "MercadoPago refused the request (HTTP " + std::to_string(reply.status) + ")";
  std::optional<std::string> providerCode;
  if (!reply.body.isNull()) {
    if (reply.body->has("error") && reply.body->get("error").isString()) {
      code = reply.body->getValue<std::string>("error");
    }
    if (reply.body->has("message") && reply.body->get("message").isString()) {
      message += ": " + reply.body->getValue<std::string>("message");
    }
    if (auto causes = reply.body->getArray("cause"); causes && causes->size() > 0) {
      if (auto cause = causes->getObject(0)) {
        if (cause->has("code")) providerCode = cause->get("code").convert<std::string>();
        if (cause->has("description") && cause->get("description").isString()) {
          message += " (" + cause->getValue<std::string>("description") + ")";
        }
      }
    }
  }
  Poco::JSON::Object::Ptr error =
      common::providerErrorJson(errorCode(code, "request_refused"), truncated(message, 1000));
  if (providerCode && !providerCode->empty()) error->set("provider_code", truncated(*providerCode, 100));
  return error;
}

osp::sdk::Result authFailed(const MpReply& reply) {
  return osp::sdk::Result::error(OSP_E_PERMANENT, "provider.auth_failed",
                                 "MercadoPago refused the access token (HTTP " + std::to_string(reply.status) +
                                     "): check the instance's access_token");
}

osp::sdk::Result readFailure(const MpReply& reply, std::string_view what) {
  const std::string subject(what);
  if (!reply.answered()) {
    return osp::sdk::Result::error(OSP_E_TRANSIENT, "provider.unavailable",
                                   "could not read " + subject + " from MercadoPago: " + reply.error);
  }
  if (reply.status == 401 || reply.status == 403) return authFailed(reply);
  if (reply.status >= 400 && reply.status < 500 && reply.status != 429) {
    return osp::sdk::Result::error(
        OSP_E_PERMANENT, "provider.request_refused",
        "MercadoPago refused to show " + subject + " (HTTP " + std::to_string(reply.status) + ")");
  }
  return osp::sdk::Result::error(
      OSP_E_TRANSIENT, "provider.unavailable",
      "MercadoPago gave no readable answer about " + subject + " (HTTP " + std::to_string(reply.status) + ")");
}

osp::sdk::Result unreadableAnswer(std::string_view what) {
  return osp::sdk::Result::error(OSP_E_TRANSIENT, "provider.unavailable",
                                 "MercadoPago's answer about " + std::string(what) + " could not be read");
}

std::string errorCode(std::string_view text, std::string_view fallback) {
  std::string code;
  for (char c : text) {
    if (code.size() == 100) break;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool letter = c >= 'a' && c <= 'z';
    const bool other = (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (letter || (other && !code.empty())) {
      code.push_back(c);
    } else if (!code.empty() && code.back() != '_') {
      code.push_back('_');  // "bad request" -> "bad_request"
    }
  }
  while (!code.empty() && code.back() == '_') code.pop_back();
  return code.empty() ? std::string(fallback) : code;
}

}  // namespace ordersvc::plugins::mercadopago
