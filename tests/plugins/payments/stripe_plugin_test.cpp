// The Stripe plugin against a scripted Stripe (tests/support/scripted_provider.h): exactly
// what it sends (headers, idempotency keys, form fields) when it starts, confirms or reads
// a payment, and how every kind of answer becomes a result: approvals, card declines, 5xx,
// garbage, time-outs, refused connections, a refused key. Capture, void, refund and sync
// are in stripe_after_payment_test.cpp, webhooks in stripe_webhook_test.cpp.
#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>

#include "stripe_test_support.h"

namespace ordersvc::testing {
namespace {

using Reply = ScriptedProvider::Reply;
using Request = ScriptedProvider::Request;

// A loopback port nothing listens on: connecting is refused before anything is sent.
int closedPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = socket.address().port();
  socket.close();
  return port;
}

const char* kSession =
    R"({"payment_id":"pay_1","order_id":"ord_1","amount":{"value":2000,"currency":"USD"},"capture":"automatic",)"
    R"("description":"Order ORD-1","metadata":{"channel":"web"}})";
const char* kSale = R"({"payment_id":"pay_1","order_id":"ord_1","amount":{"value":2000,"currency":"USD"},)"
                    R"("payment_method":{"type":"card","token":"pm_card_visa"}})";
const char* kAuthorize = R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},)"
                         R"("payment_method":{"type":"card","token":"pm_card_visa"}})";

std::string saleWithAmount(int64_t value, const std::string& currency) {
  return R"({"payment_id":"pay_1","amount":{"value":)" + std::to_string(value) + R"(,"currency":")" + currency +
         R"("},"payment_method":{"type":"card","token":"pm_card_visa"}})";
}

using StripePluginScriptedTest = ScriptedStripeTest;

// --- create_session ----------------------------------------------------------------------

TEST_F(StripePluginScriptedTest, SessionCreatesAnUnconfirmedIntentWithTheHostsIdsAndReturnsItsClientSecret) {
  answer(jsonReply(200, paymentIntent("pi_session1", "requires_payment_method", 2000)));
  auto result = callOk("payment.create_session", kSession, "idem-session-1");
  expectPaymentResultShape(result);

  const Request request = onlyRequest();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/v1/payment_intents");
  EXPECT_EQ(request.header("authorization"), std::string("Bearer ") + kStripeSecretKey);
  EXPECT_EQ(request.header("stripe-version"), "2023-08-16");
  EXPECT_EQ(request.header("idempotency-key"), "idem-session-1");
  EXPECT_EQ(request.header("content-type"), "application/x-www-form-urlencoded");
  const auto form = parseForm(request.body);
  EXPECT_EQ(formValue(form, "amount"), "2000");
  EXPECT_EQ(formValue(form, "currency"), "usd");
  EXPECT_EQ(formValue(form, "capture_method"), "automatic");
  EXPECT_EQ(formValue(form, "description"), "Order ORD-1");
  EXPECT_EQ(formValue(form, "statement_descriptor"), "ORDERSVC TEST");
  EXPECT_EQ(formValue(form, "metadata[order_id]"), "ord_1");
  EXPECT_EQ(formValue(form, "metadata[payment_id]"), "pay_1");
  EXPECT_EQ(formValue(form, "metadata[organization_id]"), "org_test");
  EXPECT_EQ(formValue(form, "metadata[channel]"), "web");
  EXPECT_EQ(formValue(form, "confirm"), "<absent>");  // the customer confirms in the browser
  EXPECT_EQ(form.size(), 9u) << request.body;

  EXPECT_EQ(result->getValue<std::string>("status"), "action_required");
  EXPECT_EQ(result->getObject("next_action")->getValue<std::string>("type"), "wait");
  EXPECT_EQ(result->getObject("session")->getValue<std::string>("client_secret"), "pi_session1_secret_abc");
  EXPECT_EQ(result->getValue<std::string>("provider_reference"), "pi_session1");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 2000);
  EXPECT_EQ(result->getObject("amount")->getValue<std::string>("currency"), "USD");
  auto data = result->getObject("provider_data");
  EXPECT_EQ(data->getValue<std::string>("payment_intent"), "pi_session1");
  EXPECT_EQ(data->getValue<std::string>("operation"), "sale");
  EXPECT_EQ(data->getValue<std::string>("capture_method"), "automatic");
  EXPECT_EQ(data->getValue<std::string>("payment_id"), "pay_1");
  EXPECT_EQ(data->getObject("amount")->getValue<int64_t>("value"), 2000);
}

