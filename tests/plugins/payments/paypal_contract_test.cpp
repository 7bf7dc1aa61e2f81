// The PayPal plugin against PayPal's published OpenAPI documents (../shared/specs/payments/
// paypal/openapi): its real traffic, through the real host services, to a Prism mock of
// each document, which must accept every request. Prism serves static examples, so the
// tests assert that requests were accepted and answers parsed, not business outcomes.
//
// Prism does not validate request bodies for Orders v2 and Payments v2 (specs README,
// gotcha 5.2: ajv cannot compile some of their Unicode patterns and silently skips the
// body schema), so the bodies the plugin sends are also captured from a scripted provider
// and validated here against the operation's own requestBody schema with RapidJSON's
// validator (the host's config_schema_check). Patterns RapidJSON cannot compile (the same
// Unicode ones, and lookaheads) are skipped by it, non-capturing groups are rewritten for
// it; required members, types, enums, lengths and the money value pattern are checked.
//
// The token endpoint is in none of the three documents, so the OAuth token is put in the
// host's state first (as a previous call would have left it) and only API calls go out.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <Poco/JSON/Array.h>

#include "paypal_test_support.h"
#include "platform/plugins/config_schema_check.h"
#include "prism_server.h"

namespace ordersvc::testing::paypal {
namespace {

using Req = ScriptedProvider::Request;

const char* kOrdersSpec = "payments/paypal/openapi/checkout_orders_v2.json";
const char* kPaymentsSpec = "payments/paypal/openapi/payments_payment_v2.json";
const char* kWebhooksSpec = "payments/paypal/openapi/notifications_webhooks_v1.json";

const std::string kAuthorizedData =
    R"({"order_id":"5O190127TN364715T","intent":"AUTHORIZE","authorization_id":"0VF52814937998046",)"
    R"("capture_id":"2GG279541U471931P","amount":{"value":1234,"currency":"USD"}})";

std::string stringify(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

// The requestBody schema of `method path` in the OpenAPI document, as a standalone JSON
// Schema: the operation's schema with the document's components beside it, so its
// "#/components/schemas/..." references resolve.
std::string requestBodySchema(const std::string& specPath, const std::string& path, const std::string& method) {
  std::ifstream file(sharedSpecsDir() + "/" + specPath);
  auto spec = Poco::JSON::Parser().parse(file).extract<Poco::JSON::Object::Ptr>();
  auto operation = spec->getObject("paths")->getObject(path)->getObject(method);
  auto schema =
      operation->getObject("requestBody")->getObject("content")->getObject("application/json")->getObject("schema");
  Poco::JSON::Object::Ptr standalone = new Poco::JSON::Object;
  for (const auto& [key, value] : *schema) standalone->set(key, value);
  standalone->set("components", spec->getObject("components"));
  // RapidJSON's regex engine has no non-capturing groups and misreads "(?:" (PayPal's
  // locale pattern would refuse "es-CL"); a capturing group matches the same strings.
  std::string text = stringify(standalone);
  for (std::size_t at = text.find("(?:"); at != std::string::npos; at = text.find("(?:", at)) text.replace(at, 3, "(");
  return text;
}

std::string problemsOf(const std::string& schema, const std::string& body) {
  std::string out;
  for (const auto& problem : plugins::checkAgainstSchema(schema, body))
    out += problem.path + " " + problem.message + "; ";
  return out;
}

class PaypalContractTest : public ProviderPluginTest {
 protected:
  void activateAt(const std::string& baseUrl) {
    const Status activated = activate(kPluginId, config(), baseUrl);
    ASSERT_TRUE(activated) << activated.error().message;
    const Status put = state().put(kOrganization, kPluginId, tokenKey(), "A21AAcontracttoken", 3600, nowMs());
    ASSERT_TRUE(put) << put.error().message;
  }

  // The result of an operation whose answer the plugin must have read: a payment_result
  // that is neither unknown nor not_submitted (what unreadable answers and failed calls
  // become).
  Poco::JSON::Object::Ptr parsed(const std::string& operation, const std::string& request, const std::string& key) {
    auto result = call(operation, request, key);
    if (!result) {
      ADD_FAILURE() << operation << ": " << result.error().message;
      return new Poco::JSON::Object;
    }
    auto out = parse(result->json);
    const std::string status = out->optValue<std::string>("status", "");
    EXPECT_NE(status, "unknown") << operation << ": " << result->json;
    EXPECT_NE(status, "not_submitted") << operation << ": " << result->json;
    EXPECT_FALSE(out->optValue<std::string>("provider_reference", "").empty()) << operation << ": " << result->json;
    return out;
  }
};

TEST_F(PaypalContractTest, OrdersTrafficIsAcceptedByTheOrdersDocument) {
  PrismServer prism(kOrdersSpec);
  ASSERT_TRUE(prism.running()) << prism.failure();
  activateAt(prism.baseUrl());
  parsed("payment.create_session", sessionRequest(), "k-session");
  parsed("payment.create_session", sessionRequest(R"({"value":1500,"currency":"JPY"})", "manual"), "k-session-2");
  parsed("payment.sale", completeRequest(), "k-sale");
  parsed("payment.authorize", completeRequest(sessionData("AUTHORIZE")), "k-authorize");
  parsed("payment.sync",
         R"({"payment_id":"pay_1","provider_reference":"5O190127TN364715T","provider_data":)" + sessionData() + "}",
         "k-sync");
  EXPECT_TRUE(prism.violations().empty()) << prism.log();
}

TEST_F(PaypalContractTest, PaymentsTrafficIsAcceptedByThePaymentsDocument) {
  PrismServer prism(kPaymentsSpec);
  ASSERT_TRUE(prism.running()) << prism.failure();
  activateAt(prism.baseUrl());
  parsed(
      "payment.capture",
      R"({"payment_id":"pay_1","amount":{"value":500,"currency":"USD"},"authorized_amount":{"value":1234,"currency":"USD"},)"
      R"("final_capture":false,"provider_reference":"5O190127TN364715T","provider_data":)" +
          kAuthorizedData + "}",
      "k-capture");
  parsed("payment.void",
         R"({"payment_id":"pay_1","provider_reference":"5O190127TN364715T","provider_data":)" + kAuthorizedData + "}",
         "k-void");
  auto refund = parsed("payment.refund",
                       R"({"payment_id":"pay_1","refund_id":"ref_1","amount":{"value":234,"currency":"USD"},)"
                       R"("captured_amount":{"value":1234,"currency":"USD"},"reason":"Damaged item",)"
                       R"("provider_reference":"5O190127TN364715T","provider_data":)" +
                           kAuthorizedData + "}",
                       "k-refund");
  auto refundData = refund->getObject("provider_data");
  ASSERT_TRUE(refundData);
  parsed("payment.sync",
         R"({"payment_id":"pay_1","refund_id":"ref_1","provider_reference":")" +
             refund->optValue<std::string>("provider_reference", "") + R"(","provider_data":)" + stringify(refundData) +
             "}",
         "k-sync");
  EXPECT_TRUE(prism.violations().empty()) << prism.log();
}

TEST_F(PaypalContractTest, WebhookVerificationIsAcceptedByTheWebhooksDocument) {
  PrismServer prism(kWebhooksSpec);
  ASSERT_TRUE(prism.running()) << prism.failure();
  activateAt(prism.baseUrl());
  const std::string event =
      R"({"id":"WH-58D329510W468432D-8HN650336L201105X","create_time":"2024-02-03T17:39:24.000Z","resource_type":"checkout-order",)"
      R"("event_type":"CHECKOUT.ORDER.APPROVED","summary":"An order has been approved by buyer",)"
      R"("resource":{"id":"5O190127TN364715T","status":"APPROVED","purchase_units":[{"amount":{"currency_code":"USD","value":"12.34"}}]}})";
  auto result = call("payment.webhook_verify_and_parse", webhookRequest(event, isoTime(nowMs())), "k-webhook");
  // Prism answers its example verification_status; either verdict shows it was read
  // (no answer, or an unreadable one, is a transient error instead).
  if (result) {
    EXPECT_EQ(parse(result->json)->optValue<std::string>("event_id", ""), "WH-58D329510W468432D-8HN650336L201105X");
  } else {
    EXPECT_NE(result.error().message.find("(webhook.signature_invalid)"), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("verification_status"), std::string::npos) << result.error().message;
  }
  EXPECT_TRUE(prism.violations().empty()) << prism.log();
}

// Bodies captured from a scripted provider and checked against the documents' schemas.
class PaypalRequestBodyTest : public ProviderPluginTest {
 protected:
  void SetUp() override {
    ProviderPluginTest::SetUp();
    provider_.setHandler([](const Req& request) {
      if (request.path == "/v1/oauth2/token") return tokenReply("A21AAscripted");
      if (request.path == "/v1/notifications/verify-webhook-signature")
        return json(200, R"({"verification_status":"SUCCESS"})");
      return json(500, "");  // the answers do not matter here
    });
    const Status activated = activate(kPluginId, config(R"(,"brand_name":"Acme Store")"), provider_.baseUrl());
    ASSERT_TRUE(activated) << activated.error().message;
  }

