// The PayPal plugin against a scripted PayPal (ScriptedProvider): what it sends (token,
// headers, idempotency keys, bodies), how it keeps its OAuth token, and how every answer
// PayPal can give (approval needed, declines, 5xx, garbage, time-outs, no connection,
// already captured) becomes a payment result. Webhook verification and event mapping
// are at the end.
#include <gtest/gtest.h>

#include <atomic>

#include <Poco/JSON/Array.h>

#include "paypal_test_support.h"

namespace ordersvc::testing::paypal {
namespace {

using Req = ScriptedProvider::Request;
using Reply = ScriptedProvider::Reply;

constexpr const char* kOrderId = "5O190127TN364715T";

const std::string kCreatedOrder =
    R"({"id":"5O190127TN364715T","intent":"CAPTURE","status":"PAYER_ACTION_REQUIRED","payment_source":{"paypal":{}},)"
    R"("links":[{"href":"https://api.sandbox.paypal.com/v2/checkout/orders/5O190127TN364715T","rel":"self","method":"GET"},)"
    R"({"href":"https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T","rel":"payer-action","method":"GET"}]})";

class PaypalPluginTest : public ProviderPluginTest {
 protected:
  void SetUp() override {
    ProviderPluginTest::SetUp();
    route([](const Req&) { return json(404, "{}"); });
    const Status activated = activate(kPluginId, config(), provider_.baseUrl());
    ASSERT_TRUE(activated) << activated.error().message;
  }

  // Serves the token endpoint (a new token "tok-<n>" each time) and hands every other
  // request to `api`.
  void route(std::function<Reply(const Req&)> api) {
    provider_.setHandler([this, api](const Req& request) {
      if (request.path == "/v1/oauth2/token") return tokenReply("tok-" + std::to_string(++tokensIssued_));
      return api(request);
    });
  }

  // The result of an operation that must succeed (an empty object after a failure, so
  // the expectations that follow fail instead of crashing).
  Poco::JSON::Object::Ptr ok(const std::string& operation, const std::string& request,
                             const std::string& key = "idem-1") {
    auto result = call(operation, request, key);
    if (!result) {
      ADD_FAILURE() << operation << ": " << result.error().message;
      return new Poco::JSON::Object;
    }
    return parse(result->json);
  }

  // The error message of an operation that must fail.
  std::string failure(const std::string& operation, const std::string& request) {
    auto result = call(operation, request);
    if (result) {
      ADD_FAILURE() << operation << " answered " << result->json;
      return "";
    }
    return result.error().message;
  }

  std::vector<Req> apiRequests() const {
    std::vector<Req> out;
    for (const auto& request : provider_.requests()) {
      if (request.path != "/v1/oauth2/token") out.push_back(request);
    }
    return out;
  }

  int tokenRequests() const { return provider_.count("POST", "/v1/oauth2/token"); }

  void seedToken(const std::string& token, int64_t ttlSeconds, int64_t atMs) {
    const Status put = state().put(kOrganization, kPluginId, tokenKey(), token, ttlSeconds, atMs);
    ASSERT_TRUE(put) << put.error().message;
  }

  ScriptedProvider provider_;
  std::atomic<int> tokensIssued_{0};
};

std::string str(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  return object && object->has(key) ? object->getValue<std::string>(key) : std::string("<absent>");
}

// --- create_session ------------------------------------------------------------------

TEST_F(PaypalPluginTest, CreateSessionCreatesACaptureOrderAndAnswersTheApprovalRedirect) {
  route([](const Req&) { return json(200, kCreatedOrder); });
  auto result = ok("payment.create_session", sessionRequest());

  EXPECT_EQ(str(result, "status"), "action_required");
  EXPECT_EQ(str(result, "provider_reference"), kOrderId);
  EXPECT_EQ(str(result->getObject("next_action"), "type"), "redirect");
  EXPECT_EQ(str(result->getObject("next_action"), "url"),
            "https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T");
  auto data = result->getObject("provider_data");
  EXPECT_EQ(str(data, "order_id"), kOrderId);
  EXPECT_EQ(str(data, "intent"), "CAPTURE");
  EXPECT_EQ(str(data, "approve_url"), "https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T");

  auto sent = apiRequests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].path, "/v2/checkout/orders");
  EXPECT_EQ(sent[0].header("authorization"), "Bearer tok-1");
  EXPECT_EQ(sent[0].header("paypal-request-id"), "idem-1");
  EXPECT_EQ(sent[0].header("prefer"), "return=representation");
  EXPECT_EQ(sent[0].header("content-type"), "application/json");
  auto body = parse(sent[0].body);
  EXPECT_EQ(str(body, "intent"), "CAPTURE");
  auto unit = body->getArray("purchase_units")->getObject(0);
  EXPECT_EQ(str(unit, "reference_id"), "pay_1");
  EXPECT_EQ(str(unit, "custom_id"), "pay_1");
  EXPECT_FALSE(unit->has("invoice_id"));
  EXPECT_EQ(str(unit->getObject("amount"), "currency_code"), "USD");
  EXPECT_EQ(str(unit->getObject("amount"), "value"), "12.34");
  auto experience = body->getObject("payment_source")->getObject("paypal")->getObject("experience_context");
  EXPECT_EQ(str(experience, "return_url"), "https://shop.example/return");
  EXPECT_EQ(str(experience, "cancel_url"), "https://shop.example/cancel");
  EXPECT_EQ(str(experience, "locale"), "es-CL");
}

