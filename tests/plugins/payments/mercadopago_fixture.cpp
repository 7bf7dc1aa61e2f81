#include "mercadopago_fixture.h"

#include <fstream>
#include <sstream>

#include "payment_result_check.h"
#include "platform/plugins/config_schema_check.h"

namespace ordersvc::testing {

using Poco::JSON::Object;

std::string mpConfigJson() {
  return std::string(R"({"access_token":")") + kMpAccessToken + R"(","webhook_secret":")" + kMpWebhookSecret +
         R"(","statement_descriptor":"MYSTORE","notification_url":"https://shop.example/api/v1/webhooks/org_test/inst_1","user_id":"44444"})";
}

std::string mpPayment(const std::string& status, const std::string& detail, const std::string& amount,
                      const std::string& extra) {
  return R"({"id":1234567890,"status":")" + status + R"(","status_detail":")" + detail +
         R"(","currency_id":"BRL","transaction_amount":)" + amount +
         R"(,"external_reference":"pay_1","date_last_updated":"2026-03-01T09:00:00.000-03:00")" + extra + "}";
}

std::string mpSchemaProblems(const std::string& schemaName, const std::string& body) {
  std::ifstream in(std::string(ORDERSVC_SOURCE_DIR) + "/tests/plugins/payments/schemas/mercadopago/" + schemaName);
  std::stringstream schema;
  schema << in.rdbuf();
  if (schema.str().empty()) return "schema " + schemaName + " not found";
  std::string out;
  for (const auto& problem : plugins::checkAgainstSchema(schema.str(), body)) {
    out += problem.path + ": " + problem.message + "\n";
  }
  return out;
}

std::string str(const Object::Ptr& object, const std::string& key) {
  return object->getValue<std::string>(key);
}

int64_t minorUnits(const Object::Ptr& result) {
  return result->getObject("amount")->getValue<int64_t>("value");
}

void MercadoPagoPluginTest::SetUp() {
  ProviderPluginTest::SetUp();
  const Status activated = activate("mercadopago", mpConfigJson(), provider_.baseUrl());
  ASSERT_TRUE(activated) << activated.error().message;
}

Object::Ptr MercadoPagoPluginTest::payment(const std::string& operation, const std::string& request,
                                           const std::string& key) {
  return expectPaymentCall(call(operation, request, key), operation);
}

std::string MercadoPagoPluginTest::failure(const std::string& operation, const std::string& request,
                                           const std::string& key) {
  auto result = call(operation, request, key);
  if (result) {
    ADD_FAILURE() << operation << " answered " << result->json;
    return "";
  }
  return result.error().message;
}

Object::Ptr MercadoPagoPluginTest::webhook(const std::string& raw) {
  auto result = call("payment.webhook_verify_and_parse", raw, "idem-webhook");
  if (!result) {
    ADD_FAILURE() << "webhook refused: " << result.error().message;
    return new Object;
  }
  Object::Ptr parsed = parseObjectForTest(result->json);
  if (parsed.isNull()) return new Object;
  expectWebhookResult(parsed);
  return parsed;
}

void MercadoPagoPluginTest::answer(int status, const std::string& body) {
  provider_.setHandler([status, body](const Request&) { return Reply{status, body}; });
}

MercadoPagoPluginTest::Request MercadoPagoPluginTest::onlyRequest() {
  auto requests = provider_.requests();
  EXPECT_EQ(requests.size(), 1u);
  return requests.empty() ? Request{} : requests.front();
}

MercadoPagoPluginTest::Request MercadoPagoPluginTest::expectPaymentUpdate(const std::string& key) {
  const Request sent = onlyRequest();
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(sent.path, "/v1/payments/1234567890");
  EXPECT_EQ(sent.header("x-idempotency-key"), key);
  EXPECT_EQ(mpSchemaProblems("payment_update.schema.json", sent.body), "") << sent.body;
  return sent;
}

}  // namespace ordersvc::testing
