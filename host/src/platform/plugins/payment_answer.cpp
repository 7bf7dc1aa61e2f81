#include "platform/plugins/payment_answer.h"

#include <Poco/JSON/Object.h>

#include "kernel/json_util.h"

namespace ordersvc::plugins {

namespace {

std::optional<std::string> nonEmptyText(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  auto text = object->optValue<std::string>(key, "");
  if (text.empty()) return std::nullopt;
  return text;
}

std::optional<std::string> optionalText(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (!object || !object->has(key)) return std::nullopt;
  return object->getValue<std::string>(key);
}

std::optional<PaymentAnswer::GatewayError> gatewayErrorOf(const Poco::JSON::Object::Ptr& object) {
  auto failure = object->getObject("gateway_error");
  if (!failure) return std::nullopt;
  return PaymentAnswer::GatewayError{optionalText(failure, "code"), optionalText(failure, "message")};
}

void readFields(const Poco::JSON::Object::Ptr& body, PaymentAnswer& answer) {
  answer.result = domain::parseGatewayResult(body->optValue<std::string>("status", "unknown"));
  answer.providerReference = nonEmptyText(body, "provider_reference");
  if (body->has("provider_data")) answer.providerDataJson = services::toJsonText(body->get("provider_data"));
  if (auto amount = body->getObject("amount")) answer.amountMinor = amount->optValue<int64_t>("value", 0);
  answer.gatewayError = gatewayErrorOf(body);
  if (auto session = body->getObject("session")) answer.clientSecret = nonEmptyText(session, "client_secret");
  if (body->has("next_action")) answer.nextActionJson = services::toJsonText(body->get("next_action"));
}

WebhookEvent webhookEventOf(const Poco::JSON::Object::Ptr& event) {
  WebhookEvent out;
  out.type = event->optValue<std::string>("type", "");
  out.providerReference = event->optValue<std::string>("provider_reference", "");
  if (auto amount = event->getObject("amount")) out.amountMinor = amount->optValue<int64_t>("value", 0);
  out.gatewayError = gatewayErrorOf(event);
  out.refundReference = event->optValue<std::string>("refund_reference", "");
  return out;
}

}  // namespace

Result<WebhookVerdict> readWebhookVerdict(const std::string& resultJson) {
  Poco::JSON::Object::Ptr parsed;
  try {
    parsed = services::parseJsonObject(resultJson);
  } catch (const std::exception&) {
    return Error::unavailable("payment plugin answered garbage to a webhook");
  }
  WebhookVerdict verdict;
  verdict.eventId = parsed->optValue<std::string>("event_id", "");
  if (auto events = parsed->getArray("events")) {
    for (std::size_t i = 0; i < events->size(); ++i) {
      verdict.events.push_back(webhookEventOf(events->getObject(static_cast<unsigned>(i))));
    }
  }
  if (auto ack = parsed->getObject("ack")) {
    verdict.ack = WebhookVerdict::Ack{ack->optValue<int>("status", 200), ack->optValue<std::string>("body", ""),
                                      optionalText(ack, "media_type")};
  }
  return verdict;
}

PaymentAnswer readPaymentAnswer(const Result<std::string>& call) {
  PaymentAnswer answer;
  if (!call) {
    answer.error = call.error();
    const bool mayHaveHappened =
        call.error().code == ErrorCode::DeadlineExceeded || call.error().code == ErrorCode::Internal;
    answer.result = mayHaveHappened ? domain::GatewayResult::Unknown : domain::GatewayResult::NotSubmitted;
    return answer;
  }
  try {
    readFields(services::parseJsonObject(*call), answer);
    answer.answered = true;
  } catch (const std::exception& e) {
    answer = PaymentAnswer{};
    answer.error = Error::internal(std::string("payment plugin answered garbage: ") + e.what());
    answer.result = domain::GatewayResult::Unknown;
  }
  return answer;
}

}  // namespace ordersvc::plugins