TEST_F(PaypalPluginTest, ManualCaptureAsksForAnAuthorizeOrderAndAmountsFollowPaypalsDecimals) {
  route([](const Req&) { return json(201, kCreatedOrder); });
  ok("payment.create_session", sessionRequest(R"({"value":1500,"currency":"JPY"})", "manual"), "k-jpy");
  // HUF has 2 ISO decimals but PayPal takes whole forint: 1000 minor units is "10".
  ok("payment.create_session", sessionRequest(R"({"value":1000,"currency":"HUF"})"), "k-huf");
  ok("payment.create_session", sessionRequest(R"({"value":5,"currency":"EUR"})"), "k-eur");
  auto sent = apiRequests();
  ASSERT_EQ(sent.size(), 3u);
  auto amountOf = [&](std::size_t i) {
    return parse(sent[i].body)->getArray("purchase_units")->getObject(0)->getObject("amount");
  };
  EXPECT_EQ(str(parse(sent[0].body), "intent"), "AUTHORIZE");
  EXPECT_EQ(str(amountOf(0), "value"), "1500");
  EXPECT_EQ(str(amountOf(1), "value"), "10");
  EXPECT_EQ(str(amountOf(2), "value"), "0.05");
}

TEST_F(PaypalPluginTest, CurrenciesPaypalCannotTakeAreDeclinedWithoutCallingIt) {
  auto clp = ok("payment.create_session", sessionRequest(R"({"value":12340,"currency":"CLP"})"));
  EXPECT_EQ(str(clp, "status"), "declined");
  EXPECT_EQ(str(clp->getObject("gateway_error"), "code"), "currency_not_supported");
  auto huf = ok("payment.create_session", sessionRequest(R"({"value":1050,"currency":"HUF"})"));
  EXPECT_EQ(str(huf, "status"), "declined");
  EXPECT_EQ(str(huf->getObject("gateway_error"), "code"), "amount_not_representable");
  EXPECT_TRUE(provider_.requests().empty());
}

TEST_F(PaypalPluginTest, MalformedRequestsAreInvalidArguments) {
  EXPECT_NE(failure("payment.create_session", R"({"payment_id":"pay_1"})").find("[invalid_argument]"),
            std::string::npos);
  EXPECT_NE(failure("payment.sale", R"({"payment_id":"pay_1","amount":{"value":1,"currency":"USD"}})").find("order_id"),
            std::string::npos);
  EXPECT_NE(failure("payment.sale", completeRequest(sessionData("AUTHORIZE"))).find("payment.authorize"),
            std::string::npos);
  EXPECT_TRUE(provider_.requests().empty());
}

// --- OAuth token ---------------------------------------------------------------------

