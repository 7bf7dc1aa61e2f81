#include "payments/paypal/paypal_payment_result.h"

#include "common/json_writer.h"
#include "payments/paypal/paypal_api.h"
#include "payments/paypal/paypal_json.h"

namespace ordersvc::plugins::paypal {

namespace {

// provider_error.code must match ^[a-z][a-z0-9_.]*$ (at most 100 characters).
std::string normaliseCode(const std::string& issue) {
  std::string out;
  for (char c : issue) {
    if (out.size() >= 100) break;
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.') {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty() || !(out[0] >= 'a' && out[0] <= 'z')) out = "paypal_" + out;
  return out.substr(0, 100);
}

}  // namespace

GatewayError gatewayErrorFromIssue(const std::string& issue, const std::string& message) {
  return GatewayError{normaliseCode(issue), cutUtf8(message, 1000), cutUtf8(issue, 100)};
}

std::string PaymentResult::toJson() const {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("status", status);
  out->set("amount", common::moneyJson(amount));
  out->set("provider_reference", providerReference);
  out->set("provider_data", providerData ? providerData : common::makeObject());
  if (gatewayError) {
    Poco::JSON::Object::Ptr error = common::providerErrorJson(gatewayError->code, gatewayError->message);
    if (!gatewayError->providerCode.empty()) error->set("provider_code", gatewayError->providerCode);
    out->set("gateway_error", error);
  }
  if (redirectUrl) {
    Poco::JSON::Object::Ptr next = common::makeObject();
    next->set("type", "redirect");
    next->set("url", *redirectUrl);
    out->set("next_action", next);
  }
  if (expiresAt) out->set("expires_at", *expiresAt);
  return common::toJson(out);
}

PaymentResult failedCallResult(const common::HttpReply& reply, common::Money amount, std::string reference,
                               Poco::JSON::Object::Ptr data) {
  PaymentResult out{"unknown", std::move(amount), std::move(reference), std::move(data), {}, {}, {}};
  if (reply.status == 429) {
    out.status = "not_submitted";
  } else if (reply.status >= 400 && reply.status < 500) {
    const PaypalError error = paypalError(reply);
    out.status = "declined";
    out.gatewayError = gatewayErrorFromIssue(error.issue, error.message);
  }
  return out;
}

Poco::JSON::Object::Ptr copyData(const Poco::JSON::Object::Ptr& data) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  if (data) {
    for (const auto& [key, value] : *data) out->set(key, value);
  }
  return out;
}

}  // namespace ordersvc::plugins::paypal