TEST_F(StripePluginScriptedTest, ARetryOfOneOperationSendsTheSameIdempotencyKey) {
  answer(Reply{503, R"({"error":{"type":"api_error","message":"try later"}})"});
  EXPECT_EQ(callOk("payment.create_session", kSession, "idem-retry")->getValue<std::string>("status"), "unknown");
  answer(jsonReply(200, paymentIntent("pi_retry", "requires_payment_method", 2000)));
  EXPECT_EQ(callOk("payment.create_session", kSession, "idem-retry")->getValue<std::string>("status"),
            "action_required");
  auto requests = stripe_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("idempotency-key"), "idem-retry");
  EXPECT_EQ(requests[1].header("idempotency-key"), "idem-retry");
  EXPECT_EQ(requests[0].body, requests[1].body);  // Stripe refuses a key reused with other parameters
}

TEST_F(StripePluginScriptedTest, ManualCaptureSessionAsksStripeForManualCaptureAndRecordsAnAuthorization) {
  answer(jsonReply(200, paymentIntent("pi_manual", "requires_payment_method", 2000, "usd", "manual")));
  std::string request = kSession;
  request.replace(request.find("automatic"), 9, "manual");
  auto result = callOk("payment.create_session", request);
  EXPECT_EQ(formValue(parseForm(onlyRequest().body), "capture_method"), "manual");
  EXPECT_EQ(result->getObject("provider_data")->getValue<std::string>("operation"), "authorize");
  EXPECT_EQ(result->getObject("provider_data")->getValue<std::string>("capture_method"), "manual");
}

TEST_F(StripePluginScriptedTest, SessionLimitedToCardsAndWalletsOffersStripesCardType) {
  answer(jsonReply(200, paymentIntent("pi_types", "requires_payment_method", 2000)));
  callOk("payment.create_session",
         R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},"payment_method_types":["card","wallet"]})");
  const auto form = parseForm(onlyRequest().body);
  EXPECT_EQ(formValue(form, "payment_method_types[0]"), "card");
  EXPECT_EQ(form.count("payment_method_types[1]"), 0u);
  const std::string error = callError(
      "payment.create_session",
      R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},"payment_method_types":["bank_transfer"]})");
  EXPECT_NE(error.find("payment_method_type.unsupported"), std::string::npos) << error;
  EXPECT_EQ(stripe_.requests().size(), 1u);
}

// --- sale / authorize ----------------------------------------------------------------------

TEST_F(StripePluginScriptedTest, SaleWithATokenCreatesAndConfirmsAnAutomaticCaptureIntentInOneRequest) {
  answer(jsonReply(200, paymentIntent("pi_sale", "succeeded", 2000)));
  auto result = callOk("payment.sale", kSale, "idem-sale");
  expectPaymentResultShape(result);
  const Request request = onlyRequest();
  EXPECT_EQ(request.path, "/v1/payment_intents");
  EXPECT_EQ(request.header("idempotency-key"), "idem-sale");
  const auto form = parseForm(request.body);
  EXPECT_EQ(formValue(form, "confirm"), "true");
  EXPECT_EQ(formValue(form, "payment_method"), "pm_card_visa");
  EXPECT_EQ(formValue(form, "capture_method"), "automatic");
  EXPECT_EQ(formValue(form, "amount"), "2000");
  EXPECT_EQ(formValue(form, "metadata[payment_id]"), "pay_1");
  // No return_url: redirect-based methods must be ruled out or Stripe refuses to confirm.
  EXPECT_EQ(formValue(form, "automatic_payment_methods[enabled]"), "true");
  EXPECT_EQ(formValue(form, "automatic_payment_methods[allow_redirects]"), "never");

  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 2000);
  EXPECT_EQ(result->getValue<std::string>("provider_reference"), "pi_sale");
  EXPECT_EQ(result->getObject("provider_data")->getValue<std::string>("payment_method"), "pm_card_visa");
}