TEST_F(PaypalPluginTest, TwoCallsShareOneTokenFetchedWithBasicClientCredentials) {
  route([](const Req&) { return json(201, kCreatedOrder); });
  ok("payment.create_session", sessionRequest(), "k1");
  ok("payment.create_session", sessionRequest(), "k2");
  EXPECT_EQ(tokenRequests(), 1);
  const Req token = provider_.requests()[0];
  EXPECT_EQ(token.path, "/v1/oauth2/token");
  EXPECT_EQ(token.header("authorization"), "Basic " + base64(std::string(kClientId) + ":" + kClientSecret));
  EXPECT_EQ(token.header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(token.body, "grant_type=client_credentials");
  for (const auto& sent : apiRequests()) EXPECT_EQ(sent.header("authorization"), "Bearer tok-1");

  // Kept for expires_in (32400 s) less the 5-minute margin, in the host's state.
  const int64_t now = nowMs();
  auto kept = state().get(kOrganization, kPluginId, tokenKey(), now + 32000 * 1000LL);
  ASSERT_TRUE(kept);
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->value, "tok-1");
  auto gone = state().get(kOrganization, kPluginId, tokenKey(), now + 32200 * 1000LL);
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_F(PaypalPluginTest, AnExpiredCachedTokenIsReplaced) {
  // Stored an hour ago for 60 seconds: expired for the store, so not used.
  seedToken("old-token", 60, nowMs() - 3600 * 1000LL);
  route([](const Req&) { return json(201, kCreatedOrder); });
  ok("payment.create_session", sessionRequest());
  EXPECT_EQ(tokenRequests(), 1);
  ASSERT_EQ(apiRequests().size(), 1u);
  EXPECT_EQ(apiRequests()[0].header("authorization"), "Bearer tok-1");
}

TEST_F(PaypalPluginTest, A401DropsTheTokenFetchesANewOneAndRetriesOnceWithTheSameRequestId) {
  seedToken("revoked-token", 3600, nowMs());
  route([](const Req& request) {
    if (request.header("authorization") == "Bearer revoked-token") return json(401, R"({"error":"invalid_token"})");
    return json(201, kCreatedOrder);
  });
  auto result = ok("payment.create_session", sessionRequest());
  EXPECT_EQ(str(result, "status"), "action_required");
  EXPECT_EQ(tokenRequests(), 1);
  auto sent = apiRequests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].header("authorization"), "Bearer tok-1");
  EXPECT_EQ(sent[0].header("paypal-request-id"), "idem-1");
  EXPECT_EQ(sent[1].header("paypal-request-id"), "idem-1");
  // The new token replaced the revoked one.
  auto kept = state().get(kOrganization, kPluginId, tokenKey(), nowMs());
  ASSERT_TRUE(kept && kept->has_value());
  EXPECT_EQ((*kept)->value, "tok-1");
}

TEST_F(PaypalPluginTest, A401AgainAfterTheRetryIsAnAuthenticationFailure) {
  route([](const Req&) { return json(401, R"({"error":"invalid_token"})"); });
  const std::string error = failure("payment.sale", completeRequest());
  EXPECT_NE(error.find("(provider.auth_failed) [permanent]"), std::string::npos) << error;
  EXPECT_EQ(apiRequests().size(), 2u);  // the call and exactly one retry
  EXPECT_EQ(tokenRequests(), 2);
}

TEST_F(PaypalPluginTest, RefusedClientCredentialsAreAnAuthenticationFailureAndNothingIsSent) {
  provider_.setHandler([](const Req&) {
    return json(401, R"({"error":"invalid_client","error_description":"Client Authentication failed"})");
  });
  const std::string error = failure("payment.create_session", sessionRequest());
  EXPECT_NE(error.find("(provider.auth_failed) [permanent]"), std::string::npos) << error;
  EXPECT_EQ(error.find(kClientSecret), std::string::npos);
  EXPECT_TRUE(apiRequests().empty());
}

// --- sale and authorize after approval ------------------------------------------------

TEST_F(PaypalPluginTest, SaleCapturesTheApprovedOrderAndARetrySendsTheSameRequestId) {
  route([](const Req&) { return json(201, capturedOrder(kOrderId, "COMPLETED")); });
  auto result = ok("payment.sale", completeRequest(), "idem-sale");
  ok("payment.sale", completeRequest(), "idem-sale");

  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(str(result, "provider_reference"), kOrderId);
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 1234);
  EXPECT_EQ(str(result->getObject("provider_data"), "capture_id"), "CAP111");
  EXPECT_EQ(str(result->getObject("provider_data"), "order_id"), kOrderId);
  auto sent = apiRequests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].path, std::string("/v2/checkout/orders/") + kOrderId + "/capture");
  EXPECT_EQ(sent[0].header("paypal-request-id"), "idem-sale");
  EXPECT_EQ(sent[1].header("paypal-request-id"), "idem-sale");
}

TEST_F(PaypalPluginTest, CaptureStatusesMapToResults) {
  const std::pair<std::string, std::string> cases[] = {
      {"COMPLETED", "succeeded"}, {"PENDING", "pending"}, {"DECLINED", "declined"}, {"FAILED", "declined"}};
  for (const auto& [paypalStatus, expected] : cases) {
    route([status = paypalStatus](const Req&) { return json(201, capturedOrder(kOrderId, status)); });
    auto result = ok("payment.sale", completeRequest(), "k-" + paypalStatus);
    EXPECT_EQ(str(result, "status"), expected) << paypalStatus;
    if (expected == "declined") {
      EXPECT_EQ(str(result->getObject("gateway_error"), "code"),
                "capture_" + std::string(paypalStatus == "DECLINED" ? "declined" : "failed"));
    }
  }
}

