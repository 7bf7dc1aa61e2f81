#include "stripe_test_support.h"

#include <fstream>
#include <set>
#include <sstream>

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include "prism_server.h"

namespace ordersvc::testing {

std::string stripeConfig(const std::string& extra) {
  return std::string(R"({"secret_key":")") + kStripeSecretKey + R"(","webhook_secret":")" + kStripeWebhookSecret +
         R"(","statement_descriptor":"ORDERSVC TEST")" + extra + "}";
}

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string toJson(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::multimap<std::string, std::string> parseForm(const std::string& body) {
  std::multimap<std::string, std::string> out;
  std::istringstream in(body);
  std::string pair;
  while (std::getline(in, pair, '&')) {
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    std::string name = pair.substr(0, equals);
    std::string value = equals == std::string::npos ? "" : pair.substr(equals + 1);
    for (std::string* part : {&name, &value}) {
      for (char& c : *part) c = c == '+' ? ' ' : c;
      std::string decoded;
      Poco::URI::decode(*part, decoded);
      *part = decoded;
    }
    out.emplace(name, value);
  }
  return out;
}

std::string formValue(const std::multimap<std::string, std::string>& form, const std::string& name) {
  const auto count = form.count(name);
  if (count == 0) return "<absent>";
  EXPECT_EQ(count, 1u) << name << " is sent more than once";
  return form.find(name)->second;
}

Poco::JSON::Object::Ptr stripeFixture(const std::string& resource) {
  // Parsed once; every caller gets a deep copy it may change.
  static const std::string text = [] {
    std::ifstream in(sharedSpecsDir() + "/payments/stripe/openapi/fixtures3.json");
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  }();
  auto root = parseJson(text);
  auto object = root->getObject("resources")->getObject(resource);
  if (!object) throw std::runtime_error("fixtures3.json has no resource " + resource);
  return object;
}

Poco::JSON::Object::Ptr paymentIntent(const std::string& id, const std::string& status, int64_t amount,
                                      const std::string& currency, const std::string& captureMethod) {
  auto intent = stripeFixture("payment_intent");
  intent->set("id", id);
  intent->set("client_secret", id + "_secret_abc");
  intent->set("status", status);
  intent->set("amount", amount);
  intent->set("currency", currency);
  intent->set("capture_method", captureMethod);
  intent->set("amount_capturable", status == "requires_capture" ? amount : 0);
  intent->set("amount_received", status == "succeeded" ? amount : 0);
  return intent;
}

Poco::JSON::Object::Ptr stripeRefund(const std::string& id, const std::string& status, int64_t amount,
                                     const std::string& intent, const std::string& hostRefundId) {
  auto refund = stripeFixture("refund");
  refund->set("id", id);
  refund->set("status", status);
  refund->set("amount", amount);
  refund->set("payment_intent", intent);
  Poco::JSON::Object::Ptr metadata = new Poco::JSON::Object;
  metadata->set("refund_id", hostRefundId);
  refund->set("metadata", metadata);
  return refund;
}

std::string stripeError(const std::string& type, const std::string& code, const std::string& message,
                        const std::string& declineCode, const Poco::JSON::Object::Ptr& intent) {
  Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
  error->set("type", type);
  error->set("code", code);
  error->set("message", message);
  if (!declineCode.empty()) error->set("decline_code", declineCode);
  if (intent) error->set("payment_intent", intent);
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("error", error);
  return toJson(body);
}

void StripePluginTest::activateStripe(const std::string& baseUrl, const std::string& extraConfig) {
  const Status activated = activate("stripe", stripeConfig(extraConfig), baseUrl);
  ASSERT_TRUE(activated) << activated.error().message;
}

Poco::JSON::Object::Ptr StripePluginTest::callOk(const std::string& operation, const std::string& request,
                                                 const std::string& idempotencyKey, std::chrono::milliseconds timeout) {
  auto result = call(operation, request, idempotencyKey, kInstance, timeout);
  if (!result) {
    ADD_FAILURE() << operation << " failed: " << result.error().message;
    return new Poco::JSON::Object;
  }
  return parseJson(result->json);
}

std::string StripePluginTest::callError(const std::string& operation, const std::string& request,
                                        const std::string& idempotencyKey) {
  auto result = call(operation, request, idempotencyKey);
  if (result) {
    ADD_FAILURE() << operation << " answered instead of failing: " << result->json;
    return "";
  }
  return result.error().message;
}

void ScriptedStripeTest::SetUp() {
  StripePluginTest::SetUp();
  ASSERT_NO_FATAL_FAILURE(activateStripe(stripe_.baseUrl()));
}

void ScriptedStripeTest::answer(const ScriptedProvider::Reply& reply) {
  stripe_.setHandler([reply](const ScriptedProvider::Request&) { return reply; });
}

ScriptedProvider::Request ScriptedStripeTest::onlyRequest() {
  auto requests = stripe_.requests();
  EXPECT_EQ(requests.size(), 1u);
  return requests.empty() ? ScriptedProvider::Request{} : requests.front();
}

ScriptedProvider::Reply jsonReply(int status, const Poco::JSON::Object::Ptr& body) {
  return ScriptedProvider::Reply{status, toJson(body)};
}

void expectPaymentResultShape(const Poco::JSON::Object::Ptr& result) {
  static const std::set<std::string> kStatuses = {"succeeded", "pending",       "action_required",
                                                  "declined",  "not_submitted", "unknown"};
  static const std::set<std::string> kMembers = {"status",        "amount",        "provider_reference",
                                                 "provider_data", "gateway_error", "next_action",
                                                 "session",       "expires_at"};
  for (const auto& [name, value] : *result) EXPECT_TRUE(kMembers.count(name)) << "unexpected member " << name;
  const std::string status = result->optValue<std::string>("status", "");
  EXPECT_TRUE(kStatuses.count(status)) << toJson(result);
  auto amount = result->getObject("amount");
  ASSERT_TRUE(amount) << toJson(result);
  EXPECT_TRUE(amount->get("value").isInteger()) << toJson(result);
  EXPECT_EQ(amount->getValue<std::string>("currency").size(), 3u) << toJson(result);
  const std::string reference = result->optValue<std::string>("provider_reference", "");
  EXPECT_FALSE(reference.empty()) << toJson(result);
  EXPECT_LE(reference.size(), 200u);
  EXPECT_TRUE(result->getObject("provider_data")) << toJson(result);
  if (status == "declined") {
    auto error = result->getObject("gateway_error");
    ASSERT_TRUE(error) << toJson(result);
    EXPECT_FALSE(error->optValue<std::string>("code", "").empty());
    EXPECT_TRUE(error->has("message"));
  }
  if (status == "action_required") {
    auto next = result->getObject("next_action");
    ASSERT_TRUE(next) << toJson(result);
    const std::string type = next->optValue<std::string>("type", "");
    EXPECT_TRUE(type == "redirect" || type == "wait" || type == "display_code") << toJson(result);
  }
}

}  // namespace ordersvc::testing