TEST_F(StripePluginScriptedTest, SaleWithAReturnUrlLetsStripeRedirectFor3DSecure) {
  auto intent = paymentIntent("pi_3ds", "requires_action", 2000);
  auto next = parseJson(R"({"type":"redirect_to_url","redirect_to_url":{"url":"https://hooks.stripe.com/3ds/x",)"
                        R"("return_url":"https://shop.example/back"}})");
  intent->set("next_action", next);
  answer(jsonReply(200, intent));
  auto result = callOk(
      "payment.sale",
      R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},"return_url":"https://shop.example/back",)"
      R"("payment_method":{"type":"card","token":"pm_card_threeDSecure2Required"}})");
  const auto form = parseForm(onlyRequest().body);
  EXPECT_EQ(formValue(form, "return_url"), "https://shop.example/back");
  EXPECT_EQ(form.count("automatic_payment_methods[allow_redirects]"), 0u);
  EXPECT_EQ(result->getValue<std::string>("status"), "action_required");
  EXPECT_EQ(result->getObject("next_action")->getValue<std::string>("type"), "redirect");
  EXPECT_EQ(result->getObject("next_action")->getValue<std::string>("url"), "https://hooks.stripe.com/3ds/x");
}

TEST_F(StripePluginScriptedTest, AuthorizeWithATokenReservesWithManualCaptureAndReportsTheCapturableAmount) {
  auto intent = paymentIntent("pi_auth", "requires_capture", 2000, "usd", "manual");
  answer(jsonReply(200, intent));
  auto result = callOk("payment.authorize", kAuthorize);
  EXPECT_EQ(formValue(parseForm(onlyRequest().body), "capture_method"), "manual");
  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 2000);
  EXPECT_EQ(result->getObject("provider_data")->getValue<std::string>("operation"), "authorize");
  EXPECT_EQ(result->getObject("provider_data")->getValue<std::string>("status"), "requires_capture");
}

TEST_F(StripePluginScriptedTest, SaleWithATokenAfterASessionConfirmsTheSessionsIntent) {
  answer(jsonReply(200, paymentIntent("pi_s", "succeeded", 2000)));
  auto result = callOk("payment.sale",
                       R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},)"
                       R"("payment_method":{"type":"card","token":"pm_card_visa"},)"
                       R"("provider_data":{"payment_intent":"pi_s","operation":"sale","capture_method":"automatic",)"
                       R"("payment_id":"pay_1","amount":{"value":2000,"currency":"USD"}}})",
                       "idem-confirm");
  const Request request = onlyRequest();
  EXPECT_EQ(request.path, "/v1/payment_intents/pi_s/confirm");
  EXPECT_EQ(request.header("idempotency-key"), "idem-confirm");
  const auto form = parseForm(request.body);
  EXPECT_EQ(formValue(form, "payment_method"), "pm_card_visa");
  EXPECT_EQ(formValue(form, "capture_method"), "automatic");
  EXPECT_EQ(form.count("amount"), 0u);  // the session's intent keeps its amount
  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getValue<std::string>("provider_reference"), "pi_s");
}

TEST_F(StripePluginScriptedTest, SaleWithoutATokenReadsTheIntentTheCustomerConfirmedInTheBrowser) {
  const char* request = R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},)"
                        R"("provider_data":{"payment_intent":"pi_browser","operation":"sale","payment_id":"pay_1",)"
                        R"("amount":{"value":2000,"currency":"USD"}}})";
  answer(jsonReply(200, paymentIntent("pi_browser", "processing", 2000)));
  EXPECT_EQ(callOk("payment.sale", request)->getValue<std::string>("status"), "pending");
  const Request get = onlyRequest();
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.path, "/v1/payment_intents/pi_browser");
  EXPECT_EQ(get.header("idempotency-key"), "");
  EXPECT_EQ(get.header("stripe-version"), "2023-08-16");

  answer(jsonReply(200, paymentIntent("pi_browser", "succeeded", 2000)));
  auto result = callOk("payment.sale", request);
  EXPECT_EQ(result->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(result->getValue<std::string>("provider_reference"), "pi_browser");
}

