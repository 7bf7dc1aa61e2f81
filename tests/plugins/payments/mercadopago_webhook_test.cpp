// The MercadoPago plugin's webhook operations against a scripted MercadoPago: x-signature
// computed by the openssl command (not by the plugin's own code) over MercadoPago's
// documented manifest, every tampering refused, staleness, and the API read that turns a
// verified notification into normalised events. Fixture: mercadopago_fixture.h.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include <Poco/JSON/Array.h>

#include "mercadopago_fixture.h"
#include "payment_result_check.h"
#include "platform/plugins/base64_text.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using Poco::JSON::Object;

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

struct Notification {
  std::string query = "data.id=999888777&type=payment";
  std::string requestId = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e";
  std::string ts = std::to_string(nowSeconds());
  std::string body = R"({"id":12345,"live_mode":true,"type":"payment","date_created":"2026-03-01T10:04:58.396-04:00",)"
                     R"("user_id":44444,"api_version":"v1","action":"payment.updated","data":{"id":"999888777"}})";
  std::string signedManifest = "";  // empty: the documented manifest of the fields above
  std::string secret = kMpWebhookSecret;
  bool withSignature = true;

  std::string manifest(const std::string& dataId) const {
    return signedManifest.empty() ? "id:" + dataId + ";request-id:" + requestId + ";ts:" + ts + ";" : signedManifest;
  }
  std::string raw(const std::string& dataId = "999888777") const {
    std::string headers = R"([{"name":"Content-Type","value":"application/json"})";
    if (withSignature) {
      headers +=
          R"(,{"name":"x-signature","value":"ts=)" + ts + ",v1=" + opensslHmacHex(secret, manifest(dataId)) + R"("})";
    }
    headers += R"(,{"name":"x-request-id","value":")" + requestId + R"("}])";
    return R"({"method":"POST","path":"/api/v1/webhooks/org_test/inst_1","query":")" + query + R"(","headers":)" +
           headers + R"(,"body_base64":")" + plugins::encodeBase64(body) + R"("})";
  }
};

class MercadoPagoWebhookTest : public MercadoPagoPluginTest {};

TEST_F(MercadoPagoWebhookTest, ASignedNotificationIsVerifiedThenReadFromTheApi) {
  answer(
      200,
      R"({"id":999888777,"status":"approved","status_detail":"accredited","currency_id":"BRL","transaction_amount":12.34,)"
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

TEST_F(MercadoPagoWebhookTest, ATimestampInMillisecondsIsAcceptedToo) {
  answer(200, mpPayment("approved", "accredited"));
  Notification notification;
  notification.ts = std::to_string(nowSeconds() * 1000 + 683);
  EXPECT_EQ(webhook(notification.raw())->getArray("events")->size(), 1u);
}

TEST_F(MercadoPagoWebhookTest, AnyTamperingMakesTheSignatureInvalid) {
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

TEST_F(MercadoPagoWebhookTest, AStaleNotificationIsRefusedAsStale) {
  Notification old;
  old.ts = std::to_string(nowSeconds() - 3600);
  const std::string message = failure("payment.webhook_verify_and_parse", old.raw());
  EXPECT_NE(message.find("webhook.stale"), std::string::npos) << message;

  Notification future;
  future.ts = std::to_string((nowSeconds() + 3600) * 1000);
  EXPECT_NE(failure("payment.webhook_verify_and_parse", future.raw()).find("webhook.stale"), std::string::npos);
  EXPECT_EQ(provider_.requests().size(), 0u);
}

TEST_F(MercadoPagoWebhookTest, AnAlphanumericDataIdIsSignedInLowerCaseAndAbsentPartsAreLeftOut) {
  Notification mixedCase;
  mixedCase.query = "data.id=ABC123def&type=subscription_preapproval";
  mixedCase.body =
      R"({"id":"evt-77","type":"subscription_preapproval","action":"updated","user_id":44444,"data":{"id":"ABC123def"}})";
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

TEST_F(MercadoPagoWebhookTest, EachPaymentStateBecomesItsNormalisedEvent) {
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

  // Still pending without a challenge, or only authorized: nothing the host may take as
  // captured (payment.succeeded), nothing for it to do yet.
  answer(200, mpPayment("in_process", "pending_review_manual"));
  EXPECT_EQ(webhook(Notification{}.raw())->getArray("events")->size(), 0u);
  answer(200, mpPayment("authorized", "pending_capture"));
  EXPECT_EQ(webhook(Notification{}.raw())->getArray("events")->size(), 0u);
}

TEST_F(MercadoPagoWebhookTest, ANotificationForAPaymentTheAccountLacksHasNoEventsAndAnOutageIsTransient) {
  answer(404, R"({"message":"Payment not found","error":"not_found","status":404,"cause":[{"code":2000}]})");
  EXPECT_EQ(webhook(Notification{}.raw())->getArray("events")->size(), 0u);

  answer(500, "oops");
  const std::string message = failure("payment.webhook_verify_and_parse", Notification{}.raw());
  EXPECT_NE(message.find("[transient]"), std::string::npos) << message;
}

TEST_F(MercadoPagoWebhookTest, WebhookIdentifyNamesTheAccountAndTheEvent) {
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

}  // namespace
}  // namespace ordersvc::testing
