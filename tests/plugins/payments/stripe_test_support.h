// Shared by the Stripe plugin's tests: the fixture that activates the bundled plugin,
// JSON and form helpers, and Stripe objects shaped like the official fixtures3.json.
#pragma once

#include <map>
#include <string>

#include <Poco/JSON/Object.h>

#include "provider_plugin_fixture.h"
#include "scripted_provider.h"

namespace ordersvc::testing {

inline constexpr const char* kStripeSecretKey = "sk_test_51OrderSvcTestKey";
inline constexpr const char* kStripeWebhookSecret = "whsec_OrderSvcTestSecret";

// The configuration the tests activate; `extra` is spliced in as more members
// (",\"webhook_tolerance_seconds\":60").
std::string stripeConfig(const std::string& extra = "");

Poco::JSON::Object::Ptr parseJson(const std::string& text);
std::string toJson(const Poco::JSON::Object::Ptr& object);

// An application/x-www-form-urlencoded body decoded into name -> value (names as sent,
// "metadata[order_id]"). A name sent twice fails the test that reads it.
std::multimap<std::string, std::string> parseForm(const std::string& body);
// The one value of `name` in a decoded form, or "<absent>".
std::string formValue(const std::multimap<std::string, std::string>& form, const std::string& name);

// A copy of an object of Stripe's official fixtures3.json ("payment_intent", "refund",
// "charge", "dispute", "event"): real shapes, to be adjusted by each test.
Poco::JSON::Object::Ptr stripeFixture(const std::string& resource);

// A PaymentIntent (from the fixture) with the fields the tests vary.
Poco::JSON::Object::Ptr paymentIntent(const std::string& id, const std::string& status, int64_t amount,
                                      const std::string& currency = "usd",
                                      const std::string& captureMethod = "automatic");
// A Refund (from the fixture).
Poco::JSON::Object::Ptr stripeRefund(const std::string& id, const std::string& status, int64_t amount,
                                     const std::string& paymentIntent, const std::string& hostRefundId);
// {"error": {...}} as Stripe answers a failed request.
std::string stripeError(const std::string& type, const std::string& code, const std::string& message,
                        const std::string& declineCode = "", const Poco::JSON::Object::Ptr& intent = nullptr);

// The bundled Stripe plugin, activated against a base URL, and calls whose results are
// parsed (or whose errors are returned as text).
class StripePluginTest : public ProviderPluginTest {
 protected:
  void activateStripe(const std::string& baseUrl, const std::string& extraConfig = "");

  // The result object of a call that must succeed (a failure fails the test and returns
  // an empty object).
  Poco::JSON::Object::Ptr callOk(const std::string& operation, const std::string& request,
                                 const std::string& idempotencyKey = "idem-1",
                                 std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  // The error message of a call that must fail ("" and a test failure if it answered).
  std::string callError(const std::string& operation, const std::string& request,
                        const std::string& idempotencyKey = "idem-1");
};

// A StripePluginTest whose Stripe is a ScriptedProvider, activated in SetUp.
class ScriptedStripeTest : public StripePluginTest {
 protected:
  void SetUp() override;
  // Answers every request with `reply`.
  void answer(const ScriptedProvider::Reply& reply);
  // The one request Stripe received (a test failure if there were more or none).
  ScriptedProvider::Request onlyRequest();

  ScriptedProvider stripe_;
};

// A reply with `body` as JSON.
ScriptedProvider::Reply jsonReply(int status, const Poco::JSON::Object::Ptr& body);

// Checks the shape every payment result must have (common.json payment_result): status in
// the enum, money, a reference, provider_data, gateway_error when declined, next_action
// when action_required.
void expectPaymentResultShape(const Poco::JSON::Object::Ptr& result);

}  // namespace ordersvc::testing
