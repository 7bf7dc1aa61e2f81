// The MercadoPago plugin (plugins/payments/mercadopago) loaded through the real registry
// and host services, talking to a ScriptedProvider in MercadoPago's place. MercadoPago
// publishes no OpenAPI document (../shared/specs/README.md), so every body the plugin sends
// is validated against JSON Schemas written from MercadoPago's documentation
// (schemas/mercadopago/*.schema.json, each citing what it was written from), and webhook
// signatures are computed by the openssl command, not by the plugin's own code.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include "payment_result_check.h"
#include "plugins/base64_text.h"
#include "plugins/config_schema_check.h"
#include "provider_plugin_fixture.h"
#include "scripted_provider.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using Poco::JSON::Object;
using Reply = ScriptedProvider::Reply;
using Request = ScriptedProvider::Request;

constexpr const char* kAccessToken = "APP_USR-1111-test-access-token";
constexpr const char* kWebhookSecret = "mp-secret-signature-1";

std::string configJson() {
  return std::string(R"({"access_token":")") + kAccessToken + R"(","webhook_secret":")" + kWebhookSecret +
         R"(","statement_descriptor":"MYSTORE","notification_url":"https://shop.example/api/v1/webhooks/org_test/inst_1","user_id":"44444"})";
}

// A MercadoPago payment object as its API answers, with the fields the plugin reads.
std::string mpPayment(const std::string& status, const std::string& detail, const std::string& amount = "12.34",
                      const std::string& extra = "") {
  return R"({"id":1234567890,"status":")" + status + R"(","status_detail":")" + detail +
         R"(","currency_id":"BRL","transaction_amount":)" + amount +
         R"(,"external_reference":"pay_1","date_last_updated":"2026-03-01T09:00:00.000-03:00")" + extra + "}";
}

std::string saleRequest(const std::string& amount = R"({"value":1234,"currency":"BRL"})",
                        const std::string& metadata = R"({"mp_payment_method_id":"visa","installments":"3"})") {
  return R"({"payment_id":"pay_1","order_id":"ord_1","amount":)" + amount +
         R"(,"payment_method":{"type":"card","token":"ff8080814c11e237014c1ff593b57b4d"},)"
         R"("customer":{"name":"Ana","email":"buyer@example.com"},"description":"Order ORD-2026-000123","metadata":)" +
         metadata + "}";
}

// provider_data of an authorization as the plugin writes it.
constexpr const char* kAuthorizedData =
    R"({"kind":"payment","mp_payment_id":"1234567890","capture":"manual","mp_status":"authorized",)"
    R"("mp_status_detail":"pending_capture","currency":"BRL","amount":{"value":1234,"currency":"BRL"},"payment_id":"pay_1"})";
constexpr const char* kApprovedData =
    R"({"kind":"payment","mp_payment_id":"1234567890","capture":"automatic","mp_status":"approved",)"
    R"("mp_status_detail":"accredited","currency":"BRL","amount":{"value":1234,"currency":"BRL"},"payment_id":"pay_1"})";

std::string readSchema(const std::string& name) {
  std::ifstream in(std::string(ORDERSVC_SOURCE_DIR) + "/tests/plugins/payments/schemas/mercadopago/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Problems of `body` against one of the documentation-derived schemas, one line each.
std::string schemaProblems(const std::string& schemaName, const std::string& body) {
  const std::string schema = readSchema(schemaName);
  if (schema.empty()) return "schema " + schemaName + " not found";
  std::string out;
  for (const auto& problem : plugins::checkAgainstSchema(schema, body)) out += problem.path + ": " + problem.message + "\n";
  return out;
}

// HMAC-SHA256 hex by the openssl command line, independent of the plugin's OpenSSL calls.
std::string opensslHmacHex(const std::string& secret, const std::string& message) {
  const std::string path = makeTempDir("mp_hmac") + "/manifest";
  std::ofstream(path, std::ios::binary) << message;
  const CommandResult result = runCommand("openssl dgst -sha256 -hmac '" + secret + "' '" + path + "'");
  EXPECT_EQ(result.exitCode, 0) << result.output;
  const auto equals = result.output.rfind("= ");
  if (equals == std::string::npos) return "";
  std::string hex = result.output.substr(equals + 2);
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
  return hex;
}

int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A notification as MercadoPago sends it, signed over `signedId`/`signedRequestId`/`signedTs`
// with `secret`; the request itself carries `query`, `requestId` and `ts`, so a test can
// tamper with one of them after signing.
struct Notification {
  std::string query = "data.id=999888777&type=payment";
  std::string requestId = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e";
  std::string ts = std::to_string(nowSeconds());
  std::string body = R"({"id":12345,"live_mode":true,"type":"payment","date_created":"2026-03-01T10:04:58.396-04:00",)"
                     R"("user_id":44444,"api_version":"v1","action":"payment.updated","data":{"id":"999888777"}})";
  std::string signedManifest = "";  // empty: the documented manifest of the fields above
  std::string secret = kWebhookSecret;
  bool withSignature = true;

  std::string manifest(const std::string& dataId) const {
    return signedManifest.empty() ? "id:" + dataId + ";request-id:" + requestId + ";ts:" + ts + ";" : signedManifest;
  }
  std::string raw(const std::string& dataId = "999888777") const {
    std::string headers = R"([{"name":"Content-Type","value":"application/json"})";
    if (withSignature) {
      headers += R"(,{"name":"x-signature","value":"ts=)" + ts + ",v1=" + opensslHmacHex(secret, manifest(dataId)) + R"("})";
    }
    headers += R"(,{"name":"x-request-id","value":")" + requestId + R"("}])";
    return R"({"method":"POST","path":"/api/v1/webhooks/org_test/inst_1","query":")" + query +
           R"(","headers":)" + headers + R"(,"body_base64":")" + plugins::encodeBase64(body) + R"("})";
  }
};

class MercadoPagoPluginTest : public ProviderPluginTest {
 protected:
  void SetUp() override {
    ProviderPluginTest::SetUp();
    const Status activated = activate("mercadopago", configJson(), provider_.baseUrl());
    ASSERT_TRUE(activated) << activated.error().message;
  }

