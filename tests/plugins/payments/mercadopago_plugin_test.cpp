// The MercadoPago plugin's payment operations (sale, authorize, capture, void, refund,
// sync) against a scripted MercadoPago: exact requests, every body validated against the
// documentation-derived schemas, and every outcome mapped. Fixture: mercadopago_fixture.h.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "mercadopago_fixture.h"
#include "payment_result_check.h"

namespace ordersvc::testing {
namespace {

using Poco::JSON::Object;
using Reply = ScriptedProvider::Reply;
using Request = ScriptedProvider::Request;

std::string saleRequest(const std::string& amount = R"({"value":1234,"currency":"BRL"})",
                        const std::string& metadata = R"({"mp_payment_method_id":"visa","installments":"3"})") {
  return R"({"payment_id":"pay_1","order_id":"ord_1","amount":)" + amount +
         R"(,"payment_method":{"type":"card","token":"ff8080814c11e237014c1ff593b57b4d"},)"
         R"("customer":{"name":"Ana","email":"buyer@example.com"},"description":"Order ORD-2026-000123","metadata":)" +
         metadata + "}";
}

// ---------------------------------------------------------------------------------------
// payment.sale / payment.authorize

TEST_F(MercadoPagoPluginTest, SaleSendsTheDocumentedPaymentWithBearerTokenAndIdempotencyKey) {
  answer(201, mpPayment("approved", "accredited"));
  const Object::Ptr result = payment("payment.sale", saleRequest(), "idem-sale-1");

  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/v1/payments");
  EXPECT_EQ(sent.header("authorization"), std::string("Bearer ") + kMpAccessToken);
  EXPECT_EQ(sent.header("x-idempotency-key"), "idem-sale-1");
  EXPECT_EQ(sent.header("content-type"), "application/json");
  EXPECT_EQ(mpSchemaProblems("payment_create.schema.json", sent.body), "") << sent.body;
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
  ASSERT_EQ(mpSchemaProblems("payment_create.schema.json", sent), "");
  for (const char* field : {"token", "transaction_amount", "installments", "payment_method_id", "payer"}) {
    Object::Ptr body = parseObjectForTest(sent);
    body->remove(field);
    std::ostringstream text;
    body->stringify(text);
    EXPECT_NE(mpSchemaProblems("payment_create.schema.json", text.str()), "") << "without " << field;
  }
  Object::Ptr noEmail = parseObjectForTest(sent);
  noEmail->getObject("payer")->remove("email");
  std::ostringstream text;
  noEmail->stringify(text);
  EXPECT_NE(mpSchemaProblems("payment_create.schema.json", text.str()), "");
  EXPECT_NE(
      mpSchemaProblems(
          "payment_create.schema.json",
          R"({"transaction_amount":"12.34","token":"t","installments":1,"payment_method_id":"visa","payer":{"email":"a@b"}})"),
      "");
  EXPECT_NE(mpSchemaProblems("refund_create.schema.json", R"({})"), "");
  EXPECT_NE(mpSchemaProblems("refund_create.schema.json", R"({"amount":0})"), "");
  EXPECT_NE(mpSchemaProblems("payment_update.schema.json", R"({"capture":true})"), "");
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
  answer(
      201,
      R"({"id":77,"status":"approved","status_detail":"accredited","currency_id":"CLP","transaction_amount":12340})");
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
  EXPECT_EQ(mpSchemaProblems("payment_create.schema.json", sent.body), "") << sent.body;
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
  answer(201,
         mpPayment(
             "pending", "pending_challenge", "12.34",
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
  const Object::Ptr completed =
      payment("payment.sale",
              R"({"payment_id":"pay_1","order_id":"ord_1","amount":{"value":1234,"currency":"BRL"},"provider_data":)" +
                  data.str() + "}",
              "idem-return");
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.path, "/v1/payments/1234567890");
  EXPECT_EQ(str(completed, "status"), "succeeded");
  EXPECT_EQ(str(completed, "provider_reference"), "1234567890");
}

TEST_F(MercadoPagoPluginTest, CompletingASaleWhoseAnswerNeverCameFindsItByExternalReference) {
  answer(500, "{}");
  const Object::Ptr lost = payment("payment.sale", saleRequest(), "idem-lost");
  ASSERT_EQ(str(lost, "status"), "unknown");
  std::ostringstream data;
  lost->getObject("provider_data")->stringify(data);

  provider_.clear();
  answer(200, R"({"paging":{"total":1},"results":[)" + mpPayment("approved", "accredited") + "]}");
  const Object::Ptr completed =
      payment("payment.sale",
              R"({"payment_id":"pay_1","amount":{"value":1234,"currency":"BRL"},"provider_data":)" + data.str() + "}",
              "complete-pay_1");
  EXPECT_EQ(onlyRequest().path, "/v1/payments/search");
  EXPECT_EQ(onlyRequest().method, "GET");  // nothing is charged again
  EXPECT_EQ(str(completed, "status"), "succeeded");
  EXPECT_EQ(str(completed, "provider_reference"), "1234567890");
}

TEST_F(MercadoPagoPluginTest, ARefusedRequestIsDeclinedWithMercadoPagosCause) {
  answer(
      400,
      R"({"message":"Card Token not found","error":"bad_request","status":400,"cause":[{"code":2006,"description":"Card Token not found"}]})");
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
  EXPECT_EQ(message.find(kMpAccessToken), std::string::npos) << "the token leaked into an error: " << message;
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
  const Status activated = activate("mercadopago", mpConfigJson(), closedUrl, "inst_closed");
  ASSERT_TRUE(activated) << activated.error().message;
  auto result = call("payment.sale", saleRequest(), "idem-refused", "inst_closed");
  ASSERT_TRUE(result) << result.error().message;
  const Object::Ptr parsed = parseObjectForTest(result->json);
  expectPaymentResult(parsed);
  EXPECT_EQ(str(parsed, "status"), "not_submitted");
}

TEST_F(MercadoPagoPluginTest, RequestsMercadoPagoCannotTakeAreRefusedBeforeSending) {
  const std::string noEmail = failure(
      "payment.sale", R"({"payment_id":"pay_1","amount":{"value":1234,"currency":"BRL"},)"
                      R"("payment_method":{"type":"card","token":"tok"},"metadata":{"mp_payment_method_id":"visa"}})");
  EXPECT_NE(noEmail.find("customer.email"), std::string::npos) << noEmail;
  const std::string noMethod = failure("payment.sale", saleRequest(R"({"value":1234,"currency":"BRL"})", R"({})"));
  EXPECT_NE(noMethod.find("mp_payment_method_id"), std::string::npos) << noMethod;
  const std::string badInstallments = failure(
      "payment.sale",
      saleRequest(R"({"value":1234,"currency":"BRL"})", R"({"mp_payment_method_id":"visa","installments":"0"})"));
  EXPECT_NE(badInstallments.find("/metadata/installments"), std::string::npos) << badInstallments;
  const std::string noToken =
      failure("payment.sale", R"({"payment_id":"pay_1","amount":{"value":1234,"currency":"BRL"}})");
  EXPECT_NE(noToken.find("token"), std::string::npos) << noToken;
  const std::string unknownField = failure(
      "payment.authorize",
      R"({"payment_id":"pay_1","amount":{"value":1,"currency":"BRL"},"amount_tendered":{"value":1,"currency":"BRL"}})");
  EXPECT_NE(unknownField.find("[invalid_argument]"), std::string::npos) << unknownField;
  EXPECT_EQ(provider_.requests().size(), 0u);
}

// ---------------------------------------------------------------------------------------
// payment.capture / payment.void

TEST_F(MercadoPagoPluginTest, CaptureOfLessThanAuthorizedSendsThatAmount) {
  answer(200, mpPayment("approved", "accredited", "5.5"));
  const Object::Ptr result = payment(
      "payment.capture",
      std::string(
          R"({"payment_id":"pay_1","amount":{"value":550,"currency":"BRL"},"authorized_amount":{"value":1234,"currency":"BRL"},)"
          R"("provider_reference":"1234567890","provider_data":)") +
          kMpAuthorizedData + "}",
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
      std::string(
          R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"BRL"},"authorized_amount":{"value":1234,"currency":"BRL"},)"
          R"("provider_reference":"1234567890","provider_data":)") +
          kMpAuthorizedData + "}");
  EXPECT_NE(tooMuch.find("capture.exceeds_authorized"), std::string::npos) << tooMuch;
  const Object::Ptr second = payment(
      "payment.capture",
      std::string(
          R"({"payment_id":"pay_1","amount":{"value":100,"currency":"BRL"},"authorized_amount":{"value":1234,"currency":"BRL"},)"
          R"("captured_amount":{"value":500,"currency":"BRL"},"provider_reference":"1234567890","provider_data":)") +
          kMpAuthorizedData + "}");
  EXPECT_EQ(str(second, "status"), "declined");
  EXPECT_EQ(str(second->getObject("gateway_error"), "code"), "already_captured");
  EXPECT_EQ(provider_.requests().size(), 0u);
}

TEST_F(MercadoPagoPluginTest, CaptureThatTimesOutIsUnknownAndKeepsTheAuthorizationsData) {
  answer(503, "Service Unavailable");
  const Object::Ptr result = payment(
      "payment.capture",
      std::string(
          R"({"payment_id":"pay_1","amount":{"value":1234,"currency":"BRL"},"authorized_amount":{"value":1234,"currency":"BRL"},)"
          R"("provider_reference":"1234567890","provider_data":)") +
          kMpAuthorizedData + "}");
  EXPECT_EQ(str(result, "status"), "unknown");
  EXPECT_EQ(str(result, "provider_reference"), "1234567890");
  EXPECT_EQ(str(result->getObject("provider_data"), "mp_payment_id"), "1234567890");
}

TEST_F(MercadoPagoPluginTest, VoidCancelsAnAuthorization) {
  answer(200, mpPayment("cancelled", "by_collector"));
  const Object::Ptr result = payment(
      "payment.void",
      std::string(
          R"({"payment_id":"pay_1","reason":"out of stock","provider_reference":"1234567890","provider_data":)") +
          kMpAuthorizedData + "}",
      "idem-void");
  const Request sent = expectPaymentUpdate("idem-void");
  EXPECT_EQ(sent.body, R"({"status":"cancelled"})");
  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(minorUnits(result), 1234);  // from provider_data: the request named no amount
  EXPECT_EQ(str(result->getObject("provider_data"), "mp_status"), "cancelled");
}

TEST_F(MercadoPagoPluginTest, VoidOfACapturedPaymentIsDeclinedAlreadyCaptured) {
  const Object::Ptr recorded = payment(
      "payment.void", std::string(R"({"payment_id":"pay_1","provider_reference":"1234567890","provider_data":)") +
                          kMpApprovedData + "}");
  EXPECT_EQ(str(recorded, "status"), "declined");
  EXPECT_EQ(str(recorded->getObject("gateway_error"), "code"), "already_captured");
  EXPECT_EQ(provider_.requests().size(), 0u);

  // provider_data still said authorized, but MercadoPago had captured it meanwhile.
  answer(200, mpPayment("approved", "accredited"));
  const Object::Ptr answered = payment(
      "payment.void",
      std::string(
          R"({"payment_id":"pay_1","authorized_amount":{"value":1234,"currency":"BRL"},"provider_reference":"1234567890","provider_data":)") +
          kMpAuthorizedData + "}");
  EXPECT_EQ(str(answered, "status"), "declined");
  EXPECT_EQ(str(answered->getObject("gateway_error"), "code"), "already_captured");
}

// ---------------------------------------------------------------------------------------
// payment.refund

std::string refundRequest(int64_t amount, int64_t refunded = 0) {
  return R"({"payment_id":"pay_1","refund_id":"ref_1","amount":{"value":)" + std::to_string(amount) +
         R"(,"currency":"BRL"},"captured_amount":{"value":1234,"currency":"BRL"},"refunded_amount":{"value":)" +
         std::to_string(refunded) +
         R"(,"currency":"BRL"},"reason":"damaged","provider_reference":"1234567890","provider_data":)" +
         kMpApprovedData + "}";
}

TEST_F(MercadoPagoPluginTest, APartialRefundSendsItsAmountAndReportsTheRefundId) {
  answer(
      201,
      R"({"id":555001,"payment_id":1234567890,"amount":3.5,"status":"approved","date_created":"2026-03-02T10:00:00.000-03:00"})");
  const Object::Ptr result = payment("payment.refund", refundRequest(350), "idem-refund");
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/v1/payments/1234567890/refunds");
  EXPECT_EQ(sent.header("x-idempotency-key"), "idem-refund");
  EXPECT_EQ(sent.header("authorization"), std::string("Bearer ") + kMpAccessToken);
  EXPECT_EQ(mpSchemaProblems("refund_create.schema.json", sent.body), "") << sent.body;
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
  answer(
      400,
      R"({"message":"Payment too old to be refunded","error":"bad_request","status":400,"cause":[{"code":2024,"description":"Payment too old to be refunded"}]})");
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
  const Object::Ptr result = payment(
      "payment.sync", std::string(R"({"payment_id":"pay_1","provider_reference":"1234567890","provider_data":)") +
                          kMpAuthorizedData + "}");
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.path, "/v1/payments/1234567890");
  EXPECT_EQ(sent.header("authorization"), std::string("Bearer ") + kMpAccessToken);
  EXPECT_EQ(str(result, "status"), "succeeded");
  EXPECT_EQ(minorUnits(result), 1234);

