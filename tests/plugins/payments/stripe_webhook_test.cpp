// Stripe webhooks through the plugin: signatures made by Stripe's official Node library
// (the pinned `stripe` npm package under .tools/node, generateTestHeaderString) must
// verify, anything else must not, and every event type the host acts on is normalised
// onto the PaymentIntent id. Event bodies are built from the official fixtures3.json.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>

#include "prism_server.h"
#include "stripe_test_support.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

int64_t nowSeconds() {
  return static_cast<int64_t>(std::time(nullptr));
}

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);  // RFC 4648 without line breaks, as raw_webhook says
  encoder << bytes;
  encoder.close();
  return out.str();
}

// The Stripe-Signature header Stripe's Node library computes for `payload`.
std::string officialSignature(const std::string& payload, const std::string& secret, int64_t timestamp) {
  const std::string dir = makeTempDir("ordersvc_stripe_sig");
  {
    std::ofstream(dir + "/payload.json", std::ios::binary) << payload;
    std::ofstream(dir + "/sign.js") << R"(const fs = require('fs');
const stripe = require(process.argv[2])('sk_test_unused');
const payload = fs.readFileSync(process.argv[3], 'utf8');
process.stdout.write(stripe.webhooks.generateTestHeaderString(
    {payload, secret: process.argv[4], timestamp: parseInt(process.argv[5], 10)}));
)";
  }
  const CommandResult run = runCommand("node " + dir + "/sign.js " + nodeToolsDir() + "/node_modules/stripe " + dir +
                                       "/payload.json '" + secret + "' " + std::to_string(timestamp));
  std::filesystem::remove_all(dir);
  EXPECT_EQ(run.exitCode, 0) << "node and the pinned stripe package are needed (scripts/install-deps.sh "
                                "--with-tests): "
                             << run.output;
  EXPECT_EQ(run.output.rfind("t=" + std::to_string(timestamp) + ",v1=", 0), 0u) << run.output;
  return run.output;
}

// A raw_webhook request as the host hands it over.
std::string rawWebhook(const std::string& body, const std::optional<std::string>& signature) {
  Poco::JSON::Object::Ptr raw = new Poco::JSON::Object;
  raw->set("method", "POST");
  raw->set("path", "/api/v1/webhooks/org_test/inst_1");
  Poco::JSON::Array::Ptr headers = new Poco::JSON::Array;
  auto header = [&](const std::string& name, const std::string& value) {
    Poco::JSON::Object::Ptr h = new Poco::JSON::Object;
    h->set("name", name);
    h->set("value", value);
    headers->add(h);
  };
  header("Content-Type", "application/json; charset=utf-8");
  header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
  if (signature) header("Stripe-Signature", *signature);
  raw->set("headers", headers);
  raw->set("body_base64", base64(body));
  return toJson(raw);
}

// An Event (fixtures3.json "event") of `type` about `object`.
std::string eventBody(const std::string& id, const std::string& type, const Poco::JSON::Object::Ptr& object) {
  auto event = stripeFixture("event");
  event->set("id", id);
  event->set("type", type);
  event->set("created", 1700000000);
  event->set("api_version", "2023-08-16");
  Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
  data->set("object", object);
  event->set("data", data);
  return toJson(event);
}

class StripeWebhookTest : public StripePluginTest {
 protected:
  void SetUp() override {
    StripePluginTest::SetUp();
    ASSERT_NO_FATAL_FAILURE(activateStripe("http://127.0.0.1:9"));  // webhooks send nothing
  }
  // Signs `body` with the instance's secret through Stripe's library, verifies it
  // through the plugin and returns the parsed answer.
  Poco::JSON::Object::Ptr verifySigned(const std::string& body) {
    return callOk("payment.webhook_verify_and_parse",
                  rawWebhook(body, officialSignature(body, kStripeWebhookSecret, nowSeconds())));
  }
  // The one normalised event of a verified body.
  Poco::JSON::Object::Ptr onlyEvent(const std::string& body) {
    auto answer = verifySigned(body);
    auto events = answer->getArray("events");
    EXPECT_TRUE(events && events->size() == 1) << toJson(answer);
    return events && events->size() == 1 ? events->getObject(0) : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  }
};