TEST_F(PaypalPluginTest, ADeclinedInstrumentIsDeclinedWithPaypalsIssue) {
  route([](const Req&) { return json(422, paypalError(422, "INSTRUMENT_DECLINED")); });
  auto result = ok("payment.sale", completeRequest());
  EXPECT_EQ(str(result, "status"), "declined");
  EXPECT_EQ(str(result, "provider_reference"), kOrderId);
  EXPECT_EQ(str(result->getObject("gateway_error"), "code"), "instrument_declined");
  EXPECT_EQ(str(result->getObject("gateway_error"), "provider_code"), "INSTRUMENT_DECLINED");
}

TEST_F(PaypalPluginTest, AnOrderNotYetApprovedSendsTheCustomerBackToPaypal) {
  route([](const Req&) { return json(422, paypalError(422, "ORDER_NOT_APPROVED")); });
  auto result = ok("payment.sale", completeRequest());
  EXPECT_EQ(str(result, "status"), "action_required");
  EXPECT_EQ(str(result->getObject("next_action"), "url"),
            "https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T");
}

TEST_F(PaypalPluginTest, AnOrderAlreadyCapturedIsFetchedAndItsCaptureReported) {
  route([](const Req& request) {
    if (request.method == "GET") return json(200, capturedOrder(kOrderId, "COMPLETED"));
    return json(422, paypalError(422, "ORDER_ALREADY_CAPTURED"));
  });
  auto result = ok("payment.sale", completeRequest());
  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(str(result->getObject("provider_data"), "capture_id"), "CAP111");
  EXPECT_EQ(provider_.count("GET", std::string("/v2/checkout/orders/") + kOrderId), 1);
  EXPECT_EQ(provider_.count("POST", "/v2/checkout/orders/"), 1);
}

TEST_F(PaypalPluginTest, ServerErrorsAndGarbageAreUnknown) {
  route([](const Req&) { return json(500, R"({"name":"INTERNAL_SERVER_ERROR"})"); });
  EXPECT_EQ(str(ok("payment.sale", completeRequest(), "k1"), "status"), "unknown");
  route([](const Req&) { return json(201, "<html>proxy error</html>"); });
  EXPECT_EQ(str(ok("payment.sale", completeRequest(), "k2"), "status"), "unknown");
  route([](const Req&) { return json(201, R"({"id":"NOPE","status":)"); });
  EXPECT_EQ(str(ok("payment.create_session", sessionRequest(), "k3"), "status"), "unknown");
}

TEST_F(PaypalPluginTest, AnAnswerLaterThanTheDeadlineIsUnknown) {
  seedToken("tok-cached", 3600, nowMs());
  route([](const Req&) {
    Reply reply = json(201, capturedOrder(kOrderId, "COMPLETED"));
    reply.delay = std::chrono::milliseconds(3500);
    return reply;
  });
  // The plugin gives the exchange the deadline less a reserve (500 ms of 2 s) to answer in.
  auto result = call("payment.sale", completeRequest(), "idem-1", kInstance, std::chrono::milliseconds(2000));
  ASSERT_TRUE(result) << result.error().message;
  auto parsed = parse(result->json);
  EXPECT_EQ(str(parsed, "status"), "unknown");
  EXPECT_EQ(str(parsed, "provider_reference"), kOrderId);
}

TEST_F(PaypalPluginTest, NoConnectionIsNotSubmitted) {
  // A port nobody listens on: the connection is refused before anything is sent.
  const Status reactivated = activate(kPluginId, config(), "http://127.0.0.1:1");
  ASSERT_TRUE(reactivated) << reactivated.error().message;
  seedToken("tok-cached", 3600, nowMs());
  auto sale = ok("payment.sale", completeRequest());
  EXPECT_EQ(str(sale, "status"), "not_submitted");
  EXPECT_EQ(str(sale, "provider_reference"), kOrderId);
  // Without a cached token the token request fails the same way: still not submitted.
  ASSERT_TRUE(state().remove(kOrganization, kPluginId, tokenKey()));
  EXPECT_EQ(str(ok("payment.create_session", sessionRequest()), "status"), "not_submitted");
}

