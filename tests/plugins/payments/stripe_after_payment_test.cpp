// The Stripe plugin after a payment exists, against a scripted Stripe: partial capture,
// void, full and partial refunds, and sync, which judges the intent against the operation
// recorded in provider_data and finds intents and refunds Stripe never answered for.
#include <gtest/gtest.h>

#include "stripe_test_support.h"

namespace ordersvc::testing {
namespace {

using Reply = ScriptedProvider::Reply;
using Request = ScriptedProvider::Request;

// provider_data of an authorization of 20.00 USD on pi_auth, as the plugin wrote it.
std::string authorizationData(const std::string& operation = "authorize") {
  return R"({"payment_intent":"pi_auth","operation":")" + operation +
         R"(","capture_method":"manual","status":"requires_capture","payment_id":"pay_1",)"
         R"("amount":{"value":2000,"currency":"USD"}})";
}

std::string captureRequest(int64_t amount, int64_t captured = 0) {
  return R"({"payment_id":"pay_1","amount":{"value":)" + std::to_string(amount) +
         R"(,"currency":"USD"},"authorized_amount":{"value":2000,"currency":"USD"},)"
         R"("captured_amount":{"value":)" +
         std::to_string(captured) + R"(,"currency":"USD"},"provider_reference":"pi_auth","provider_data":)" +
         authorizationData() + "}";
}

std::string voidRequest(const std::string& reason) {
  return R"({"payment_id":"pay_1","authorized_amount":{"value":2000,"currency":"USD"},"reason":")" + reason +
         R"(","provider_reference":"pi_auth","provider_data":)" + authorizationData() + "}";
}

std::string refundRequest(int64_t amount, int64_t refunded, const std::string& reason) {
  return R"({"payment_id":"pay_1","refund_id":"ref_1","amount":{"value":)" + std::to_string(amount) +
         R"(,"currency":"USD"},"captured_amount":{"value":2000,"currency":"USD"},"refunded_amount":{"value":)" +
         std::to_string(refunded) + R"(,"currency":"USD"},"reason":")" + reason +
         R"(","provider_reference":"pi_paid","provider_data":{"payment_intent":"pi_paid","operation":"sale",)"
         R"("payment_id":"pay_1","amount":{"value":2000,"currency":"USD"}}})";
}

std::string syncRequest(const std::string& providerData, const std::string& reference = "pi_auth") {
  return R"({"payment_id":"pay_1","provider_reference":")" + reference + R"(","provider_data":)" + providerData + "}";
}

using StripeAfterPaymentTest = ScriptedStripeTest;

// --- capture ---------------------------------------------------------------------------------

TEST_F(StripeAfterPaymentTest, PartialCaptureSendsAmountToCaptureAndReportsWhatWasCaptured) {
  auto captured = paymentIntent("pi_auth", "succeeded", 2000, "usd", "manual");
  captured->set("amount_received", 1500);
  answer(jsonReply(200, captured));
  auto result = callOk("payment.capture", captureRequest(1500), "idem-capture");
  expectPaymentResultShape(result);
  const Request request = onlyRequest();
  EXPECT_EQ(request.path, "/v1/payment_intents/pi_auth/capture");
  EXPECT_EQ(request.header("idempotency-key"), "idem-capture");
  EXPECT_EQ(formValue(parseForm(request.body), "amount_to_capture"), "1500");
  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 1500);
  EXPECT_EQ(result->getValue<std::string>("provider_reference"), "pi_auth");
  EXPECT_EQ(result->getObject("provider_data")->getValue<std::string>("operation"), "capture");
}

TEST_F(StripeAfterPaymentTest, CaptureBeyondTheAuthorizationOrASecondCaptureNeverReachesStripe) {
  const std::string error = callError("payment.capture", captureRequest(2500));
  EXPECT_NE(error.find("capture.exceeds_authorized"), std::string::npos) << error;
  // Stripe captures once and releases the rest: a second capture cannot happen.
  auto second = callOk("payment.capture", captureRequest(500, 1500));
  EXPECT_EQ(second->getValue<std::string>("status"), "declined");
  EXPECT_EQ(second->getObject("gateway_error")->getValue<std::string>("code"), "already_captured");
  EXPECT_TRUE(stripe_.requests().empty());
}

TEST_F(StripeAfterPaymentTest, CaptureWhoseFirstAnswerWasLostReportsTheCaptureThatHappened) {
  auto done = paymentIntent("pi_auth", "succeeded", 2000, "usd", "manual");
  done->set("amount_received", 1500);
  answer(Reply{
      400, stripeError("invalid_request_error", "payment_intent_unexpected_state",
                       "This PaymentIntent could not be captured because it has a status of succeeded.", "", done)});
  auto result = callOk("payment.capture", captureRequest(1500));
  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 1500);
}