  // A successful payment operation's result, checked against the payment_result shape.
  Object::Ptr payment(const std::string& operation, const std::string& request, const std::string& key = "idem-1") {
    return expectPaymentCall(call(operation, request, key), operation);
  }

  // The error message of an operation expected to fail.
  std::string failure(const std::string& operation, const std::string& request, const std::string& key = "idem-1",
                      std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    auto result = call(operation, request, key, kInstance, timeout);
    if (result) {
      ADD_FAILURE() << operation << " answered " << result->json;
      return "";
    }
    return result.error().message;
  }

  Object::Ptr webhook(const std::string& raw) {
    auto result = call("payment.webhook_verify_and_parse", raw, "idem-webhook");
    if (!result) {
      ADD_FAILURE() << "webhook refused: " << result.error().message;
      return new Object;
    }
    Object::Ptr parsed = parseObjectForTest(result->json);
    if (!parsed.isNull()) expectWebhookResult(parsed);
    return parsed.isNull() ? Object::Ptr(new Object) : parsed;
  }

  void answer(int status, const std::string& body) {
    provider_.setHandler([status, body](const Request&) { return Reply{status, body}; });
  }

  // The one request sent, a PUT /v1/payments/1234567890 (capture or cancel) with `key`
  // and a body the documentation allows.
  Request expectPaymentUpdate(const std::string& key) {
    const Request sent = onlyRequest();
    EXPECT_EQ(sent.method, "PUT");
    EXPECT_EQ(sent.path, "/v1/payments/1234567890");
    EXPECT_EQ(sent.header("x-idempotency-key"), key);
    EXPECT_EQ(schemaProblems("payment_update.schema.json", sent.body), "") << sent.body;
    return sent;
  }

  Request onlyRequest() {
    auto requests = provider_.requests();
    EXPECT_EQ(requests.size(), 1u);
    return requests.empty() ? Request{} : requests.front();
  }

  ScriptedProvider provider_;
};

std::string str(const Object::Ptr& object, const std::string& key) { return object->getValue<std::string>(key); }
int64_t minorUnits(const Object::Ptr& result) { return result->getObject("amount")->getValue<int64_t>("value"); }

// ---------------------------------------------------------------------------------------
// payment.sale / payment.authorize

TEST_F(MercadoPagoPluginTest, SaleSendsTheDocumentedPaymentWithBearerTokenAndIdempotencyKey) {
  answer(201, mpPayment("approved", "accredited"));
  const Object::Ptr result = payment("payment.sale", saleRequest(), "idem-sale-1");

  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/v1/payments");
  EXPECT_EQ(sent.header("authorization"), std::string("Bearer ") + kAccessToken);
  EXPECT_EQ(sent.header("x-idempotency-key"), "idem-sale-1");
  EXPECT_EQ(sent.header("content-type"), "application/json");
  EXPECT_EQ(schemaProblems("payment_create.schema.json", sent.body), "") << sent.body;
  const Object::Ptr body = parseObjectForTest(sent.body);
  ASSERT_FALSE(body.isNull());
  EXPECT_NE(sent.body.find(R"("transaction_amount":12.34)"), std::string::npos) << sent.body;
  EXPECT_EQ(str(body, "token"), "ff8080814c11e237014c1ff593b57b4d");
  EXPECT_EQ(str(body, "description"), "Order ORD-2026-000123");
  EXPECT_EQ(body->getValue<int>("installments"), 3);
  EXPECT_EQ(str(body, "payment_method_id"), "visa");
  EXPECT_EQ(str(body->getObject("payer"), "email"), "buyer@example.com");
  EXPECT_EQ(str(body, "external_reference"), "pay_1");
  EXPECT_TRUE(body->getValue<bool>("capture"));
  EXPECT_EQ(str(body->getObject("metadata"), "order_id"), "ord_1");
  EXPECT_EQ(str(body->getObject("metadata"), "organization_id"), "org_test");
  EXPECT_EQ(str(body, "notification_url"), "https://shop.example/api/v1/webhooks/org_test/inst_1");
  EXPECT_EQ(str(body, "statement_descriptor"), "MYSTORE");

  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(str(result, "provider_reference"), "1234567890");
  EXPECT_EQ(minorUnits(result), 1234);
  EXPECT_EQ(str(result->getObject("amount"), "currency"), "BRL");
  const Object::Ptr data = result->getObject("provider_data");
  EXPECT_EQ(str(data, "mp_payment_id"), "1234567890");
  EXPECT_EQ(str(data, "capture"), "automatic");
  EXPECT_EQ(str(data, "mp_status"), "approved");
  EXPECT_EQ(str(data, "payment_id"), "pay_1");
}

TEST_F(MercadoPagoPluginTest, TheDocumentDerivedSchemaRefusesABodyMissingARequiredField) {
  answer(201, mpPayment("approved", "accredited"));
  payment("payment.sale", saleRequest());
  const std::string sent = onlyRequest().body;
  ASSERT_EQ(schemaProblems("payment_create.schema.json", sent), "");
  for (const char* field : {"token", "transaction_amount", "installments", "payment_method_id", "payer"}) {
    Object::Ptr body = parseObjectForTest(sent);
    body->remove(field);
    std::ostringstream text;
    body->stringify(text);
    EXPECT_NE(schemaProblems("payment_create.schema.json", text.str()), "") << "without " << field;
  }
  Object::Ptr noEmail = parseObjectForTest(sent);
  noEmail->getObject("payer")->remove("email");
  std::ostringstream text;
  noEmail->stringify(text);
  EXPECT_NE(schemaProblems("payment_create.schema.json", text.str()), "");
  EXPECT_NE(schemaProblems("payment_create.schema.json", R"({"transaction_amount":"12.34","token":"t","installments":1,"payment_method_id":"visa","payer":{"email":"a@b"}})"), "");
  EXPECT_NE(schemaProblems("refund_create.schema.json", R"({})"), "");
  EXPECT_NE(schemaProblems("refund_create.schema.json", R"({"amount":0})"), "");
  EXPECT_NE(schemaProblems("payment_update.schema.json", R"({"capture":true})"), "");
}