TEST_F(PaypalPluginTest, AuthorizeAuthorizesTheOrderThenCaptureAndVoidUseTheAuthorization) {
  route([](const Req& request) {
    if (request.path.find("/authorize") != std::string::npos) return json(201, authorizedOrder(kOrderId));
    if (request.path.find("/capture") != std::string::npos) {
      return json(
          201,
          R"({"id":"CAP333","status":"COMPLETED","amount":{"currency_code":"USD","value":"5.00"},"final_capture":false})");
    }
    return json(204, "");
  });
  auto authorized = ok("payment.authorize", completeRequest(sessionData("AUTHORIZE")), "idem-auth");
  EXPECT_EQ(str(authorized, "status"), "succeeded");
  EXPECT_EQ(str(authorized, "provider_reference"), kOrderId);
  EXPECT_EQ(str(authorized, "expires_at"), "2024-03-03T17:39:24Z");
  auto data = authorized->getObject("provider_data");
  EXPECT_EQ(str(data, "authorization_id"), "AUTH222");
  const std::string dataJson = [&] {
    std::ostringstream o;
    data->stringify(o);
    return o.str();
  }();

  auto captured = ok("payment.capture",
                     R"({"payment_id":"pay_1","capture_id":"cap_1","amount":{"value":500,"currency":"USD"},)"
                     R"("authorized_amount":{"value":1234,"currency":"USD"},"final_capture":false,)"
                     R"("provider_reference":"5O190127TN364715T","provider_data":)" +
                         dataJson + "}",
                     "idem-cap");
  EXPECT_EQ(str(captured, "status"), "succeeded");
  EXPECT_EQ(str(captured, "provider_reference"), kOrderId);
  EXPECT_EQ(captured->getObject("amount")->getValue<int64_t>("value"), 500);
  EXPECT_EQ(str(captured->getObject("provider_data"), "capture_id"), "CAP333");

  auto voided =
      ok("payment.void",
         R"({"payment_id":"pay_1","provider_reference":"5O190127TN364715T","provider_data":)" + dataJson + "}",
         "idem-void");
  EXPECT_EQ(str(voided, "status"), "succeeded");
  EXPECT_EQ(voided->getObject("amount")->getValue<int64_t>("value"), 1234);

  auto sent = apiRequests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].path, std::string("/v2/checkout/orders/") + kOrderId + "/authorize");
  EXPECT_EQ(sent[1].path, "/v2/payments/authorizations/AUTH222/capture");
  EXPECT_EQ(sent[1].header("paypal-request-id"), "idem-cap");
  auto body = parse(sent[1].body);
  EXPECT_EQ(str(body->getObject("amount"), "value"), "5.00");
  EXPECT_EQ(str(body->getObject("amount"), "currency_code"), "USD");
  EXPECT_FALSE(body->getValue<bool>("final_capture"));
  EXPECT_EQ(sent[2].path, "/v2/payments/authorizations/AUTH222/void");
}

TEST_F(PaypalPluginTest, CaptureBeyondTheAuthorizationIsRefusedAndACapturedAuthorizationCannotBeVoided) {
  const std::string data = R"({"order_id":"5O190127TN364715T","intent":"AUTHORIZE","authorization_id":"AUTH222",)"
                           R"("amount":{"value":1234,"currency":"USD"}})";
  const std::string error =
      failure("payment.capture",
              R"({"payment_id":"pay_1","amount":{"value":1000,"currency":"USD"},)"
              R"("authorized_amount":{"value":1234,"currency":"USD"},"captured_amount":{"value":500,"currency":"USD"},)"
              R"("provider_reference":"5O190127TN364715T","provider_data":)" +
                  data + "}");
  EXPECT_NE(error.find("(capture.exceeds_authorized) [invalid_argument]"), std::string::npos) << error;
  EXPECT_TRUE(provider_.requests().empty());

  route([](const Req&) { return json(422, paypalError(422, "PREVIOUSLY_CAPTURED")); });
  auto voided = ok("payment.void",
                   R"({"payment_id":"pay_1","provider_reference":"5O190127TN364715T","provider_data":)" + data + "}");
  EXPECT_EQ(str(voided, "status"), "declined");
  EXPECT_EQ(str(voided->getObject("gateway_error"), "code"), "already_captured");
}

// --- refunds and sync ------------------------------------------------------------------

const std::string kCapturedData =
    R"({"order_id":"5O190127TN364715T","intent":"CAPTURE","capture_id":"CAP111","amount":{"value":1234,"currency":"USD"}})";