TEST_F(StripePluginScriptedTest, SaleNeedsATokenOrASessionAndTheSessionsAmount) {
  std::string error = callError("payment.sale", R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"}})");
  EXPECT_NE(error.find("request.invalid"), std::string::npos) << error;
  error = callError("payment.sale",
                    R"({"payment_id":"pay_1","amount":{"value":2500,"currency":"USD"},)"
                    R"("provider_data":{"payment_intent":"pi_s","amount":{"value":2000,"currency":"USD"}}})");
  EXPECT_NE(error.find("differs from the session"), std::string::npos) << error;
  error = callError("payment.sale", R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},)"
                                    R"("provider_data":{"payment_intent":"pi_s/../../v1/refunds"}})");
  EXPECT_NE(error.find("is not a Stripe id"), std::string::npos) << error;
  EXPECT_NE(callError("payment.sale", R"({"payment_id":"pay_1","amount":{"value":0,"currency":"USD"}})")
                .find("[invalid_argument]"),
            std::string::npos);
  EXPECT_TRUE(stripe_.requests().empty());
}

// --- how answers become results ---------------------------------------------------------------

TEST_F(StripePluginScriptedTest, CardErrorIsDeclinedWithStripesCodeAndTheIssuersDeclineCode) {
  auto intent = paymentIntent("pi_declined", "requires_payment_method", 2000);
  answer(Reply{402, stripeError("card_error", "card_declined", "Your card has insufficient funds.",
                                "insufficient_funds", intent)});
  auto result = callOk("payment.sale", kSale);
  expectPaymentResultShape(result);
  EXPECT_EQ(result->getValue<std::string>("status"), "declined");
  auto error = result->getObject("gateway_error");
  EXPECT_EQ(error->getValue<std::string>("code"), "card_declined");
  EXPECT_EQ(error->getValue<std::string>("provider_code"), "insufficient_funds");
  EXPECT_EQ(error->getValue<std::string>("message"), "Your card has insufficient funds.");
  // The declined intent is the payment's from now on: a retry with another card or a
  // sync reads it.
  EXPECT_EQ(result->getValue<std::string>("provider_reference"), "pi_declined");
  EXPECT_EQ(result->getObject("provider_data")->getValue<std::string>("payment_intent"), "pi_declined");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 2000);

  answer(Reply{402, stripeError("card_error", "expired_card", "Your card has expired.")});
  error = callOk("payment.sale", kSale, "idem-2")->getObject("gateway_error");
  EXPECT_EQ(error->getValue<std::string>("code"), "expired_card");
  EXPECT_EQ(error->getValue<std::string>("provider_code"), "expired_card");
}

TEST_F(StripePluginScriptedTest, ServerErrorIsUnknownWithWhatSyncNeedsToFindThePaymentLater) {
  answer(Reply{500, R"({"error":{"type":"api_error","message":"An unknown error occurred"}})"});
  auto result = callOk("payment.sale", kSale);
  expectPaymentResultShape(result);
  EXPECT_EQ(result->getValue<std::string>("status"), "unknown");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 2000);
  EXPECT_EQ(result->getValue<std::string>("provider_reference"), "pay_1");  // no intent id known yet
  auto data = result->getObject("provider_data");
  EXPECT_FALSE(data->has("payment_intent"));
  EXPECT_EQ(data->getValue<std::string>("payment_id"), "pay_1");
  EXPECT_EQ(data->getValue<std::string>("operation"), "sale");
}