TEST_F(MercadoPagoPluginTest, ARetryCarriesTheSameIdempotencyKeyAndGetsTheSameReference) {
  answer(201, mpPayment("approved", "accredited"));
  const Object::Ptr first = payment("payment.sale", saleRequest(), "idem-retry");
  const Object::Ptr second = payment("payment.sale", saleRequest(), "idem-retry");
  payment("payment.sale", saleRequest(), "idem-other");
  const auto requests = provider_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].header("x-idempotency-key"), "idem-retry");
  EXPECT_EQ(requests[1].header("x-idempotency-key"), "idem-retry");
  EXPECT_EQ(requests[2].header("x-idempotency-key"), "idem-other");
  EXPECT_EQ(str(first, "provider_reference"), str(second, "provider_reference"));
}

TEST_F(MercadoPagoPluginTest, AmountsGoOutInMajorUnitsOfTheCurrency) {
  answer(201, R"({"id":77,"status":"approved","status_detail":"accredited","currency_id":"CLP","transaction_amount":12340})");
  const Object::Ptr clp = payment("payment.sale", saleRequest(R"({"value":12340,"currency":"CLP"})"));
  EXPECT_NE(onlyRequest().body.find(R"("transaction_amount":12340,)"), std::string::npos) << onlyRequest().body;
  EXPECT_EQ(minorUnits(clp), 12340);
  EXPECT_EQ(str(clp->getObject("amount"), "currency"), "CLP");

  provider_.clear();
  answer(201, mpPayment("approved", "accredited", "1200"));
  const Object::Ptr whole = payment("payment.sale", saleRequest(R"({"value":120000,"currency":"BRL"})"));
  EXPECT_NE(onlyRequest().body.find(R"("transaction_amount":1200,)"), std::string::npos) << onlyRequest().body;
  EXPECT_EQ(minorUnits(whole), 120000);

  provider_.clear();
  answer(201, mpPayment("approved", "accredited", "0.07"));
  const Object::Ptr cents = payment("payment.sale", saleRequest(R"({"value":7,"currency":"BRL"})"));
  EXPECT_NE(onlyRequest().body.find(R"("transaction_amount":0.07,)"), std::string::npos) << onlyRequest().body;
  EXPECT_EQ(minorUnits(cents), 7);

  provider_.clear();
  const std::string tooLarge = failure("payment.sale", saleRequest(R"({"value":1000000000000000,"currency":"BRL"})"));
  EXPECT_NE(tooLarge.find("[invalid_argument]"), std::string::npos) << tooLarge;
  EXPECT_EQ(provider_.requests().size(), 0u);
}

TEST_F(MercadoPagoPluginTest, AuthorizeSendsCaptureFalseAndAnAuthorizedPaymentSucceeds) {
  answer(201, mpPayment("authorized", "pending_capture"));
  const Object::Ptr result = payment("payment.authorize", saleRequest());
  const Request sent = onlyRequest();
  EXPECT_EQ(schemaProblems("payment_create.schema.json", sent.body), "") << sent.body;
  EXPECT_FALSE(parseObjectForTest(sent.body)->getValue<bool>("capture"));
  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(str(result->getObject("provider_data"), "capture"), "manual");
  EXPECT_EQ(str(result->getObject("provider_data"), "mp_status"), "authorized");

  // A sale that comes back only authorized is not captured yet.
  provider_.clear();
  EXPECT_EQ(str(payment("payment.sale", saleRequest()), "status"), "pending");
}

TEST_F(MercadoPagoPluginTest, EveryPaymentStatusMapsToItsResult) {
  struct Case {
    const char* status;
    const char* detail;
    const char* expected;
    const char* code;  // gateway_error.code when declined
  };
  const Case cases[] = {
      {"approved", "accredited", "succeeded", ""},
      {"pending", "pending_waiting_payment", "pending", ""},
      {"in_process", "pending_review_manual", "pending", ""},
      {"rejected", "cc_rejected_insufficient_amount", "declined", "cc_rejected_insufficient_amount"},
      {"rejected", "cc_rejected_bad_filled_security_code", "declined", "cc_rejected_bad_filled_security_code"},
      {"cancelled", "expired", "declined", "payment_cancelled"},
      {"refunded", "refunded", "succeeded", ""},
      {"charged_back", "settled", "succeeded", ""},
      {"in_mediation", "", "succeeded", ""},
      {"something_new", "", "unknown", ""},
  };
  for (const Case& c : cases) {
    answer(201, mpPayment(c.status, c.detail));
    const Object::Ptr result = payment("payment.sale", saleRequest(), std::string("idem-") + c.status + c.detail);
    EXPECT_EQ(str(result, "status"), c.expected) << c.status << "/" << c.detail;
    EXPECT_EQ(str(result, "provider_reference"), "1234567890") << c.status;
    EXPECT_EQ(str(result->getObject("provider_data"), "mp_status_detail"), c.detail);
    if (std::string(c.expected) == "declined") {
      ASSERT_TRUE(result->has("gateway_error")) << c.status;
      EXPECT_EQ(str(result->getObject("gateway_error"), "code"), c.code);
      EXPECT_EQ(str(result->getObject("gateway_error"), "provider_code"), c.detail);
    } else {
      EXPECT_FALSE(result->has("gateway_error")) << c.status;
    }
  }
}

