#include "payment_result_check.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace ordersvc::testing {

namespace {

using Poco::JSON::Object;

void expectOnly(const Object::Ptr& object, std::set<std::string> allowed, const std::string& where) {
  for (const auto& name : object->getNames()) {
    EXPECT_TRUE(allowed.count(name) == 1) << where << " has a member outside its schema: " << name;
  }
}

void expectString(const Object::Ptr& object, const std::string& key, std::size_t minLength, std::size_t maxLength,
                  const std::string& where) {
  ASSERT_TRUE(object->has(key) && object->get(key).isString()) << where << "." << key << " must be a string";
  const std::string value = object->getValue<std::string>(key);
  EXPECT_GE(value.size(), minLength) << where << "." << key;
  EXPECT_LE(value.size(), maxLength) << where << "." << key;
}

void expectMoney(const Object::Ptr& money, const std::string& where) {
  ASSERT_FALSE(money.isNull()) << where << " must be a money object";
  expectOnly(money, {"value", "currency"}, where);
  ASSERT_TRUE(money->has("value") && money->get("value").isInteger()) << where << ".value must be an integer";
  ASSERT_TRUE(money->has("currency")) << where << ".currency is required";
  EXPECT_TRUE(std::regex_match(money->getValue<std::string>("currency"), std::regex("^[A-Z]{3}$"))) << where;
}

void expectProviderError(const Object::Ptr& error, const std::string& where) {
  ASSERT_FALSE(error.isNull()) << where << " must be an object";
  expectOnly(error, {"code", "message", "provider_code"}, where);
  expectString(error, "code", 1, 100, where);
  EXPECT_TRUE(std::regex_match(error->getValue<std::string>("code"), std::regex("^[a-z][a-z0-9_.]*$")))
      << where << ".code " << error->getValue<std::string>("code");
  expectString(error, "message", 0, 1000, where);
  if (error->has("provider_code")) expectString(error, "provider_code", 0, 100, where);
}

}  // namespace

Object::Ptr parseObjectForTest(const std::string& json) {
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(json);
    if (parsed.type() == typeid(Object::Ptr)) return parsed.extract<Object::Ptr>();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << ": " << json;
    return nullptr;
  }
  ADD_FAILURE() << "not a JSON object: " << json;
  return nullptr;
}

void expectPaymentResult(const Object::Ptr& result, std::initializer_list<const char*> extraMembers) {
  ASSERT_FALSE(result.isNull());
  std::set<std::string> allowed = {"status",        "amount",        "provider_reference",
                                   "provider_data", "gateway_error", "next_action"};
  for (const char* extra : extraMembers) allowed.insert(extra);
  expectOnly(result, allowed, "result");
  ASSERT_TRUE(result->has("status"));
  const std::string status = result->getValue<std::string>("status");
  const std::set<std::string> statuses = {"succeeded", "pending",       "action_required",
                                          "declined",  "not_submitted", "unknown"};
  EXPECT_EQ(statuses.count(status), 1u) << "status " << status;
  expectMoney(result->getObject("amount"), "result.amount");
  expectString(result, "provider_reference", 1, 200, "result");
  EXPECT_FALSE(result->getObject("provider_data").isNull()) << "provider_data must be an object";
  if (result->has("gateway_error")) expectProviderError(result->getObject("gateway_error"), "result.gateway_error");
  if (status == "declined") {
    EXPECT_TRUE(result->has("gateway_error")) << "declined without gateway_error";
  }
  if (status == "action_required") {
    Object::Ptr action = result->getObject("next_action");
    ASSERT_FALSE(action.isNull()) << "action_required without next_action";
    expectOnly(action, {"type", "url", "code", "expires_at"}, "next_action");
    const std::string type = action->getValue<std::string>("type");
    EXPECT_TRUE(type == "redirect" || type == "display_code" || type == "wait") << type;
  }
}

Object::Ptr expectPaymentCall(const Result<plugins::PluginCallResult>& result, const std::string& operation) {
  if (!result) {
    ADD_FAILURE() << operation << " failed: " << result.error().message;
    return new Object;
  }
  Object::Ptr parsed = parseObjectForTest(result->json);
  if (parsed.isNull()) return new Object;
  expectPaymentResult(parsed);
  return parsed;
}

void expectWebhookResult(const Object::Ptr& result) {
  ASSERT_FALSE(result.isNull());
  expectOnly(result, {"event_id", "events", "ack"}, "webhook result");
  expectString(result, "event_id", 1, 200, "webhook result");
  Poco::JSON::Array::Ptr events = result->getArray("events");
  ASSERT_FALSE(events.isNull()) << "events must be an array";
  const std::set<std::string> types = {"payment.succeeded",       "payment.failed",   "payment.canceled",
                                       "payment.requires_action", "payment.refunded", "payment.disputed",
                                       "checkout.approved"};
  for (std::size_t i = 0; i < events->size(); ++i) {
    const std::string where = "events[" + std::to_string(i) + "]";
    Object::Ptr event = events->getObject(static_cast<unsigned>(i));
    ASSERT_FALSE(event.isNull()) << where;
    expectOnly(event,
               {"type", "provider_reference", "refund_reference", "amount", "occurred_at", "gateway_error",
                "provider_event_type"},
               where);
    EXPECT_EQ(types.count(event->getValue<std::string>("type")), 1u) << where;
    expectString(event, "provider_reference", 1, 200, where);
    EXPECT_TRUE(std::regex_match(event->getValue<std::string>("occurred_at"),
                                 std::regex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$")))
        << where << ".occurred_at " << event->getValue<std::string>("occurred_at");
    if (event->has("amount")) expectMoney(event->getObject("amount"), where + ".amount");
    if (event->has("refund_reference")) expectString(event, "refund_reference", 1, 200, where);
    if (event->has("gateway_error")) expectProviderError(event->getObject("gateway_error"), where + ".gateway_error");
    if (event->has("provider_event_type")) expectString(event, "provider_event_type", 0, 100, where);
  }
}

}  // namespace ordersvc::testing
