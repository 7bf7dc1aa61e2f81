// Shared by the PayPal plugin's tests: an instance of the bundled plugin whose every
// request goes to a loopback provider, the OAuth token in the host's state, requests
// as the host sends them, and results read back.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include "provider_plugin_fixture.h"
#include "scripted_provider.h"

namespace ordersvc::testing::paypal {

inline constexpr const char* kPluginId = "paypal";
inline constexpr const char* kClientId = "client-A";
inline constexpr const char* kClientSecret = "secret-B";
inline constexpr const char* kWebhookId = "8PT597110X687430L";

inline std::string config(const std::string& extra = "") {
  return std::string(R"({"client_id":")") + kClientId + R"(","client_secret":")" + kClientSecret +
         R"(","webhook_id":")" + kWebhookId + R"(","environment":"sandbox")" + extra + "}";
}

inline Poco::JSON::Object::Ptr parse(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

inline std::string base64(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << text;
  encoder.close();
  return out.str();
}

inline int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The osp.kv/1 key the plugin keeps its token under (paypal_token_cache.h).
inline std::string tokenKey() {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(std::string("sandbox\n") + kClientId);
  return "oauth:" + Poco::DigestEngine::digestToHex(sha.digest());
}

inline ScriptedProvider::Reply json(int status, const std::string& body) {
  return {status, body, "application/json"};
}

inline ScriptedProvider::Reply tokenReply(const std::string& token, int expiresIn = 32400) {
  return json(200, R"({"scope":"https://uri.paypal.com/services/payments/payment","access_token":")" + token +
                       R"(","token_type":"Bearer","app_id":"APP-80W284485P519543T","expires_in":)" +
                       std::to_string(expiresIn) + R"(,"nonce":"2024-02-03T17:39:24Z"})");
}

// An order as PayPal answers a capture or GET with Prefer: return=representation.
inline std::string capturedOrder(const std::string& orderId, const std::string& captureStatus,
                                 const std::string& value = "12.34") {
  return R"({"id":")" + orderId +
         R"(","intent":"CAPTURE","status":"COMPLETED","purchase_units":[{"reference_id":"pay_1",)"
         R"("payments":{"captures":[{"id":"CAP111","status":")" +
         captureStatus + R"(","amount":{"currency_code":"USD","value":")" + value + R"("},"final_capture":true}]}}]})";
}

inline std::string authorizedOrder(const std::string& orderId) {
  return R"({"id":")" + orderId +
         R"(","intent":"AUTHORIZE","status":"COMPLETED","purchase_units":[{"reference_id":"pay_1",)"
         R"("payments":{"authorizations":[{"id":"AUTH222","status":"CREATED","amount":{"currency_code":"USD","value":"12.34"},)"
         R"("expiration_time":"2024-03-03T17:39:24Z"}]}}]})";
}

inline std::string paypalError(int status, const std::string& issue) {
  const std::string name = status == 422   ? "UNPROCESSABLE_ENTITY"
                           : status == 404 ? "RESOURCE_NOT_FOUND"
                                           : "INVALID_REQUEST";
  return R"({"name":")" + name + R"(","details":[{"issue":")" + issue + R"(","description":"scripted )" + issue +
         R"("}],"message":"The requested action could not be performed.","debug_id":"90957fca61718"})";
}

// provider_data as create_session writes it.
inline std::string sessionData(const std::string& intent = "CAPTURE") {
  return R"({"intent":")" + intent +
         R"(","amount":{"value":1234,"currency":"USD"},"order_id":"5O190127TN364715T",)"
         R"("approve_url":"https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T","order_status":"PAYER_ACTION_REQUIRED"})";
}

inline std::string sessionRequest(const std::string& amountJson = R"({"value":1234,"currency":"USD"})",
                                  const std::string& capture = "automatic") {
  return R"({"payment_id":"pay_1","order_id":"ord_1","amount":)" + amountJson + R"(,"capture":")" + capture +
         R"(","description":"Order ord_1","return_url":"https://shop.example/return","cancel_url":"https://shop.example/cancel","locale":"es-CL"})";
}

inline std::string completeRequest(const std::string& data = sessionData()) {
  return R"({"payment_id":"pay_1","order_id":"ord_1","amount":{"value":1234,"currency":"USD"},"provider_data":)" +
         data + "}";
}

// A raw_webhook request with PayPal's five PAYPAL-* headers (those named in `omit` left out).
inline std::string webhookRequest(const std::string& body, const std::string& transmissionTime,
                                  const std::string& omit = "") {
  const std::pair<std::string, std::string> headers[] = {
      {"Content-Type", "application/json"},
      {"PAYPAL-AUTH-ALGO", "SHA256withRSA"},
      {"PAYPAL-CERT-URL", "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270"},
      {"PAYPAL-TRANSMISSION-ID", "69cd13f0-d67a-11e5-baa3-778b53f4ae55"},
      {"PAYPAL-TRANSMISSION-SIG",
       "lmI95Jx3Y9nhR5SJWlHVIWpg4AgFk7n9bCHSRxbrd8A9zrhdu2rMyFrmz+Zjh3s3boXB07VXCXUZy/"
       "UFzUlnGJn0wDugt7FlSvdKeIJenLRemUxYCPVoEZzg9VFNqOa48gMkvF+XTpxBeUx/"
       "kWy6B5cp7GkT2+pOowfRK7OaynuxUoKW3JcMWw272VKjLTtTAShncla7tGF+"
       "55rxyt2KNZIIqxNMJ48RDZheGU5w1npu9dZHnPgTXB9iomeVRoD8O/jhRpnKsGrDschyNdkeh81BJJMH4Ctc6lnCCquoP/"
       "GzCzz33MMsNdid7vL/NIWaCsekQpW26FpWPi/tfj8nLA=="},
      {"PAYPAL-TRANSMISSION-TIME", transmissionTime},
  };
  std::string list;
  for (const auto& [name, value] : headers) {
    if (!omit.empty() && name == omit) continue;
    list += std::string(list.empty() ? "" : ",") + R"({"name":")" + name + R"(","value":")" + value + R"("})";
  }
  return R"({"method":"POST","path":"/api/v1/webhooks/org_test/inst_1","headers":[)" + list + R"(],"body_base64":")" +
         base64(body) + R"("})";
}

inline std::string isoTime(int64_t unixMs) {
  const std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace ordersvc::testing::paypal