TEST_F(MercadoPagoPluginTest, AThreeDSecureChallengeIsActionRequiredAndTheReturnReportsThePayment) {
  answer(201, mpPayment("pending", "pending_challenge", "12.34",
                        R"(,"three_ds_info":{"external_resource_url":"https://www.mercadopago.com/3ds/challenge/1","creq":"x"})"));
  const Object::Ptr result = payment("payment.sale", saleRequest());
  EXPECT_EQ(str(result, "status"), "action_required");
  EXPECT_EQ(str(result->getObject("next_action"), "type"), "redirect");
  EXPECT_EQ(str(result->getObject("next_action"), "url"), "https://www.mercadopago.com/3ds/challenge/1");

  // The customer is back: the host calls sale again with provider_data and no token.
  provider_.clear();
  answer(200, mpPayment("approved", "accredited"));
  std::ostringstream data;
  result->getObject("provider_data")->stringify(data);
  const Object::Ptr completed = payment(
      "payment.sale",
      R"({"payment_id":"pay_1","amount":{"value":1234,"currency":"BRL"},"payment_method":{"type":"card"},"provider_data":)" +
          data.str() + "}",
      "idem-return");
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.path, "/v1/payments/1234567890");
  EXPECT_EQ(str(completed, "status"), "succeeded");
  EXPECT_EQ(str(completed, "provider_reference"), "1234567890");
}

TEST_F(MercadoPagoPluginTest, ARefusedRequestIsDeclinedWithMercadoPagosCause) {
  answer(400, R"({"message":"Card Token not found","error":"bad_request","status":400,"cause":[{"code":2006,"description":"Card Token not found"}]})");
  const Object::Ptr result = payment("payment.sale", saleRequest());
  EXPECT_EQ(str(result, "status"), "declined");
  EXPECT_EQ(str(result->getObject("gateway_error"), "code"), "bad_request");
  EXPECT_EQ(str(result->getObject("gateway_error"), "provider_code"), "2006");
  EXPECT_NE(str(result->getObject("gateway_error"), "message").find("Card Token not found"), std::string::npos);
}

TEST_F(MercadoPagoPluginTest, BadCredentialsAreAPermanentAuthFailure) {
  answer(401, R"({"message":"invalid access token","error":"unauthorized","status":401,"cause":[]})");
  const std::string message = failure("payment.sale", saleRequest());
  EXPECT_NE(message.find("provider.auth_failed"), std::string::npos) << message;
  EXPECT_NE(message.find("[permanent]"), std::string::npos) << message;
  EXPECT_EQ(message.find(kAccessToken), std::string::npos) << "the token leaked into an error: " << message;
}

TEST_F(MercadoPagoPluginTest, ServerErrorsGarbageAndTimeOutsAreUnknownAndRateLimitsNotSubmitted) {
  answer(500, R"({"message":"internal_error"})");
  Object::Ptr result = payment("payment.sale", saleRequest(), "idem-500");
  EXPECT_EQ(str(result, "status"), "unknown");
  EXPECT_EQ(str(result, "provider_reference"), "mp_ext_pay_1");
  EXPECT_EQ(str(result->getObject("provider_data"), "payment_id"), "pay_1");
  EXPECT_FALSE(result->getObject("provider_data")->has("mp_payment_id"));

  answer(201, "<html>gateway</html>");
  EXPECT_EQ(str(payment("payment.sale", saleRequest(), "idem-garbage"), "status"), "unknown");
  answer(201, R"({"status":"approved"})");  // no id: not a payment
  EXPECT_EQ(str(payment("payment.sale", saleRequest(), "idem-noid"), "status"), "unknown");

  answer(429, R"({"message":"too many requests"})");
  EXPECT_EQ(str(payment("payment.sale", saleRequest(), "idem-429"), "status"), "not_submitted");

  provider_.setHandler([](const Request&) {
    Reply slow{201, mpPayment("approved", "accredited")};
    slow.delay = std::chrono::milliseconds(1500);
    return slow;
  });
  auto late = call("payment.sale", saleRequest(), "idem-slow", kInstance, std::chrono::milliseconds(400));
  ASSERT_TRUE(late) << late.error().message;
  const Object::Ptr timedOut = parseObjectForTest(late->json);
  expectPaymentResult(timedOut);
  EXPECT_EQ(str(timedOut, "status"), "unknown");
}

TEST_F(MercadoPagoPluginTest, AProviderThatCannotBeReachedIsNotSubmitted) {
  std::string closedUrl;
  {
    ScriptedProvider gone;
    closedUrl = gone.baseUrl();
  }
  const Status activated = activate("mercadopago", configJson(), closedUrl, "inst_closed");
  ASSERT_TRUE(activated) << activated.error().message;
  auto result = call("payment.sale", saleRequest(), "idem-refused", "inst_closed");
  ASSERT_TRUE(result) << result.error().message;
  const Object::Ptr parsed = parseObjectForTest(result->json);
  expectPaymentResult(parsed);
  EXPECT_EQ(str(parsed, "status"), "not_submitted");
}

TEST_F(MercadoPagoPluginTest, RequestsMercadoPagoCannotTakeAreRefusedBeforeSending) {
  const std::string noEmail = failure("payment.sale",
                                      R"({"payment_id":"pay_1","amount":{"value":1234,"currency":"BRL"},)"
                                      R"("payment_method":{"type":"card","token":"tok"},"metadata":{"mp_payment_method_id":"visa"}})");
  EXPECT_NE(noEmail.find("customer.email"), std::string::npos) << noEmail;
  const std::string noMethod = failure("payment.sale", saleRequest(R"({"value":1234,"currency":"BRL"})", R"({})"));
  EXPECT_NE(noMethod.find("mp_payment_method_id"), std::string::npos) << noMethod;
  const std::string badInstallments =
      failure("payment.sale", saleRequest(R"({"value":1234,"currency":"BRL"})",
                                          R"({"mp_payment_method_id":"visa","installments":"0"})"));
  EXPECT_NE(badInstallments.find("/metadata/installments"), std::string::npos) << badInstallments;
  const std::string noToken = failure("payment.sale", R"({"payment_id":"pay_1","amount":{"value":1234,"currency":"BRL"}})");
  EXPECT_NE(noToken.find("token"), std::string::npos) << noToken;
  const std::string unknownField = failure("payment.authorize", R"({"payment_id":"pay_1","amount":{"value":1,"currency":"BRL"},"amount_tendered":{"value":1,"currency":"BRL"}})");
  EXPECT_NE(unknownField.find("[invalid_argument]"), std::string::npos) << unknownField;
  EXPECT_EQ(provider_.requests().size(), 0u);
}

// ---------------------------------------------------------------------------------------
// payment.capture / payment.void

TEST_F(MercadoPagoPluginTest, CaptureOfLessThanAuthorizedSendsThatAmount) {
  answer(200, mpPayment("approved", "accredited", "5.5"));
  const Object::Ptr result = payment(
      "payment.capture",
      std::string(R"({"payment_id":"pay_1","amount":{"value":550,"currency":"BRL"},"authorized_amount":{"value":1234,"currency":"BRL"},)"
                  R"("provider_reference":"1234567890","provider_data":)") + kAuthorizedData + "}",
      "idem-capture");
  const Request sent = expectPaymentUpdate("idem-capture");
  EXPECT_NE(sent.body.find(R"("capture":true)"), std::string::npos) << sent.body;
  EXPECT_NE(sent.body.find(R"("transaction_amount":5.5)"), std::string::npos) << sent.body;
  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(minorUnits(result), 550);
  EXPECT_EQ(str(result, "provider_reference"), "1234567890");
  EXPECT_EQ(str(result->getObject("provider_data"), "mp_status"), "approved");
  EXPECT_EQ(str(result->getObject("provider_data"), "capture"), "manual");
}

TEST_F(MercadoPagoPluginTest, CaptureBeyondTheAuthorizationOrASecondCaptureIsRefusedWithoutAsking) {
  const std::string tooMuch = failure(
      "payment.capture",
      std::string(R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"BRL"},"authorized_amount":{"value":1234,"currency":"BRL"},)"
                  R"("provider_reference":"1234567890","provider_data":)") + kAuthorizedData + "}");
  EXPECT_NE(tooMuch.find("capture.exceeds_authorized"), std::string::npos) << tooMuch;
  const Object::Ptr second = payment(
      "payment.capture",
      std::string(R"({"payment_id":"pay_1","amount":{"value":100,"currency":"BRL"},"authorized_amount":{"value":1234,"currency":"BRL"},)"
                  R"("captured_amount":{"value":500,"currency":"BRL"},"provider_reference":"1234567890","provider_data":)") +
          kAuthorizedData + "}");
  EXPECT_EQ(str(second, "status"), "declined");
  EXPECT_EQ(str(second->getObject("gateway_error"), "code"), "already_captured");
  EXPECT_EQ(provider_.requests().size(), 0u);
}