  answer(200, mpPayment("rejected", "cc_rejected_call_for_authorize"));
  const Object::Ptr rejected = payment(
      "payment.sync", std::string(R"({"payment_id":"pay_1","provider_reference":"1234567890","provider_data":)") +
                          kMpAuthorizedData + "}");
  EXPECT_EQ(str(rejected, "status"), "declined");
  EXPECT_EQ(str(rejected->getObject("gateway_error"), "code"), "cc_rejected_call_for_authorize");
}

TEST_F(MercadoPagoPluginTest, SyncOfAnUnansweredPaymentSearchesItsExternalReference) {
  answer(500, "{}");
  const Object::Ptr unknown = payment("payment.sale", saleRequest(), "idem-lost");
  ASSERT_EQ(str(unknown, "status"), "unknown");
  std::ostringstream data;
  unknown->getObject("provider_data")->stringify(data);
  const std::string syncRequest = R"({"payment_id":"pay_1","provider_reference":")" +
                                  str(unknown, "provider_reference") + R"(","provider_data":)" + data.str() + "}";

  provider_.clear();
  answer(200,
         R"({"paging":{"total":1,"limit":30,"offset":0},"results":[)" + mpPayment("approved", "accredited") + "]}");
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
      "payment.sync", std::string(R"({"payment_id":"pay_1","provider_reference":"1234567890","provider_data":)") +
                          kMpAuthorizedData + "}");
  EXPECT_NE(message.find("provider.unavailable"), std::string::npos) << message;
  EXPECT_NE(message.find("[transient]"), std::string::npos) << message;
}
// ---------------------------------------------------------------------------------------
// Configuration

TEST_F(MercadoPagoPluginTest, AConfigurationWithoutSecretsOrWithAPlainHttpNotificationUrlIsRefused) {
  const Status noSecret = activate("mercadopago", R"({"access_token":"APP_USR-x"})", provider_.baseUrl(), "inst_2");
  ASSERT_FALSE(noSecret);
  EXPECT_NE(noSecret.error().message.find("webhook_secret"), std::string::npos) << noSecret.error().message;
  const Status plainHttp =
      activate("mercadopago",
               R"({"access_token":"APP_USR-x","webhook_secret":"s","notification_url":"http://shop.example/hook"})",
               provider_.baseUrl(), "inst_3");
  ASSERT_FALSE(plainHttp);
  EXPECT_NE(plainHttp.error().message.find("notification_url"), std::string::npos) << plainHttp.error().message;
}

}  // namespace
}  // namespace ordersvc::testing
