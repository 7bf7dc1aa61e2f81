// A payment plugin's answer read once into typed fields: what each result and each
// failed call means, and the optional fields as the payment service uses them.
#include "platform/plugins/payment_answer.h"

#include <gtest/gtest.h>

namespace ordersvc::testing {
namespace {

using domain::GatewayResult;
using plugins::readPaymentAnswer;

TEST(PaymentAnswerTest, ReadsEveryFieldOfAResult) {
  const auto answer = readPaymentAnswer(std::string(R"({
    "status": "succeeded", "provider_reference": "pi_123", "provider_data": {"intent": "pi_123", "n": 2},
    "amount": {"value": 1990, "currency": "USD"}, "gateway_error": {"code": "card_declined", "message": "no"},
    "session": {"client_secret": "pi_123_secret_x"}, "next_action": {"type": "redirect", "url": "https://x"}})"));
  EXPECT_TRUE(answer.answered);
  EXPECT_EQ(answer.result, GatewayResult::Succeeded);
  EXPECT_EQ(answer.providerReference, "pi_123");
  EXPECT_EQ(answer.providerDataJson, R"({"intent":"pi_123","n":2})");
  EXPECT_EQ(answer.amountMinor, 1990);
  ASSERT_TRUE(answer.gatewayError);
  EXPECT_EQ(answer.gatewayError->code, "card_declined");
  EXPECT_EQ(answer.gatewayError->message, "no");
  EXPECT_EQ(answer.clientSecret, "pi_123_secret_x");
  EXPECT_EQ(answer.nextActionJson, R"({"type":"redirect","url":"https://x"})");
}

TEST(PaymentAnswerTest, AbsentAndEmptyFieldsStayAbsent) {
  const auto answer = readPaymentAnswer(std::string(R"({"status": "declined", "provider_reference": "",
                                                         "session": {"client_secret": ""}, "gateway_error": {}})"));
  EXPECT_TRUE(answer.answered);
  EXPECT_EQ(answer.result, GatewayResult::Declined);
  EXPECT_FALSE(answer.providerReference);
  EXPECT_FALSE(answer.providerDataJson);
  EXPECT_FALSE(answer.amountMinor);
  EXPECT_FALSE(answer.clientSecret);
  EXPECT_FALSE(answer.nextActionJson);
  ASSERT_TRUE(answer.gatewayError);
  EXPECT_FALSE(answer.gatewayError->code);
  EXPECT_FALSE(answer.gatewayError->message);
}

TEST(PaymentAnswerTest, AResultWithoutAStatusIsUnknownAndAStrangeOneUnrecognised) {
  EXPECT_EQ(readPaymentAnswer(std::string("{}")).result, GatewayResult::Unknown);
  EXPECT_EQ(readPaymentAnswer(std::string(R"({"status": "approved"})")).result, GatewayResult::Unrecognised);
}

TEST(PaymentAnswerTest, AFailedCallIsUnknownWhenTheGatewayMayHaveActed) {
  for (const auto code : {ErrorCode::DeadlineExceeded, ErrorCode::Internal}) {
    const auto answer = readPaymentAnswer(Result<std::string>(Error{code, "time-out"}));
    EXPECT_FALSE(answer.answered);
    EXPECT_EQ(answer.result, GatewayResult::Unknown);
    EXPECT_EQ(answer.error.message, "time-out");
  }
  for (const auto code : {ErrorCode::InvalidArgument, ErrorCode::Unavailable, ErrorCode::Configuration}) {
    EXPECT_EQ(readPaymentAnswer(Result<std::string>(Error{code, "refused"})).result, GatewayResult::NotSubmitted);
  }
}

TEST(PaymentAnswerTest, GarbageIsAPluginFaultAndSoUnknown) {
  for (const char* garbage : {"not json", "[1,2]", "\"text\""}) {
    const auto answer = readPaymentAnswer(std::string(garbage));
    EXPECT_FALSE(answer.answered) << garbage;
    EXPECT_EQ(answer.result, GatewayResult::Unknown) << garbage;
    EXPECT_EQ(answer.error.code, ErrorCode::Internal) << garbage;
    EXPECT_NE(answer.error.message.find("answered garbage"), std::string::npos) << garbage;
  }
}

TEST(WebhookVerdictTest, ReadsTheEventIdEventsAndAck) {
  const auto verdict = plugins::readWebhookVerdict(R"({"event_id": "evt_1",
    "events": [{"type": "payment.failed", "provider_reference": "pi_1", "amount": {"value": 500, "currency": "USD"},
                "gateway_error": {"code": "card_declined", "message": "no"}},
               {"type": "payment.refunded", "provider_reference": "pi_1", "refund_reference": "re_9"}],
    "ack": {"status": 202, "body": "ok", "media_type": "text/plain"}})");
  ASSERT_TRUE(verdict) << verdict.error().message;
  EXPECT_EQ(verdict->eventId, "evt_1");
  ASSERT_EQ(verdict->events.size(), 2u);
  EXPECT_EQ(verdict->events[0].type, "payment.failed");
  EXPECT_EQ(verdict->events[0].providerReference, "pi_1");
  EXPECT_EQ(verdict->events[0].amountMinor, 500);
  ASSERT_TRUE(verdict->events[0].gatewayError);
  EXPECT_EQ(verdict->events[0].gatewayError->code, "card_declined");
  EXPECT_EQ(verdict->events[1].refundReference, "re_9");
  EXPECT_EQ(verdict->events[1].amountMinor, 0);
  EXPECT_FALSE(verdict->events[1].gatewayError);
  ASSERT_TRUE(verdict->ack);
  EXPECT_EQ(verdict->ack->status, 202);
  EXPECT_EQ(verdict->ack->body, "ok");
  EXPECT_EQ(verdict->ack->mediaType, "text/plain");
}

TEST(WebhookVerdictTest, NoEventsNoAckAndGarbage) {
  const auto empty = plugins::readWebhookVerdict("{}");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->events.empty());
  EXPECT_FALSE(empty->ack);
  const auto garbage = plugins::readWebhookVerdict("<html>");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::Unavailable);
}

}  // namespace
}  // namespace ordersvc::testing