TEST_F(MercadoPagoPluginTest, CaptureThatTimesOutIsUnknownAndKeepsTheAuthorizationsData) {
  answer(503, "Service Unavailable");
  const Object::Ptr result = payment(
      "payment.capture",
      std::string(R"({"payment_id":"pay_1","amount":{"value":1234,"currency":"BRL"},"authorized_amount":{"value":1234,"currency":"BRL"},)"
                  R"("provider_reference":"1234567890","provider_data":)") + kAuthorizedData + "}");
  EXPECT_EQ(str(result, "status"), "unknown");
  EXPECT_EQ(str(result, "provider_reference"), "1234567890");
  EXPECT_EQ(str(result->getObject("provider_data"), "mp_payment_id"), "1234567890");
}

TEST_F(MercadoPagoPluginTest, VoidCancelsAnAuthorization) {
  answer(200, mpPayment("cancelled", "by_collector"));
  const Object::Ptr result = payment(
      "payment.void",
      std::string(R"({"payment_id":"pay_1","reason":"out of stock","provider_reference":"1234567890","provider_data":)") +
          kAuthorizedData + "}",
      "idem-void");
  const Request sent = expectPaymentUpdate("idem-void");
  EXPECT_EQ(sent.body, R"({"status":"cancelled"})");
  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(minorUnits(result), 1234);  // from provider_data: the request named no amount
  EXPECT_EQ(str(result->getObject("provider_data"), "mp_status"), "cancelled");
}

TEST_F(MercadoPagoPluginTest, VoidOfACapturedPaymentIsDeclinedAlreadyCaptured) {
  const Object::Ptr recorded = payment(
      "payment.void",
      std::string(R"({"payment_id":"pay_1","provider_reference":"1234567890","provider_data":)") + kApprovedData + "}");
  EXPECT_EQ(str(recorded, "status"), "declined");
  EXPECT_EQ(str(recorded->getObject("gateway_error"), "code"), "already_captured");
  EXPECT_EQ(provider_.requests().size(), 0u);

  // provider_data still said authorized, but MercadoPago had captured it meanwhile.
  answer(200, mpPayment("approved", "accredited"));
  const Object::Ptr answered = payment(
      "payment.void",
      std::string(R"({"payment_id":"pay_1","authorized_amount":{"value":1234,"currency":"BRL"},"provider_reference":"1234567890","provider_data":)") +
          kAuthorizedData + "}");
  EXPECT_EQ(str(answered, "status"), "declined");
  EXPECT_EQ(str(answered->getObject("gateway_error"), "code"), "already_captured");
}

// ---------------------------------------------------------------------------------------
// payment.refund

std::string refundRequest(int64_t amount, int64_t refunded = 0) {
  return R"({"payment_id":"pay_1","refund_id":"ref_1","amount":{"value":)" + std::to_string(amount) +
         R"(,"currency":"BRL"},"captured_amount":{"value":1234,"currency":"BRL"},"refunded_amount":{"value":)" +
         std::to_string(refunded) + R"(,"currency":"BRL"},"reason":"damaged","provider_reference":"1234567890","provider_data":)" +
         kApprovedData + "}";
}

TEST_F(MercadoPagoPluginTest, APartialRefundSendsItsAmountAndReportsTheRefundId) {
  answer(201, R"({"id":555001,"payment_id":1234567890,"amount":3.5,"status":"approved","date_created":"2026-03-02T10:00:00.000-03:00"})");
  const Object::Ptr result = payment("payment.refund", refundRequest(350), "idem-refund");
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/v1/payments/1234567890/refunds");
  EXPECT_EQ(sent.header("x-idempotency-key"), "idem-refund");
  EXPECT_EQ(sent.header("authorization"), std::string("Bearer ") + kAccessToken);
  EXPECT_EQ(schemaProblems("refund_create.schema.json", sent.body), "") << sent.body;
  EXPECT_EQ(sent.body, R"({"amount":3.5})");
  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(str(result, "provider_reference"), "555001");
  EXPECT_EQ(minorUnits(result), 350);
  EXPECT_EQ(str(result->getObject("provider_data"), "mp_refund_id"), "555001");
  EXPECT_EQ(str(result->getObject("provider_data"), "kind"), "refund");
}

