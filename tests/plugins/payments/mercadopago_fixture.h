// The fixture of the MercadoPago plugin tests (mercadopago_plugin_test.cpp for payments,
// mercadopago_webhook_test.cpp for notifications): the plugin loaded through the real
// registry and host services, with its instance pointed at a ScriptedProvider standing in
// for MercadoPago. MercadoPago publishes no OpenAPI document (../shared/specs/README.md),
// so the bodies the plugin sends are checked against JSON Schemas written from its
// documentation (schemas/mercadopago/*.schema.json, each citing its sources).
#pragma once

#include <cstdint>
#include <string>

#include <Poco/JSON/Object.h>

#include "provider_plugin_fixture.h"
#include "scripted_provider.h"

namespace ordersvc::testing {

inline constexpr const char* kMpAccessToken = "APP_USR-1111-test-access-token";
inline constexpr const char* kMpWebhookSecret = "mp-secret-signature-1";

// provider_data of an authorization and of a captured sale, as the plugin writes them.
inline constexpr const char* kMpAuthorizedData =
    R"({"kind":"payment","mp_payment_id":"1234567890","capture":"manual","mp_status":"authorized",)"
    R"("mp_status_detail":"pending_capture","currency":"BRL","amount":{"value":1234,"currency":"BRL"},"payment_id":"pay_1"})";
inline constexpr const char* kMpApprovedData =
    R"({"kind":"payment","mp_payment_id":"1234567890","capture":"automatic","mp_status":"approved",)"
    R"("mp_status_detail":"accredited","currency":"BRL","amount":{"value":1234,"currency":"BRL"},"payment_id":"pay_1"})";

// The instance configuration every test starts with (user_id 44444).
std::string mpConfigJson();

// A MercadoPago payment object (id 1234567890) as its API answers, with the fields the
// plugin reads; `extra` is appended inside the object (",\"refunds\":[...]").
std::string mpPayment(const std::string& status, const std::string& detail, const std::string& amount = "12.34",
                      const std::string& extra = "");

// Problems of `body` against one of schemas/mercadopago/, one line each; "" when valid.
std::string mpSchemaProblems(const std::string& schemaName, const std::string& body);

std::string str(const Poco::JSON::Object::Ptr& object, const std::string& key);
int64_t minorUnits(const Poco::JSON::Object::Ptr& result);  // result["amount"]["value"]

class MercadoPagoPluginTest : public ProviderPluginTest {
 protected:
  using Reply = ScriptedProvider::Reply;
  using Request = ScriptedProvider::Request;

  void SetUp() override;

  // A successful payment operation's result, checked against the payment_result shape.
  Poco::JSON::Object::Ptr payment(const std::string& operation, const std::string& request,
                                  const std::string& key = "idem-1");
  // The error message of an operation expected to fail.
  std::string failure(const std::string& operation, const std::string& request, const std::string& key = "idem-1");
  // A webhook expected to verify, its result checked against the webhook result shape.
  Poco::JSON::Object::Ptr webhook(const std::string& raw);

  // Every request gets this answer from now on.
  void answer(int status, const std::string& body);
  // The one request sent (a failure if there was not exactly one).
  Request onlyRequest();
  // onlyRequest(), checked to be a PUT /v1/payments/1234567890 (capture or cancel) with
  // X-Idempotency-Key `key` and a body the documentation allows.
  Request expectPaymentUpdate(const std::string& key);

  ScriptedProvider provider_;
};

}  // namespace ordersvc::testing
