#include "payments/stripe/stripe_results.h"

#include "common/json_writer.h"

namespace ordersvc::plugins::stripe {

namespace {

using Kind = StripeReply::Kind;
using osp::sdk::Result;

bool isNormalisedCode(const std::string& code) {
  if (code.empty() || code.size() > 100 || code[0] < 'a' || code[0] > 'z') return false;
  for (const char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  }
  return true;
}

Result uncertain(const osp::sdk::Call& call, std::string_view status, const StripeReply& reply,
                 const Fallback& fallback) {
  call.log(OSP_LOG_WARN, "stripe: " + reply.detail + "; reporting " + std::string(status));
  return Result::ok(common::toJson(paymentResult(status, fallback.amount, fallback.reference, fallback.providerData)));
}

}  // namespace

std::string truncateUtf8(const std::string& text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return text;
  std::size_t end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

Poco::JSON::Object::Ptr paymentResult(std::string_view status, const common::Money& amount,
                                      const std::string& reference, const Poco::JSON::Object::Ptr& providerData) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("status", std::string(status));
  out->set("amount", common::moneyJson(amount));
  out->set("provider_reference", reference);
  out->set("provider_data", providerData);
  return out;
}

Poco::JSON::Object::Ptr gatewayError(const std::string& code, const std::string& message,
                                     const std::string& providerCode) {
  Poco::JSON::Object::Ptr out = common::providerErrorJson(code, truncateUtf8(message, 1000));
  if (!providerCode.empty()) out->set("provider_code", truncateUtf8(providerCode, 100));
  return out;
}

Poco::JSON::Object::Ptr gatewayError(const StripeError& error, const std::string& fallbackCode) {
  const std::string code = isNormalisedCode(error.code) ? error.code : fallbackCode;
  const std::string message = error.message.empty() ? "Stripe declined the payment" : error.message;
  return gatewayError(code, message, !error.declineCode.empty() ? error.declineCode : error.code);
}

Poco::JSON::Object::Ptr nextAction(const std::optional<std::string>& redirectUrl) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  if (redirectUrl && !redirectUrl->empty()) {
    out->set("type", "redirect");
    out->set("url", *redirectUrl);
  } else {
    out->set("type", "wait");
  }
  return out;
}

Result replyOutcome(const osp::sdk::Call& call, const StripeReply& reply, const Fallback& fallback, bool lookup) {
  switch (reply.kind) {
    case Kind::Declined: {
      Poco::JSON::Object::Ptr out =
          paymentResult("declined", fallback.amount, fallback.reference, fallback.providerData);
      out->set("gateway_error",
               gatewayError(reply.error, reply.error.type == "card_error" ? "card_declined" : "payment_failed"));
      return Result::ok(common::toJson(out));
    }
    case Kind::AuthFailed:
      call.log(OSP_LOG_ERROR, "stripe: " + reply.detail + ": the secret key was refused");
      return Result::error(OSP_E_PERMANENT, "provider.auth_failed",
                           "Stripe refused the configured secret key (HTTP " + std::to_string(reply.httpStatus) +
                               "); nothing was charged");
    case Kind::Refused:
      call.log(OSP_LOG_WARN, "stripe: " + reply.detail);
      return Result::error(OSP_E_PERMANENT, "provider.invalid_request",
                           "Stripe refused the request (HTTP " + std::to_string(reply.httpStatus) +
                               (reply.error.code.empty() ? "" : ", " + reply.error.code) +
                               "): " + (reply.error.message.empty() ? "no message" : reply.error.message));
    case Kind::RateLimited:
    case Kind::NotSent:
      return uncertain(call, lookup ? "unknown" : "not_submitted", reply, fallback);
    case Kind::Object:
    case Kind::Conflict:
    case Kind::Unreadable:
    case Kind::MaybeSent:
      break;
  }
  return uncertain(call, "unknown", reply, fallback);
}

}  // namespace ordersvc::plugins::stripe