// --- void -------------------------------------------------------------------------------------

TEST_F(StripeAfterPaymentTest, VoidCancelsTheIntentWithStripesReasonWhenTheHostNamesOne) {
  auto canceled = paymentIntent("pi_auth", "canceled", 2000, "usd", "manual");
  canceled->set("cancellation_reason", "requested_by_customer");
  answer(jsonReply(200, canceled));
  auto result = callOk("payment.void", voidRequest("Requested by customer"), "idem-void");
  expectPaymentResultShape(result);
  const Request request = onlyRequest();
  EXPECT_EQ(request.path, "/v1/payment_intents/pi_auth/cancel");
  EXPECT_EQ(request.header("idempotency-key"), "idem-void");
  EXPECT_EQ(formValue(parseForm(request.body), "cancellation_reason"), "requested_by_customer");
  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 2000);

  callOk("payment.void", voidRequest("the customer changed their mind"));
  EXPECT_EQ(parseForm(stripe_.requests().back().body).count("cancellation_reason"), 0u);
}

TEST_F(StripeAfterPaymentTest, VoidOfACapturedPaymentIsDeclinedAlreadyCaptured) {
  answer(Reply{400, stripeError("invalid_request_error", "payment_intent_unexpected_state",
                                "You cannot cancel this PaymentIntent because it has a status of succeeded.", "",
                                paymentIntent("pi_auth", "succeeded", 2000, "usd", "manual"))});
  auto result = callOk("payment.void", voidRequest("duplicate"));
  EXPECT_EQ(result->getValue<std::string>("status"), "declined");
  EXPECT_EQ(result->getObject("gateway_error")->getValue<std::string>("code"), "already_captured");
}

// --- refund -----------------------------------------------------------------------------------

TEST_F(StripeAfterPaymentTest, RefundSendsTheAmountStripesReasonAndTheHostsIds) {
  answer(jsonReply(200, stripeRefund("re_1", "succeeded", 500, "pi_paid", "ref_1")));
  auto result = callOk("payment.refund", refundRequest(500, 0, "duplicate"), "idem-refund");
  expectPaymentResultShape(result);
  const Request request = onlyRequest();
  EXPECT_EQ(request.path, "/v1/refunds");
  EXPECT_EQ(request.header("idempotency-key"), "idem-refund");
  const auto form = parseForm(request.body);
  EXPECT_EQ(formValue(form, "payment_intent"), "pi_paid");
  EXPECT_EQ(formValue(form, "amount"), "500");
  EXPECT_EQ(formValue(form, "reason"), "duplicate");
  EXPECT_EQ(formValue(form, "metadata[refund_id]"), "ref_1");
  EXPECT_EQ(formValue(form, "metadata[payment_id]"), "pay_1");
  EXPECT_EQ(formValue(form, "metadata[organization_id]"), "org_test");
  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 500);
  EXPECT_EQ(result->getValue<std::string>("provider_reference"), "re_1");
  auto data = result->getObject("provider_data");
  EXPECT_EQ(data->getValue<std::string>("refund"), "re_1");
  EXPECT_EQ(data->getValue<std::string>("refund_id"), "ref_1");
  EXPECT_EQ(data->getValue<std::string>("payment_intent"), "pi_paid");
}

TEST_F(StripeAfterPaymentTest, ARefundReasonStripeHasNoCodeForIsKeptInMetadataNotGuessed) {
  answer(jsonReply(200, stripeRefund("re_2", "succeeded", 1500, "pi_paid", "ref_1")));
  callOk("payment.refund", refundRequest(1500, 500, "item arrived broken"));
  const auto form = parseForm(onlyRequest().body);
  EXPECT_EQ(form.count("reason"), 0u);
  EXPECT_EQ(formValue(form, "metadata[reason]"), "item arrived broken");
  EXPECT_EQ(formValue(form, "amount"), "1500");  // the rest of what was captured
}

TEST_F(StripeAfterPaymentTest, RefundStatusesBecomeResults) {
  struct Case {
    const char* stripeStatus;
    const char* status;
    const char* code;
  };
  for (const Case& c : {Case{"pending", "pending", ""}, Case{"requires_action", "pending", ""},
                        Case{"failed", "declined", "refund_failed"}, Case{"canceled", "declined", "refund_canceled"},
                        Case{"something_new", "unknown", ""}}) {
    auto refund = stripeRefund("re_s", c.stripeStatus, 500, "pi_paid", "ref_1");
    refund->set("failure_reason", "expired_or_canceled_card");
    answer(jsonReply(200, refund));
    auto result = callOk("payment.refund", refundRequest(500, 0, "requested_by_customer"));
    expectPaymentResultShape(result);
    EXPECT_EQ(result->getValue<std::string>("status"), c.status) << c.stripeStatus;
    if (*c.code) {
      EXPECT_EQ(result->getObject("gateway_error")->getValue<std::string>("code"), c.code);
    }
    if (std::string(c.stripeStatus) == "failed") {
      EXPECT_EQ(result->getObject("gateway_error")->getValue<std::string>("provider_code"), "expired_or_canceled_card");
    }
  }
}