std::string refundRequest() {
  return R"({"payment_id":"pay_1","refund_id":"ref_1","amount":{"value":234,"currency":"USD"},)"
         R"("captured_amount":{"value":1234,"currency":"USD"},"refunded_amount":{"value":0,"currency":"USD"},)"
         R"("reason":"Damaged item","provider_reference":"5O190127TN364715T","provider_data":)" +
         kCapturedData + "}";
}

TEST_F(PaypalPluginTest, RefundRefundsTheCaptureAndSyncReadsTheRefundBack) {
  const std::string refund =
      R"({"id":"1JU08902781691411","status":"COMPLETED","amount":{"value":"2.34","currency_code":"USD"},"custom_id":"ref_1"})";
  route([&](const Req&) { return json(201, refund); });
  auto result = ok("payment.refund", refundRequest(), "idem-refund");
  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(str(result, "provider_reference"), "1JU08902781691411");
  EXPECT_EQ(result->getObject("amount")->getValue<int64_t>("value"), 234);
  auto sent = apiRequests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].path, "/v2/payments/captures/CAP111/refund");
  EXPECT_EQ(sent[0].header("paypal-request-id"), "idem-refund");
  auto body = parse(sent[0].body);
  EXPECT_EQ(str(body->getObject("amount"), "value"), "2.34");
  EXPECT_EQ(str(body, "custom_id"), "ref_1");
  EXPECT_EQ(str(body, "note_to_payer"), "Damaged item");

  std::ostringstream data;
  result->getObject("provider_data")->stringify(data);
  auto synced =
      ok("payment.sync",
         R"({"payment_id":"pay_1","refund_id":"ref_1","provider_reference":"1JU08902781691411","provider_data":)" +
             data.str() + "}");
  EXPECT_EQ(str(synced, "status"), "succeeded");
  EXPECT_EQ(provider_.count("GET", "/v2/payments/refunds/1JU08902781691411"), 1);
}

TEST_F(PaypalPluginTest, ARefundWhoseAnswerWasLostIsFoundInTheOrderBySync) {
  route([](const Req&) { return json(503, ""); });
  auto lost = ok("payment.refund", refundRequest(), "idem-refund");
  EXPECT_EQ(str(lost, "status"), "unknown");
  EXPECT_EQ(str(lost, "provider_reference"), "paypal-request:idem-refund");
  std::ostringstream data;
  lost->getObject("provider_data")->stringify(data);
  const std::string sync =
      R"({"payment_id":"pay_1","refund_id":"ref_1","provider_reference":"paypal-request:idem-refund","provider_data":)" +
      data.str() + "}";

  route([](const Req&) {
    return json(
        200,
        R"({"id":"5O190127TN364715T","intent":"CAPTURE","status":"COMPLETED","purchase_units":[{"payments":{)"
        R"("captures":[{"id":"CAP111","status":"PARTIALLY_REFUNDED"}],)"
        R"("refunds":[{"id":"9XY","status":"COMPLETED","custom_id":"ref_other"},{"id":"7RF","status":"PENDING","custom_id":"ref_1"}]}}]})");
  });
  auto found = ok("payment.sync", sync);
  EXPECT_EQ(str(found, "status"), "pending");
  EXPECT_EQ(str(found, "provider_reference"), "7RF");

  route([](const Req&) { return json(200, capturedOrder(kOrderId, "COMPLETED")); });
  EXPECT_EQ(str(ok("payment.sync", sync), "status"), "not_submitted");
}