TEST_F(MercadoPagoPluginTest, AFullRefundSendsNoBodyAndTheRestAPartialOne) {
  answer(201, R"({"id":555002,"payment_id":1234567890,"amount":12.34,"status":"approved"})");
  EXPECT_EQ(str(payment("payment.refund", refundRequest(1234)), "status"), "succeeded");
  EXPECT_EQ(onlyRequest().body, "");  // "send an empty body" refunds everything

  provider_.clear();
  answer(201, R"({"id":555003,"payment_id":1234567890,"amount":2.34,"status":"approved"})");
  payment("payment.refund", refundRequest(234, 1000));
  EXPECT_EQ(onlyRequest().body, R"({"amount":2.34})");
}

TEST_F(MercadoPagoPluginTest, RefundBeyondWhatIsLeftIsRefusedWithoutAsking) {
  const std::string message = failure("payment.refund", refundRequest(300, 1000));
  EXPECT_NE(message.find("refund.exceeds_captured"), std::string::npos) << message;
  EXPECT_NE(message.find("[invalid_argument]"), std::string::npos) << message;
  EXPECT_EQ(provider_.requests().size(), 0u);
}

TEST_F(MercadoPagoPluginTest, RefundOutcomesMapLikePayments) {
  answer(201, R"({"id":555004,"payment_id":1234567890,"amount":3.5,"status":"in_process"})");
  EXPECT_EQ(str(payment("payment.refund", refundRequest(350), "k1"), "status"), "pending");
  answer(201, R"({"id":555005,"payment_id":1234567890,"amount":3.5,"status":"rejected"})");
  const Object::Ptr rejected = payment("payment.refund", refundRequest(350), "k2");
  EXPECT_EQ(str(rejected, "status"), "declined");
  EXPECT_EQ(str(rejected->getObject("gateway_error"), "code"), "refund_rejected");
  answer(400, R"({"message":"Payment too old to be refunded","error":"bad_request","status":400,"cause":[{"code":2024,"description":"Payment too old to be refunded"}]})");
  const Object::Ptr old = payment("payment.refund", refundRequest(350), "k3");
  EXPECT_EQ(str(old, "status"), "declined");
  EXPECT_EQ(str(old->getObject("gateway_error"), "provider_code"), "2024");
  answer(502, "bad gateway");
  const Object::Ptr unknown = payment("payment.refund", refundRequest(350), "k4");
  EXPECT_EQ(str(unknown, "status"), "unknown");
  EXPECT_EQ(str(unknown, "provider_reference"), "mp_refund_ref_1");
  EXPECT_EQ(str(unknown->getObject("provider_data"), "idempotency_key"), "k4");
}

// ---------------------------------------------------------------------------------------
// payment.sync

TEST_F(MercadoPagoPluginTest, SyncReadsThePaymentBack) {
  answer(200, mpPayment("approved", "accredited"));
  const Object::Ptr result =
      payment("payment.sync", std::string(R"({"payment_id":"pay_1","provider_reference":"1234567890","provider_data":)") +
                                  kAuthorizedData + "}");
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.path, "/v1/payments/1234567890");
  EXPECT_EQ(sent.header("authorization"), std::string("Bearer ") + kAccessToken);
  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(minorUnits(result), 1234);

  answer(200, mpPayment("rejected", "cc_rejected_call_for_authorize"));
  const Object::Ptr rejected =
      payment("payment.sync", std::string(R"({"payment_id":"pay_1","provider_reference":"1234567890","provider_data":)") +
                                  kAuthorizedData + "}");
  EXPECT_EQ(str(rejected, "status"), "declined");
  EXPECT_EQ(str(rejected->getObject("gateway_error"), "code"), "cc_rejected_call_for_authorize");
}

TEST_F(MercadoPagoPluginTest, SyncOfAnUnansweredPaymentSearchesItsExternalReference) {
  answer(500, "{}");
  const Object::Ptr unknown = payment("payment.sale", saleRequest(), "idem-lost");
  ASSERT_EQ(str(unknown, "status"), "unknown");
  std::ostringstream data;
  unknown->getObject("provider_data")->stringify(data);
  const std::string syncRequest =
      R"({"payment_id":"pay_1","provider_reference":")" + str(unknown, "provider_reference") + R"(","provider_data":)" + data.str() + "}";

  provider_.clear();
  answer(200, R"({"paging":{"total":1,"limit":30,"offset":0},"results":[)" + mpPayment("approved", "accredited") + "]}");
  const Object::Ptr found = payment("payment.sync", syncRequest, "idem-sync");
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.path, "/v1/payments/search");
  EXPECT_NE(sent.query.find("external_reference=pay_1"), std::string::npos) << sent.query;
  EXPECT_EQ(str(found, "status"), "succeeded");
  EXPECT_EQ(str(found, "provider_reference"), "1234567890");

  answer(200, R"({"paging":{"total":0,"limit":30,"offset":0},"results":[]})");
  const Object::Ptr notYet = payment("payment.sync", syncRequest, "idem-sync-2");
  EXPECT_EQ(str(notYet, "status"), "unknown");
  EXPECT_EQ(str(notYet, "provider_reference"), "mp_ext_pay_1");
}