TEST_F(StripeAfterPaymentTest, RefundBeyondWhatIsLeftNeverReachesStripe) {
  const std::string error = callError("payment.refund", refundRequest(500, 1800, "duplicate"));
  EXPECT_NE(error.find("refund.exceeds_captured"), std::string::npos) << error;
  EXPECT_TRUE(stripe_.requests().empty());
}

TEST_F(StripeAfterPaymentTest, UnansweredRefundIsFoundBySyncThroughTheHostsRefundId) {
  answer(Reply{502, "Bad Gateway", "text/plain"});
  auto unknown = callOk("payment.refund", refundRequest(500, 0, "duplicate"));
  EXPECT_EQ(unknown->getValue<std::string>("status"), "unknown");
  EXPECT_EQ(unknown->getValue<std::string>("provider_reference"), "ref_1");
  const std::string data = toJson(unknown->getObject("provider_data"));

  auto list = parseJson(R"({"object":"list","has_more":false,"url":"/v1/refunds","data":[]})");
  list->getArray("data")->add(stripeRefund("re_other", "succeeded", 700, "pi_paid", "ref_0"));
  list->getArray("data")->add(stripeRefund("re_found", "succeeded", 500, "pi_paid", "ref_1"));
  answer(jsonReply(200, list));
  const std::string sync =
      R"({"payment_id":"pay_1","refund_id":"ref_1","provider_reference":"ref_1","provider_data":)" + data + "}";
  auto found = callOk("payment.sync", sync);
  const Request request = stripe_.requests().back();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/v1/refunds");
  EXPECT_EQ(request.query, "payment_intent=pi_paid&limit=100");
  EXPECT_EQ(found->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(found->getValue<std::string>("provider_reference"), "re_found");

  // Not among the intent's refunds: it never took effect; a retry with the same key is safe.
  answer(Reply{200, R"({"object":"list","has_more":false,"url":"/v1/refunds","data":[]})"});
  EXPECT_EQ(callOk("payment.sync", sync)->getValue<std::string>("status"), "not_submitted");
}

TEST_F(StripeAfterPaymentTest, SyncOfAKnownRefundReadsIt) {
  answer(jsonReply(200, stripeRefund("re_1", "succeeded", 500, "pi_paid", "ref_1")));
  auto result =
      callOk("payment.sync", R"({"payment_id":"pay_1","refund_id":"ref_1","provider_reference":"re_1","provider_data":)"
                             R"({"operation":"refund","refund":"re_1","refund_id":"ref_1","payment_intent":"pi_paid",)"
                             R"("status":"pending","amount":{"value":500,"currency":"USD"}}})");
  EXPECT_EQ(onlyRequest().path, "/v1/refunds/re_1");
  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 500);
}

// --- sync of a payment ---------------------------------------------------------------------------

struct SyncCase {
  const char* operation;
  const char* intentStatus;
  const char* expected;
  int64_t amount;  // expected result amount (the intent's is 2000)
};

void PrintTo(const SyncCase& c, std::ostream* out) {
  *out << c.operation << " / " << c.intentStatus;
}

class StripeSyncStatusTest : public StripeAfterPaymentTest, public ::testing::WithParamInterface<SyncCase> {};