TEST_F(StripeWebhookTest, SignatureMadeByStripesOfficialLibraryVerifiesAndTheEventIsNormalised) {
  auto intent = paymentIntent("pi_paid", "succeeded", 2000);
  intent->set("description", "Café con leche, ñandú");  // the raw UTF-8 bytes are what is signed
  const std::string body = eventBody("evt_succeeded", "payment_intent.succeeded", intent);
  auto answer = verifySigned(body);
  EXPECT_EQ(answer->getValue<std::string>("event_id"), "evt_succeeded");
  auto events = answer->getArray("events");
  ASSERT_EQ(events->size(), 1u) << toJson(answer);
  auto event = events->getObject(0);
  EXPECT_EQ(event->getValue<std::string>("type"), "payment.succeeded");
  EXPECT_EQ(event->getValue<std::string>("provider_reference"), "pi_paid");
  EXPECT_EQ(event->getObject("amount")->getValue<int64_t>("value"), 2000);
  EXPECT_EQ(event->getObject("amount")->getValue<std::string>("currency"), "USD");
  EXPECT_EQ(event->getValue<std::string>("occurred_at"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(event->getValue<std::string>("provider_event_type"), "payment_intent.succeeded");
}

TEST_F(StripeWebhookTest, TamperedBodyWrongSecretAndMissingOrGarbledHeaderAreSignatureInvalid) {
  const std::string body = eventBody("evt_1", "payment_intent.succeeded", paymentIntent("pi_1", "succeeded", 2000));
  const std::string signature = officialSignature(body, kStripeWebhookSecret, nowSeconds());
  std::string tampered = body;
  tampered.replace(tampered.find("\"amount\":2000"), 13, "\"amount\":9000");
  const std::string wrongSecret = officialSignature(body, "whsec_SomeoneElsesSecret", nowSeconds());
  for (const auto& [request, what] :
       {std::pair{rawWebhook(tampered, signature), "tampered body"},
        std::pair{rawWebhook(body, wrongSecret), "signed with another secret"},
        std::pair{rawWebhook(body, std::nullopt), "no Stripe-Signature"},
        std::pair{rawWebhook(body, "nonsense"), "garbled header"},
        std::pair{rawWebhook(body, signature.substr(0, signature.find(','))), "no v1"},
        std::pair{rawWebhook(body, "t=soon" + signature.substr(signature.find(','))), "t not a number"},
        std::pair{rawWebhook(
                      body, "t=" + std::to_string(nowSeconds()) + ",v0=" + signature.substr(signature.find("v1=") + 3)),
                  "only the legacy v0 scheme"}}) {
    const std::string error = callError("payment.webhook_verify_and_parse", request);
    EXPECT_NE(error.find("webhook.signature_invalid"), std::string::npos) << what << ": " << error;
    EXPECT_NE(error.find("[permanent]"), std::string::npos) << what << ": " << error;
  }
}

TEST_F(StripeWebhookTest, AuthenticSignatureOutsideTheToleranceIsStale) {
  const std::string body = eventBody("evt_old", "payment_intent.succeeded", paymentIntent("pi_1", "succeeded", 2000));
  for (const int64_t offset : {-3600, +3600}) {
    const std::string error =
        callError("payment.webhook_verify_and_parse",
                  rawWebhook(body, officialSignature(body, kStripeWebhookSecret, nowSeconds() + offset)));
    EXPECT_NE(error.find("webhook.stale"), std::string::npos) << offset << ": " << error;
  }
  // A forged signature on an old timestamp says nothing about staleness.
  const std::string forged = officialSignature(body, "whsec_forger", nowSeconds() - 3600);
  EXPECT_NE(callError("payment.webhook_verify_and_parse", rawWebhook(body, forged)).find("webhook.signature_invalid"),
            std::string::npos);
}

TEST_F(StripeWebhookTest, ToleranceComesFromTheConfiguration) {
  ASSERT_NO_FATAL_FAILURE(activateStripe("http://127.0.0.1:9", R"(,"webhook_tolerance_seconds":3600)"));
  const std::string body = eventBody("evt_late", "payment_intent.canceled", paymentIntent("pi_1", "canceled", 2000));
  auto answer = callOk("payment.webhook_verify_and_parse",
                       rawWebhook(body, officialSignature(body, kStripeWebhookSecret, nowSeconds() - 1800)));
  EXPECT_EQ(answer->getValue<std::string>("event_id"), "evt_late");
}

TEST_F(StripeWebhookTest, SeveralV1SignaturesVerifyWhenAnyOneMatches) {
  const std::string body = eventBody("evt_roll", "payment_intent.succeeded", paymentIntent("pi_1", "succeeded", 2000));
  const std::string mine = officialSignature(body, kStripeWebhookSecret, nowSeconds());
  const std::string theirs = officialSignature(body, "whsec_PreviousSecret", nowSeconds());
  const std::string t = mine.substr(0, mine.find(','));
  const std::string v1Mine = mine.substr(mine.find("v1="));
  const std::string v1Theirs = theirs.substr(theirs.find("v1="));
  for (const std::string& header : {t + "," + v1Theirs + "," + v1Mine, t + "," + v1Mine + "," + v1Theirs,
                                    t + "," + v1Theirs + "," + v1Mine + ",v0=6ffbb59b2300aae63f2720"}) {
    auto answer = callOk("payment.webhook_verify_and_parse", rawWebhook(body, header));
    EXPECT_EQ(answer->optValue<std::string>("event_id", ""), "evt_roll") << header;
  }
}

TEST_F(StripeWebhookTest, FailedCanceledRequiresActionAndCapturableIntentsBecomeTheirEvents) {
  auto failed = paymentIntent("pi_failed", "requires_payment_method", 2000);
  failed->set("last_payment_error",
              parseJson(R"({"type":"card_error","code":"card_declined","decline_code":"insufficient_funds",)"
                        R"("message":"Your card has insufficient funds."})"));
  auto event = onlyEvent(eventBody("evt_f", "payment_intent.payment_failed", failed));
  EXPECT_EQ(event->getValue<std::string>("type"), "payment.failed");
  EXPECT_EQ(event->getValue<std::string>("provider_reference"), "pi_failed");
  EXPECT_EQ(event->getObject("gateway_error")->getValue<std::string>("code"), "card_declined");
  EXPECT_EQ(event->getObject("gateway_error")->getValue<std::string>("provider_code"), "insufficient_funds");

  event = onlyEvent(eventBody("evt_c", "payment_intent.canceled", paymentIntent("pi_c", "canceled", 2000)));
  EXPECT_EQ(event->getValue<std::string>("type"), "payment.canceled");
  EXPECT_EQ(event->getObject("amount")->getValue<int64_t>("value"), 2000);

  event =
      onlyEvent(eventBody("evt_a", "payment_intent.requires_action", paymentIntent("pi_a", "requires_action", 2000)));
  EXPECT_EQ(event->getValue<std::string>("type"), "payment.requires_action");
  EXPECT_EQ(event->getValue<std::string>("provider_reference"), "pi_a");

  event = onlyEvent(eventBody("evt_cap", "payment_intent.amount_capturable_updated",
                              paymentIntent("pi_m", "requires_capture", 2000, "usd", "manual")));
  EXPECT_EQ(event->getValue<std::string>("type"), "checkout.approved");
  EXPECT_EQ(event->getObject("amount")->getValue<int64_t>("value"), 2000);
}

TEST_F(StripeWebhookTest, ChargeRefundedReportsTheNewestRefundOnThePaymentIntent) {
  auto charge = stripeFixture("charge");
  charge->set("payment_intent", "pi_refunded");
  charge->set("amount", 2000);
  charge->set("amount_refunded", 1500);
  charge->set("refunded", false);
  auto refunds = charge->getObject("refunds");
  auto older = stripeRefund("re_old", "succeeded", 1000, "pi_refunded", "ref_a");
  older->set("created", 1699990000);
  auto newer = stripeRefund("re_new", "succeeded", 500, "pi_refunded", "ref_b");
  newer->set("created", 1699999000);
  refunds->getArray("data")->add(older);
  refunds->getArray("data")->add(newer);
  auto event = onlyEvent(eventBody("evt_r", "charge.refunded", charge));
  EXPECT_EQ(event->getValue<std::string>("type"), "payment.refunded");
  EXPECT_EQ(event->getValue<std::string>("provider_reference"), "pi_refunded");
  EXPECT_EQ(event->getValue<std::string>("refund_reference"), "re_new");
  EXPECT_EQ(event->getObject("amount")->getValue<int64_t>("value"), 500);

  // Since API 2022-11-15 a Charge carries no refunds list. Its amount_refunded is a running
  // total with no refund id, which the host would book as one more refund: no event, the
  // refund.* events report it.
  charge->remove("refunds");
  EXPECT_EQ(verifySigned(eventBody("evt_r2", "charge.refunded", charge))->getArray("events")->size(), 0u);
}

TEST_F(StripeWebhookTest, SucceededRefundEventsReportTheRefundOnThePaymentIntent) {
  for (const char* type : {"refund.created", "refund.updated", "charge.refund.updated"}) {
    auto event = onlyEvent(
        eventBody("evt_" + std::string(type), type, stripeRefund("re_dash", "succeeded", 700, "pi_refunded", "")));
    EXPECT_EQ(event->getValue<std::string>("type"), "payment.refunded") << type;
    EXPECT_EQ(event->getValue<std::string>("provider_reference"), "pi_refunded") << type;
    EXPECT_EQ(event->getValue<std::string>("refund_reference"), "re_dash") << type;
    EXPECT_EQ(event->getObject("amount")->getValue<int64_t>("value"), 700) << type;
    EXPECT_EQ(event->getValue<std::string>("provider_event_type"), type);
  }
  // Not done yet, or not a refund of a PaymentIntent: nothing for the host to book.
  auto pending = stripeRefund("re_p", "pending", 700, "pi_refunded", "");
  EXPECT_EQ(verifySigned(eventBody("evt_p", "refund.created", pending))->getArray("events")->size(), 0u);
  auto bare = stripeRefund("re_b", "succeeded", 700, "", "");
  bare->set("payment_intent", Poco::Dynamic::Var());
  EXPECT_EQ(verifySigned(eventBody("evt_b", "refund.updated", bare))->getArray("events")->size(), 0u);
}

TEST_F(StripeWebhookTest, DisputeCreatedIsADisputeOnThePaymentIntent) {
  auto dispute = stripeFixture("dispute");
  dispute->set("payment_intent", "pi_disputed");
  auto event = onlyEvent(eventBody("evt_d", "charge.dispute.created", dispute));
  EXPECT_EQ(event->getValue<std::string>("type"), "payment.disputed");
  EXPECT_EQ(event->getValue<std::string>("provider_reference"), "pi_disputed");
  EXPECT_EQ(event->getObject("amount")->getValue<int64_t>("value"), 1000);
  EXPECT_EQ(event->getObject("amount")->getValue<std::string>("currency"), "USD");
}

TEST_F(StripeWebhookTest, OtherEventsAreVerifiedButCarryNothingToActOn) {
  auto plan = stripeFixture("event")->getObject("data")->getObject("object");
  auto answer = verifySigned(eventBody("evt_plan", "plan.created", plan));
  EXPECT_EQ(answer->getValue<std::string>("event_id"), "evt_plan");
  EXPECT_EQ(answer->getArray("events")->size(), 0u);
  const std::string notAnEvent = R"({"hello":"world"})";
  const std::string error =
      callError("payment.webhook_verify_and_parse",
                rawWebhook(notAnEvent, officialSignature(notAnEvent, kStripeWebhookSecret, nowSeconds())));
  EXPECT_NE(error.find("webhook.unrecognized"), std::string::npos) << error;
}

TEST_F(StripeWebhookTest, IdentifyReadsTheEventIdAndAccountWithoutVerifying) {
  auto event = parseJson(eventBody("evt_connect", "payment_intent.succeeded", paymentIntent("pi_1", "succeeded", 10)));
  event->set("account", "acct_1Connected");
  auto answer = callOk("payment.webhook_identify", rawWebhook(toJson(event), std::nullopt));
  EXPECT_EQ(answer->getValue<std::string>("event_id"), "evt_connect");
  EXPECT_EQ(answer->getValue<std::string>("account_ref"), "acct_1Connected");
  event->remove("account");
  event->set("livemode", false);
  answer = callOk("payment.webhook_identify", rawWebhook(toJson(event), "t=1,v1=00"));
  EXPECT_EQ(answer->getValue<std::string>("account_ref"), "test");
  const std::string error = callError("payment.webhook_identify", rawWebhook("not json", std::nullopt));
  EXPECT_NE(error.find("webhook.unrecognized"), std::string::npos) << error;
}

}  // namespace
}  // namespace ordersvc::testing