TEST_F(MercadoPagoPluginTest, SyncOfARefundReadsItOrAsksAgainWithTheFirstKey) {
  const std::string known =
      R"({"payment_id":"pay_1","refund_id":"ref_1","provider_reference":"555001","provider_data":{"kind":"refund","mp_payment_id":"1234567890",)"
      R"("refund_id":"ref_1","amount":{"value":350,"currency":"BRL"},"full":false,"idempotency_key":"idem-refund","mp_refund_id":"555001","mp_status":"in_process"}})";
  answer(200, R"({"id":555001,"payment_id":1234567890,"amount":3.5,"status":"approved"})");
  const Object::Ptr read = payment("payment.sync", known, "idem-sync");
  EXPECT_EQ(onlyRequest().method, "GET");
  EXPECT_EQ(onlyRequest().path, "/v1/payments/1234567890/refunds/555001");
  EXPECT_EQ(str(read, "status"), "succeeded");
  EXPECT_EQ(minorUnits(read), 350);

  provider_.clear();
  const std::string lost =
      R"({"payment_id":"pay_1","refund_id":"ref_1","provider_reference":"mp_refund_ref_1","provider_data":{"kind":"refund","mp_payment_id":"1234567890",)"
      R"("refund_id":"ref_1","amount":{"value":350,"currency":"BRL"},"full":false,"idempotency_key":"idem-refund"}})";
  const Object::Ptr replayed = payment("payment.sync", lost, "idem-sync-3");
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/v1/payments/1234567890/refunds");
  EXPECT_EQ(sent.header("x-idempotency-key"), "idem-refund");  // the refund's key, not the sync's
  EXPECT_EQ(sent.body, R"({"amount":3.5})");
  EXPECT_EQ(str(replayed, "provider_reference"), "555001");
}

TEST_F(MercadoPagoPluginTest, SyncThatCannotReachMercadoPagoIsATransientError) {
  answer(503, "down");
  const std::string message = failure(
      "payment.sync",
      std::string(R"({"payment_id":"pay_1","provider_reference":"1234567890","provider_data":)") + kAuthorizedData + "}");
  EXPECT_NE(message.find("provider.unavailable"), std::string::npos) << message;
  EXPECT_NE(message.find("[transient]"), std::string::npos) << message;
}

// ---------------------------------------------------------------------------------------
// Webhooks

TEST_F(MercadoPagoPluginTest, ASignedNotificationIsVerifiedThenReadFromTheApi) {
  answer(200, R"({"id":999888777,"status":"approved","status_detail":"accredited","currency_id":"BRL","transaction_amount":12.34,)"
              R"("date_last_updated":"2026-03-01T09:00:00.000-03:00"})");
  const Object::Ptr result = webhook(Notification{}.raw());
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.path, "/v1/payments/999888777");
  EXPECT_EQ(str(result, "event_id"), "12345");
  auto events = result->getArray("events");
  ASSERT_EQ(events->size(), 1u);
  const Object::Ptr event = events->getObject(0);
  EXPECT_EQ(str(event, "type"), "payment.succeeded");
  EXPECT_EQ(str(event, "provider_reference"), "999888777");
  EXPECT_EQ(minorUnits(event), 1234);
  EXPECT_EQ(str(event, "occurred_at"), "2026-03-01T12:00:00Z");
  EXPECT_EQ(str(event, "provider_event_type"), "payment.updated:approved");
}

TEST_F(MercadoPagoPluginTest, ATimestampInMillisecondsIsAcceptedToo) {
  answer(200, mpPayment("approved", "accredited"));
  Notification notification;
  notification.ts = std::to_string(nowSeconds() * 1000 + 683);
  EXPECT_EQ(webhook(notification.raw())->getArray("events")->size(), 1u);
}

TEST_F(MercadoPagoPluginTest, AnyTamperingMakesTheSignatureInvalid) {
  answer(200, mpPayment("approved", "accredited"));
  const auto expectInvalid = [this](const std::string& raw, const char* what) {
    const std::string message = failure("payment.webhook_verify_and_parse", raw);
    EXPECT_NE(message.find("webhook.signature_invalid"), std::string::npos) << what << ": " << message;
    EXPECT_NE(message.find("[permanent]"), std::string::npos) << what << ": " << message;
  };
  Notification ts;
  const std::string signedTs = ts.ts;
  ts.signedManifest = ts.manifest("999888777");
  ts.ts = std::to_string(std::stoll(signedTs) + 1);
  expectInvalid(ts.raw(), "ts");

  Notification id;
  id.signedManifest = id.manifest("999888777");
  id.query = "data.id=999888778&type=payment";
  expectInvalid(id.raw(), "data.id");

  Notification requestId;
  requestId.signedManifest = requestId.manifest("999888777");
  requestId.requestId = "another-request";
  expectInvalid(requestId.raw(), "x-request-id");

  Notification secret;
  secret.secret = "not-the-secret";
  expectInvalid(secret.raw(), "secret");

  Notification unsignedOne;
  unsignedOne.withSignature = false;
  expectInvalid(unsignedOne.raw(), "no x-signature");

  Notification body;
  body.body = R"({"id":12345,"type":"payment","action":"payment.updated","user_id":44444,"data":{"id":"111"}})";
  expectInvalid(body.raw(), "body data.id");

  EXPECT_EQ(provider_.requests().size(), 0u) << "nothing unverified may reach the API";
}

TEST_F(MercadoPagoPluginTest, AStaleNotificationIsRefusedAsStale) {
  Notification old;
  old.ts = std::to_string(nowSeconds() - 3600);
  const std::string message = failure("payment.webhook_verify_and_parse", old.raw());
  EXPECT_NE(message.find("webhook.stale"), std::string::npos) << message;

  Notification future;
  future.ts = std::to_string((nowSeconds() + 3600) * 1000);
  EXPECT_NE(failure("payment.webhook_verify_and_parse", future.raw()).find("webhook.stale"), std::string::npos);
  EXPECT_EQ(provider_.requests().size(), 0u);
}