TEST_F(PaypalPluginTest, SyncReportsTheOrdersStateAndUnknownWhenPaypalCannotBeAsked) {
  const std::string sync =
      R"({"payment_id":"pay_1","provider_reference":"5O190127TN364715T","provider_data":)" + sessionData() + "}";
  route([](const Req&) { return json(200, capturedOrder(kOrderId, "COMPLETED")); });
  EXPECT_EQ(str(ok("payment.sync", sync), "status"), "succeeded");
  route([](const Req&) { return json(200, R"({"id":"5O190127TN364715T","intent":"CAPTURE","status":"APPROVED"})"); });
  EXPECT_EQ(str(ok("payment.sync", sync), "status"), "pending");
  route([](const Req&) {
    return json(
        200,
        R"({"id":"5O190127TN364715T","status":"PAYER_ACTION_REQUIRED","links":[{"rel":"payer-action","href":"https://www.sandbox.paypal.com/checkoutnow?token=X"}]})");
  });
  auto waiting = ok("payment.sync", sync);
  EXPECT_EQ(str(waiting, "status"), "action_required");
  EXPECT_EQ(str(waiting->getObject("next_action"), "url"), "https://www.sandbox.paypal.com/checkoutnow?token=X");
  route([](const Req&) { return json(404, paypalError(404, "INVALID_RESOURCE_ID")); });
  EXPECT_EQ(str(ok("payment.sync", sync), "status"), "declined");
  route([](const Req&) { return json(500, ""); });
  EXPECT_EQ(str(ok("payment.sync", sync), "status"), "unknown");
  EXPECT_EQ(provider_.count("GET", std::string("/v2/checkout/orders/") + kOrderId), 5);
}

// --- webhooks -----------------------------------------------------------------------------

const std::string kCaptureCompleted =
    R"({"id":"WH-58D329510W468432D-8HN650336L201105X","create_time":"2024-02-03T17:39:24.000Z","resource_type":"capture",)"
    R"("event_type":"PAYMENT.CAPTURE.COMPLETED","summary":"Payment completed for $ 12.34 USD",)"
    R"("resource":{"id":"CAP111","status":"COMPLETED","amount":{"currency_code":"USD","value":"12.34"},)"
    R"("supplementary_data":{"related_ids":{"order_id":"5O190127TN364715T"}}}})";

TEST_F(PaypalPluginTest, AWebhookPaypalVerifiesIsParsedAndTheEventIsSentAsReceived) {
  route([](const Req&) { return json(200, R"({"verification_status":"SUCCESS"})"); });
  auto result = ok("payment.webhook_verify_and_parse", webhookRequest(kCaptureCompleted, isoTime(nowMs() - 60000)));
  EXPECT_EQ(str(result, "event_id"), "WH-58D329510W468432D-8HN650336L201105X");
  auto events = result->getArray("events");
  ASSERT_EQ(events->size(), 1u);
  auto event = events->getObject(0);
  EXPECT_EQ(str(event, "type"), "payment.succeeded");
  EXPECT_EQ(str(event, "provider_reference"), kOrderId);
  EXPECT_EQ(event->getObject("amount")->getValue<int64_t>("value"), 1234);
  EXPECT_EQ(str(event, "occurred_at"), "2024-02-03T17:39:24.000Z");
  EXPECT_EQ(str(event, "provider_event_type"), "PAYMENT.CAPTURE.COMPLETED");

  auto sent = apiRequests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].path, "/v1/notifications/verify-webhook-signature");
  EXPECT_EQ(sent[0].header("authorization"), "Bearer tok-1");
  EXPECT_NE(sent[0].body.find(",\"webhook_event\":" + kCaptureCompleted + "}"), std::string::npos) << sent[0].body;
  auto body = parse(sent[0].body);
  EXPECT_EQ(str(body, "webhook_id"), kWebhookId);
  EXPECT_EQ(str(body, "auth_algo"), "SHA256withRSA");
  EXPECT_EQ(str(body, "transmission_id"), "69cd13f0-d67a-11e5-baa3-778b53f4ae55");
  EXPECT_EQ(str(body, "cert_url"),
            "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270");
}

TEST_F(PaypalPluginTest, AWebhookPaypalDoesNotVerifyIsRefused) {
  route([](const Req&) { return json(200, R"({"verification_status":"FAILURE"})"); });
  const std::string error =
      failure("payment.webhook_verify_and_parse", webhookRequest(kCaptureCompleted, isoTime(nowMs())));
  EXPECT_NE(error.find("(webhook.signature_invalid) [permanent]"), std::string::npos) << error;
}

TEST_F(PaypalPluginTest, AWebhookWithoutPaypalsHeadersOrTooOldIsRefusedWithoutAskingPaypal) {
  for (const char* omitted : {"PAYPAL-AUTH-ALGO", "PAYPAL-CERT-URL", "PAYPAL-TRANSMISSION-ID",
                              "PAYPAL-TRANSMISSION-SIG", "PAYPAL-TRANSMISSION-TIME"}) {
    const std::string error =
        failure("payment.webhook_verify_and_parse", webhookRequest(kCaptureCompleted, isoTime(nowMs()), omitted));
    EXPECT_NE(error.find("(webhook.signature_invalid) [permanent]"), std::string::npos) << omitted << ": " << error;
  }
  const std::string stale = failure("payment.webhook_verify_and_parse",
                                    webhookRequest(kCaptureCompleted, isoTime(nowMs() - 4 * 86400 * 1000LL)));
  EXPECT_NE(stale.find("(webhook.stale) [permanent]"), std::string::npos) << stale;
  EXPECT_TRUE(provider_.requests().empty());
}