TEST_F(StripePluginScriptedTest, AnswerThatIsNotAPaymentIntentIsUnknown) {
  answer(Reply{200, "<html>Service Unavailable</html>", "text/html"});
  EXPECT_EQ(callOk("payment.sale", kSale)->getValue<std::string>("status"), "unknown");
  answer(Reply{200, R"({"id":5,"object":"payment_intent"})"});
  EXPECT_EQ(callOk("payment.sale", kSale)->getValue<std::string>("status"), "unknown");
  answer(Reply{200, ""});
  EXPECT_EQ(callOk("payment.authorize", kAuthorize)->getValue<std::string>("status"), "unknown");
}

TEST_F(StripePluginScriptedTest, AnswerSlowerThanTheCallsDeadlineIsUnknownNotATimeOutError) {
  Reply slow = jsonReply(200, paymentIntent("pi_slow", "succeeded", 2000));
  slow.delay = std::chrono::milliseconds(4000);
  answer(slow);
  // The plugin stops waiting early enough to say "unknown" itself before the host's
  // deadline turns the call into an error.
  auto result = callOk("payment.sale", kSale, "idem-slow", std::chrono::milliseconds(1500));
  EXPECT_EQ(result->getValue<std::string>("status"), "unknown");
  EXPECT_EQ(stripe_.count("POST", "/v1/payment_intents"), 1);
}

TEST_F(StripePluginScriptedTest, RefusedConnectionIsNotSubmitted) {
  ASSERT_NO_FATAL_FAILURE(activateStripe("http://127.0.0.1:" + std::to_string(closedPort())));
  auto result = callOk("payment.sale", kSale);
  expectPaymentResultShape(result);
  EXPECT_EQ(result->getValue<std::string>("status"), "not_submitted");
  EXPECT_EQ(callOk("payment.create_session", kSession)->getValue<std::string>("status"), "not_submitted");
}

TEST_F(StripePluginScriptedTest, RefusedSecretKeyIsAPermanentAuthFailure) {
  answer(Reply{401, stripeError("invalid_request_error", "", "Invalid API Key provided: sk_test_****Key")});
  const std::string error = callError("payment.sale", kSale);
  EXPECT_NE(error.find("provider.auth_failed"), std::string::npos) << error;
  EXPECT_NE(error.find("[permanent]"), std::string::npos) << error;
  EXPECT_EQ(error.find(kStripeSecretKey), std::string::npos) << error;
  answer(Reply{403, stripeError("invalid_request_error", "", "The provided key does not have access")});
  EXPECT_NE(callError("payment.create_session", kSession).find("provider.auth_failed"), std::string::npos);
}

TEST_F(StripePluginScriptedTest, RateLimitIsNotSubmittedAndAnIdempotencyConflictIsUnknown) {
  answer(Reply{429, stripeError("invalid_request_error", "rate_limit", "Too many requests")});
  EXPECT_EQ(callOk("payment.sale", kSale)->getValue<std::string>("status"), "not_submitted");
  answer(Reply{409, stripeError("idempotency_error", "", "Keys for idempotent requests can only be used once")});
  EXPECT_EQ(callOk("payment.sale", kSale)->getValue<std::string>("status"), "unknown");
}

TEST_F(StripePluginScriptedTest, InvalidRequestIsAPermanentRefusalWithStripesMessage) {
  answer(Reply{400, stripeError("invalid_request_error", "amount_too_small", "Amount must be at least $0.50 usd")});
  const std::string error = callError("payment.sale", saleWithAmount(10, "USD"));
  EXPECT_NE(error.find("provider.invalid_request"), std::string::npos) << error;
  EXPECT_NE(error.find("amount_too_small"), std::string::npos) << error;
  EXPECT_NE(error.find("[permanent]"), std::string::npos) << error;
}

// --- amounts ---------------------------------------------------------------------------------

TEST_F(StripePluginScriptedTest, IcelandicKronurGoToStripeInHundredths) {
  answer(jsonReply(200, paymentIntent("pi_isk", "succeeded", 50000, "isk")));
  auto result = callOk("payment.sale", saleWithAmount(500, "ISK"));
  const auto form = parseForm(onlyRequest().body);
  EXPECT_EQ(formValue(form, "amount"), "50000");
  EXPECT_EQ(formValue(form, "currency"), "isk");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 500);
  EXPECT_EQ(result->getObject("amount")->getValue<std::string>("currency"), "ISK");
}