TEST_F(MercadoPagoPluginTest, AnAlphanumericDataIdIsSignedInLowerCaseAndAbsentPartsAreLeftOut) {
  Notification mixedCase;
  mixedCase.query = "data.id=ABC123def&type=subscription_preapproval";
  mixedCase.body = R"({"id":"evt-77","type":"subscription_preapproval","action":"updated","user_id":44444,"data":{"id":"ABC123def"}})";
  mixedCase.signedManifest = "id:abc123def;request-id:" + mixedCase.requestId + ";ts:" + mixedCase.ts + ";";
  const Object::Ptr result = webhook(mixedCase.raw());
  EXPECT_EQ(str(result, "event_id"), "evt-77");
  EXPECT_EQ(result->getArray("events")->size(), 0u);  // not a payment topic: nothing to report

  // Without x-request-id the manifest has no request-id part.
  answer(200, mpPayment("approved", "accredited"));
  Notification noRequestId;
  noRequestId.signedManifest = "id:999888777;ts:" + noRequestId.ts + ";";
  std::string raw = noRequestId.raw();
  const std::string header = R"(,{"name":"x-request-id","value":")" + noRequestId.requestId + R"("})";
  raw.erase(raw.find(header), header.size());
  EXPECT_EQ(webhook(raw)->getArray("events")->size(), 1u);
}

TEST_F(MercadoPagoPluginTest, EachPaymentStateBecomesItsNormalisedEvent) {
  struct Case {
    const char* payment;
    const char* type;
  };
  const Case cases[] = {
      {R"({"id":999888777,"status":"rejected","status_detail":"cc_rejected_insufficient_amount","currency_id":"BRL","transaction_amount":12.34})",
       "payment.failed"},
      {R"({"id":999888777,"status":"cancelled","status_detail":"expired","currency_id":"BRL","transaction_amount":12.34})",
       "payment.canceled"},
      {R"({"id":999888777,"status":"refunded","status_detail":"refunded","currency_id":"BRL","transaction_amount":12.34,)"
       R"("transaction_amount_refunded":12.34,"refunds":[{"id":555001,"amount":2.34,"status":"approved"},{"id":555002,"amount":10,"status":"approved"}]})",
       "payment.refunded"},
      {R"({"id":999888777,"status":"approved","status_detail":"partially_refunded","currency_id":"BRL","transaction_amount":12.34,)"
       R"("refunds":[{"id":555001,"amount":2.34,"status":"approved"}]})",
       "payment.refunded"},
      {R"({"id":999888777,"status":"charged_back","status_detail":"settled","currency_id":"BRL","transaction_amount":12.34})",
       "payment.disputed"},
      {R"({"id":999888777,"status":"authorized","status_detail":"pending_capture","currency_id":"BRL","transaction_amount":12.34})",
       "payment.succeeded"},
      {R"({"id":999888777,"status":"pending","status_detail":"pending_challenge","currency_id":"BRL","transaction_amount":12.34,)"
       R"("three_ds_info":{"external_resource_url":"https://www.mercadopago.com/3ds/1"}})",
       "payment.requires_action"},
  };
  for (const Case& c : cases) {
    answer(200, c.payment);
    const Object::Ptr result = webhook(Notification{}.raw());
    auto events = result->getArray("events");
    ASSERT_EQ(events->size(), 1u) << c.payment;
    const Object::Ptr event = events->getObject(0);
    EXPECT_EQ(str(event, "type"), c.type) << c.payment;
    EXPECT_EQ(str(event, "provider_reference"), "999888777");
    if (std::string(c.type) == "payment.failed") {
      EXPECT_EQ(str(event->getObject("gateway_error"), "code"), "cc_rejected_insufficient_amount");
    }
    if (std::string(c.type) == "payment.refunded") {
      EXPECT_FALSE(str(event, "refund_reference").empty());
      const bool full = std::string(c.payment).find("\"refunded\"") != std::string::npos;
      EXPECT_EQ(str(event, "refund_reference"), full ? "555002" : "555001");
      EXPECT_EQ(minorUnits(event), full ? 1000 : 234);
    }
  }

  // Still pending without a challenge: nothing for the host to do yet.
  answer(200, mpPayment("in_process", "pending_review_manual"));
  EXPECT_EQ(webhook(Notification{}.raw())->getArray("events")->size(), 0u);
}

TEST_F(MercadoPagoPluginTest, ANotificationForAPaymentTheAccountLacksHasNoEventsAndAnOutageIsTransient) {
  answer(404, R"({"message":"Payment not found","error":"not_found","status":404,"cause":[{"code":2000}]})");
  EXPECT_EQ(webhook(Notification{}.raw())->getArray("events")->size(), 0u);

  answer(500, "oops");
  const std::string message = failure("payment.webhook_verify_and_parse", Notification{}.raw());
  EXPECT_NE(message.find("[transient]"), std::string::npos) << message;
}

TEST_F(MercadoPagoPluginTest, WebhookIdentifyNamesTheAccountAndTheEvent) {
  Notification notification;
  auto result = call("payment.webhook_identify", notification.raw(), "idem-identify");
  ASSERT_TRUE(result) << result.error().message;
  const Object::Ptr parsed = parseObjectForTest(result->json);
  EXPECT_EQ(str(parsed, "account_ref"), "44444");
  EXPECT_EQ(str(parsed, "event_id"), "12345");

  notification.body = "not json";
  const std::string message = failure("payment.webhook_identify", notification.raw());
  EXPECT_NE(message.find("webhook.unrecognized"), std::string::npos) << message;
}

// ---------------------------------------------------------------------------------------
// Configuration

TEST_F(MercadoPagoPluginTest, AConfigurationWithoutSecretsOrWithAPlainHttpNotificationUrlIsRefused) {
  const Status noSecret = activate("mercadopago", R"({"access_token":"APP_USR-x"})", provider_.baseUrl(), "inst_2");
  ASSERT_FALSE(noSecret);
  EXPECT_NE(noSecret.error().message.find("webhook_secret"), std::string::npos) << noSecret.error().message;
  const Status plainHttp = activate(
      "mercadopago", R"({"access_token":"APP_USR-x","webhook_secret":"s","notification_url":"http://shop.example/hook"})",
      provider_.baseUrl(), "inst_3");
  ASSERT_FALSE(plainHttp);
  EXPECT_NE(plainHttp.error().message.find("notification_url"), std::string::npos) << plainHttp.error().message;
}

}  // namespace
}  // namespace ordersvc::testing