  // The body of the one request sent to `path`.
  std::string bodySentTo(const std::string& path) {
    std::string body;
    int found = 0;
    for (const auto& request : provider_.requests()) {
      if (request.path == path) {
        body = request.body;
        ++found;
      }
    }
    EXPECT_EQ(found, 1) << path;
    return body;
  }

  ScriptedProvider provider_;
};

TEST_F(PaypalRequestBodyTest, TheOrderBodyFollowsTheOrdersDocumentWhichRefusesABrokenOne) {
  ASSERT_TRUE(call("payment.create_session", sessionRequest(), "k1"));
  const std::string body = bodySentTo("/v2/checkout/orders");
  const std::string schema = requestBodySchema(kOrdersSpec, "/v2/checkout/orders", "post");
  EXPECT_EQ(problemsOf(schema, body), "") << body;

  // The validator is live: the same body without what the document requires is refused.
  auto withoutUnits = parse(body);
  withoutUnits->remove("purchase_units");
  EXPECT_NE(problemsOf(schema, stringify(withoutUnits)), "");
  auto withoutCurrency = parse(body);
  withoutCurrency->getArray("purchase_units")->getObject(0)->getObject("amount")->remove("currency_code");
  EXPECT_NE(problemsOf(schema, stringify(withoutCurrency)), "");
  auto badIntent = parse(body);
  badIntent->set("intent", "SALE");
  EXPECT_NE(problemsOf(schema, stringify(badIntent)), "");
  auto commaValue = parse(body);
  commaValue->getArray("purchase_units")->getObject(0)->getObject("amount")->set("value", "12,34");
  EXPECT_NE(problemsOf(schema, stringify(commaValue)), "");
}

TEST_F(PaypalRequestBodyTest, CaptureAndAuthorizeOfAnOrderSendBodiesTheDocumentAccepts) {
  ASSERT_TRUE(call("payment.sale", completeRequest(), "k1"));
  ASSERT_TRUE(call("payment.authorize", completeRequest(sessionData("AUTHORIZE")), "k2"));
  const std::string order = "/v2/checkout/orders/5O190127TN364715T";
  EXPECT_EQ(problemsOf(requestBodySchema(kOrdersSpec, "/v2/checkout/orders/{id}/capture", "post"),
                       bodySentTo(order + "/capture")),
            "");
  EXPECT_EQ(problemsOf(requestBodySchema(kOrdersSpec, "/v2/checkout/orders/{id}/authorize", "post"),
                       bodySentTo(order + "/authorize")),
            "");
}

TEST_F(PaypalRequestBodyTest, AuthorizationCaptureAndRefundBodiesFollowThePaymentsDocument) {
  ASSERT_TRUE(call(
      "payment.capture",
      R"({"payment_id":"pay_1","amount":{"value":500,"currency":"USD"},"authorized_amount":{"value":1234,"currency":"USD"},)"
      R"("provider_reference":"5O190127TN364715T","provider_data":)" +
          kAuthorizedData + "}",
      "k1"));
  ASSERT_TRUE(call("payment.refund",
                   R"({"payment_id":"pay_1","refund_id":"ref_1","amount":{"value":234,"currency":"USD"},)"
                   R"("captured_amount":{"value":1234,"currency":"USD"},"reason":"Damaged item",)"
                   R"("provider_reference":"5O190127TN364715T","provider_data":)" +
                       kAuthorizedData + "}",
                   "k2"));
  const std::string capture = bodySentTo("/v2/payments/authorizations/0VF52814937998046/capture");
  const std::string captureSchema =
      requestBodySchema(kPaymentsSpec, "/v2/payments/authorizations/{authorization_id}/capture", "post");
  EXPECT_EQ(problemsOf(captureSchema, capture), "") << capture;
  auto withoutValue = parse(capture);
  withoutValue->getObject("amount")->remove("value");
  EXPECT_NE(problemsOf(captureSchema, stringify(withoutValue)), "");

  const std::string refund = bodySentTo("/v2/payments/captures/2GG279541U471931P/refund");
  const std::string refundSchema =
      requestBodySchema(kPaymentsSpec, "/v2/payments/captures/{capture_id}/refund", "post");
  EXPECT_EQ(problemsOf(refundSchema, refund), "") << refund;
  auto longNote = parse(refund);
  longNote->set("note_to_payer", std::string(300, 'x'));
  EXPECT_NE(problemsOf(refundSchema, stringify(longNote)), "");
}

TEST_F(PaypalRequestBodyTest, TheVerificationBodyFollowsTheWebhooksDocument) {
  const std::string event = R"({"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"CAP1"}})";
  ASSERT_TRUE(call("payment.webhook_verify_and_parse", webhookRequest(event, isoTime(nowMs())), "k1"));
  const std::string body = bodySentTo("/v1/notifications/verify-webhook-signature");
  const std::string schema = requestBodySchema(kWebhooksSpec, "/v1/notifications/verify-webhook-signature", "post");
  EXPECT_EQ(problemsOf(schema, body), "") << body;
  auto withoutWebhookId = parse(body);
  withoutWebhookId->remove("webhook_id");
  EXPECT_NE(problemsOf(schema, stringify(withoutWebhookId)), "");
}

}  // namespace
}  // namespace ordersvc::testing::paypal