TEST_F(PaypalPluginTest, AWebhookThatCannotBeVerifiedNowIsATransientError) {
  route([](const Req&) { return json(503, ""); });
  const std::string error =
      failure("payment.webhook_verify_and_parse", webhookRequest(kCaptureCompleted, isoTime(nowMs())));
  EXPECT_NE(error.find("(webhook.verification_unavailable) [transient]"), std::string::npos) << error;
}

TEST_F(PaypalPluginTest, EachPaypalEventMapsToItsNormalisedType) {
  struct Case {
    std::string eventType;
    std::string resource;
    std::string type;
    std::string reference;
  };
  const std::string related = R"("supplementary_data":{"related_ids":{"order_id":"5O190127TN364715T"}})";
  const Case cases[] = {
      {"CHECKOUT.ORDER.APPROVED",
       R"({"id":"5O190127TN364715T","status":"APPROVED","purchase_units":[{"amount":{"currency_code":"USD","value":"12.34"}}]})",
       "checkout.approved", kOrderId},
      {"PAYMENT.CAPTURE.DENIED", R"({"id":"CAP111","status":"DECLINED",)" + related + "}", "payment.failed", kOrderId},
      {"PAYMENT.AUTHORIZATION.VOIDED", R"({"id":"AUTH222","status":"VOIDED",)" + related + "}", "payment.canceled",
       kOrderId},
      {"PAYMENT.CAPTURE.REFUNDED",
       R"({"id":"1JU08902781691411","status":"COMPLETED","amount":{"currency_code":"USD","value":"2.34"},)" + related +
           "}",
       "payment.refunded", kOrderId},
      {"CUSTOMER.DISPUTE.CREATED", R"({"dispute_id":"PP-D-1"})", "", ""},
  };
  route([](const Req&) { return json(200, R"({"verification_status":"SUCCESS"})"); });
  for (const auto& c : cases) {
    const std::string body = R"({"id":"WH-1","create_time":"2024-02-03T17:39:24Z","event_type":")" + c.eventType +
                             R"(","resource":)" + c.resource + "}";
    auto result = ok("payment.webhook_verify_and_parse", webhookRequest(body, isoTime(nowMs())));
    auto events = result->getArray("events");
    ASSERT_TRUE(events) << c.eventType;
    if (c.type.empty()) {
      EXPECT_EQ(events->size(), 0u) << c.eventType;
      continue;
    }
    ASSERT_EQ(events->size(), 1u) << c.eventType;
    EXPECT_EQ(str(events->getObject(0), "type"), c.type);
    EXPECT_EQ(str(events->getObject(0), "provider_reference"), c.reference);
    if (c.type == "payment.failed") {
      EXPECT_EQ(str(events->getObject(0)->getObject("gateway_error"), "code"), "capture_denied");
    }
    if (c.type == "payment.refunded") {
      EXPECT_EQ(str(events->getObject(0), "refund_reference"), "1JU08902781691411");
      EXPECT_EQ(events->getObject(0)->getObject("amount")->getValue<int64_t>("value"), 234);
    }
    if (c.type == "checkout.approved") {
      EXPECT_EQ(events->getObject(0)->getObject("amount")->getValue<int64_t>("value"), 1234);
    }
  }
}

TEST_F(PaypalPluginTest, ARefundEventWithoutTheOrderIdFindsItThroughTheRefundedCapture) {
  route([](const Req& request) {
    if (request.path == "/v2/payments/captures/CAP111") {
      return json(
          200,
          R"({"id":"CAP111","status":"PARTIALLY_REFUNDED","supplementary_data":{"related_ids":{"order_id":"5O190127TN364715T"}}})");
    }
    return json(200, R"({"verification_status":"SUCCESS"})");
  });
  const std::string body =
      R"({"id":"WH-2","create_time":"2024-02-03T17:39:24Z","event_type":"PAYMENT.CAPTURE.REFUNDED","resource":{"id":"1JU08902781691411",)"
      R"("status":"COMPLETED","amount":{"currency_code":"USD","value":"2.34"},"links":[)"
      R"({"href":"https://api.paypal.com/v2/payments/refunds/1JU08902781691411","rel":"self","method":"GET"},)"
      R"({"href":"https://api.paypal.com/v2/payments/captures/CAP111","rel":"up","method":"GET"}]}})";
  auto result = ok("payment.webhook_verify_and_parse", webhookRequest(body, isoTime(nowMs())));
  auto events = result->getArray("events");
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(str(events->getObject(0), "provider_reference"), kOrderId);
  EXPECT_EQ(provider_.count("GET", "/v2/payments/captures/CAP111"), 1);
}

}  // namespace
}  // namespace ordersvc::testing::paypal