TEST_P(StripeSyncStatusTest, IntentStatusIsJudgedAgainstTheRecordedOperation) {
  const SyncCase c = GetParam();
  auto intent = paymentIntent("pi_auth", c.intentStatus, 2000, "usd", "manual");
  if (std::string(c.intentStatus) == "succeeded") intent->set("amount_received", 1500);
  answer(jsonReply(200, intent));
  auto result = callOk("payment.sync", syncRequest(authorizationData(c.operation)));
  expectPaymentResultShape(result);
  EXPECT_EQ(onlyRequest().path, "/v1/payment_intents/pi_auth");
  EXPECT_EQ(result->getValue<std::string>("status"), c.expected);
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), c.amount);
  EXPECT_EQ(result->getObject("provider_data")->getValue<std::string>("status"), c.intentStatus);
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, StripeSyncStatusTest,
    ::testing::Values(
        SyncCase{"sale", "succeeded", "succeeded", 1500}, SyncCase{"sale", "requires_capture", "pending", 2000},
        SyncCase{"sale", "processing", "pending", 2000}, SyncCase{"sale", "requires_action", "action_required", 2000},
        SyncCase{"sale", "requires_confirmation", "action_required", 2000},
        SyncCase{"sale", "requires_payment_method", "action_required", 2000},
        SyncCase{"sale", "canceled", "declined", 2000}, SyncCase{"authorize", "requires_capture", "succeeded", 2000},
        SyncCase{"authorize", "succeeded", "succeeded", 1500}, SyncCase{"authorize", "canceled", "declined", 2000},
        SyncCase{"capture", "succeeded", "succeeded", 1500},
        SyncCase{"capture", "requires_capture", "not_submitted", 2000},
        SyncCase{"capture", "processing", "pending", 2000}, SyncCase{"void", "canceled", "succeeded", 2000},
        SyncCase{"void", "requires_capture", "not_submitted", 2000}, SyncCase{"void", "succeeded", "declined", 1500}),
    [](const auto& info) { return std::string(info.param.operation) + "_" + info.param.intentStatus; });

TEST_F(StripeAfterPaymentTest, SyncOfAFailedAttemptIsDeclinedWithTheLastPaymentError) {
  auto intent = paymentIntent("pi_auth", "requires_payment_method", 2000);
  intent->set("last_payment_error",
              parseJson(R"({"type":"card_error","code":"card_declined","decline_code":"stolen_card",)"
                        R"("message":"Your card was declined."})"));
  answer(jsonReply(200, intent));
  auto result = callOk("payment.sync", syncRequest(authorizationData("sale")));
  EXPECT_EQ(result->getValue<std::string>("status"), "declined");
  EXPECT_EQ(result->getObject("gateway_error")->getValue<std::string>("provider_code"), "stolen_card");
}

TEST_F(StripeAfterPaymentTest, SyncOfAnIntentThePluginConfirmedThatStillWaitsSaysTheConfirmationDidNotLand) {
  answer(jsonReply(200, paymentIntent("pi_auth", "requires_payment_method", 2000)));
  auto result = callOk("payment.sync",
                       syncRequest(R"({"payment_intent":"pi_auth","operation":"sale","payment_id":"pay_1",)"
                                   R"("payment_method":"pm_card_visa","amount":{"value":2000,"currency":"USD"}})"));
  EXPECT_EQ(result->getValue<std::string>("status"), "not_submitted");
}

TEST_F(StripeAfterPaymentTest, SyncFindsAnIntentStripeNeverAnsweredForByTheHostsPaymentId) {
  answer(Reply{500, "{}"});
  auto unknown = callOk("payment.sale", R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},)"
                                        R"("payment_method":{"type":"card","token":"pm_card_visa"}})");
  ASSERT_EQ(unknown->getValue<std::string>("status"), "unknown");
  const std::string sync =
      syncRequest(toJson(unknown->getObject("provider_data")), unknown->getValue<std::string>("provider_reference"));

  auto found = parseJson(R"({"object":"search_result","has_more":false,"url":"/v1/payment_intents/search","data":[]})");
  found->getArray("data")->add(paymentIntent("pi_found", "succeeded", 2000));
  answer(jsonReply(200, found));
  auto result = callOk("payment.sync", sync);
  const Request search = stripe_.requests().back();
  EXPECT_EQ(search.method, "GET");
  EXPECT_EQ(search.path, "/v1/payment_intents/search");
  const auto query = parseForm(search.query);
  EXPECT_EQ(formValue(query, "query"), "metadata['payment_id']:'pay_1' AND metadata['organization_id']:'org_test'");
  EXPECT_EQ(formValue(query, "limit"), "10");
  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getValue<std::string>("provider_reference"), "pi_found");
  EXPECT_EQ(result->getObject("provider_data")->getValue<std::string>("payment_intent"), "pi_found");

  answer(Reply{200, R"({"object":"search_result","has_more":false,"url":"/v1/payment_intents/search","data":[]})"});
  EXPECT_EQ(callOk("payment.sync", sync)->getValue<std::string>("status"), "not_submitted");
}

TEST_F(StripeAfterPaymentTest, SyncThatCannotReachStripeIsUnknownNotNotSubmitted) {
  answer(Reply{503, "{}"});
  EXPECT_EQ(callOk("payment.sync", syncRequest(authorizationData()))->getValue<std::string>("status"), "unknown");
  answer(Reply{429, "{}"});
  EXPECT_EQ(callOk("payment.sync", syncRequest(authorizationData()))->getValue<std::string>("status"), "unknown");
}

}  // namespace
}  // namespace ordersvc::testing