TEST_F(StripePluginScriptedTest, MalagasyAriaryGoToStripeInWholeUnitsOnly) {
  answer(jsonReply(200, paymentIntent("pi_mga", "succeeded", 10, "mga")));
  auto result = callOk("payment.sale", saleWithAmount(1000, "MGA"));
  EXPECT_EQ(formValue(parseForm(onlyRequest().body), "amount"), "10");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 1000);
  const std::string error = callError("payment.sale", saleWithAmount(1050, "MGA"));
  EXPECT_NE(error.find("whole units"), std::string::npos) << error;
  EXPECT_EQ(stripe_.requests().size(), 1u);
}

TEST_F(StripePluginScriptedTest, ZeroDecimalAndThreeDecimalCurrenciesKeepTheirMinorUnits) {
  answer(jsonReply(200, paymentIntent("pi_x", "succeeded", 1500, "jpy")));
  callOk("payment.sale", saleWithAmount(1500, "JPY"));
  EXPECT_EQ(formValue(parseForm(stripe_.requests().back().body), "amount"), "1500");
  answer(jsonReply(200, paymentIntent("pi_x", "succeeded", 12340, "kwd")));
  callOk("payment.sale", saleWithAmount(12340, "KWD"));
  EXPECT_EQ(formValue(parseForm(stripe_.requests().back().body), "amount"), "12340");
  // Stripe wants the last of three decimals to be 0.
  EXPECT_NE(callError("payment.sale", saleWithAmount(12345, "KWD")).find("multiples of 10"), std::string::npos);
  EXPECT_EQ(stripe_.requests().size(), 2u);
}

TEST_F(StripePluginScriptedTest, MetadataStripeCannotTakeIsRefusedBeforeAnythingIsSent) {
  std::string many;
  for (int i = 0; i < 48; ++i) many += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":\"v\"";
  const std::string error = callError(
      "payment.create_session", R"({"payment_id":"pay_1","order_id":"ord_1","amount":{"value":2000,"currency":"USD"},)"
                                R"("metadata":{)" +
                                    many + "}}");
  EXPECT_NE(error.find("at most 50 keys"), std::string::npos) << error;
  EXPECT_NE(callError("payment.create_session",
                      R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},"metadata":{"a[b]":"c"}})")
                .find("[ or ]"),
            std::string::npos);
  EXPECT_TRUE(stripe_.requests().empty());
}

// --- configuration ---------------------------------------------------------------------------

TEST_F(StripePluginScriptedTest, ConfigurationIsCheckedWithoutRepeatingTheSecrets) {
  auto refused = activate("stripe", R"({"secret_key":"pk_test_publishable999","webhook_secret":"whsec_x"})",
                          stripe_.baseUrl(), "inst_bad");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("/secret_key"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find("pk_test_publishable999"), std::string::npos) << refused.error().message;
  for (const std::string config :
       {R"({"secret_key":"rk_test_restricted","webhook_secret":"whsec_x"})",
        R"({"secret_key":"sk_test_x","webhook_secret":"secret"})", R"({"secret_key":"sk_test_x"})",
        R"({"secret_key":"sk_test_x","webhook_secret":"whsec_x","statement_descriptor":"12345"})",
        R"({"secret_key":"sk_test_x","webhook_secret":"whsec_x","statement_descriptor":"AC<ME STORE"})",
        R"({"secret_key":"sk_test_x","webhook_secret":"whsec_x","webhook_tolerance_seconds":0})",
        R"({"secret_key":"sk_test_x","webhook_secret":"whsec_x","api_base":"https://evil.example"})",
        R"({"secret_key":"sk_test_x y","webhook_secret":"whsec_x"})"}) {
    EXPECT_FALSE(activate("stripe", config, stripe_.baseUrl(), "inst_bad")) << config;
  }
  EXPECT_TRUE(
      activate("stripe", R"({"secret_key":"sk_live_x","webhook_secret":"whsec_x"})", stripe_.baseUrl(), "inst_good"));
}

}  // namespace
}  // namespace ordersvc::testing
