// The harness the payment plugins' contract tests stand on: if Prism accepted anything,
// or the provider stand-in miscounted, every contract test would pass for nothing.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "prism_server.h"
#include "scripted_provider.h"

namespace ordersvc::testing {
namespace {

int post(int port, const std::string& path, const std::string& body, const std::string& contentType,
         const std::string& authorization) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType(contentType);
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  if (!authorization.empty()) request.set("Authorization", authorization);
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::string ignored;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
  return response.getStatus();
}

TEST(ContractHarnessTest, PrismFromStripesDocumentAcceptsAValidIntentAndRejectsBrokenOnes) {
  PrismServer prism("payments/stripe/openapi/spec3.payment_intents-refunds-webhook_endpoints.prism-d2.json");
  ASSERT_TRUE(prism.running()) << prism.failure();
  const std::string form = "application/x-www-form-urlencoded";
  EXPECT_EQ(post(prism.port(), "/v1/payment_intents", "amount=2000&currency=usd", form, "Bearer sk_test_x"), 200);
  EXPECT_TRUE(prism.violations().empty());
  EXPECT_EQ(post(prism.port(), "/v1/payment_intents", "currency=usd", form, "Bearer sk_test_x"), 422);
  EXPECT_EQ(post(prism.port(), "/v1/payment_intents", "amount=abc&currency=usd", form, "Bearer sk_test_x"), 422);
  EXPECT_EQ(prism.violations().size(), 2u) << prism.log();
  EXPECT_EQ(post(prism.port(), "/v1/payment_intents", "amount=2000&currency=usd", form, ""), 401);
}

TEST(ContractHarnessTest, ScriptedProviderAnswersAsToldAndCountsWhatArrived) {
  ScriptedProvider provider;
  provider.setHandler([](const ScriptedProvider::Request& request) {
    if (request.path == "/v1/fail") return ScriptedProvider::Reply{500, "oops"};
    return ScriptedProvider::Reply{200, R"({"ok":true})"};
  });
  EXPECT_EQ(post(provider.port(), "/v1/pay?x=1", "a=1", "text/plain", "Bearer k"), 200);
  EXPECT_EQ(post(provider.port(), "/v1/fail", "", "text/plain", ""), 500);
  ASSERT_EQ(provider.requests().size(), 2u);
  EXPECT_EQ(provider.requests()[0].query, "x=1");
  EXPECT_EQ(provider.requests()[0].header("authorization"), "Bearer k");
  EXPECT_EQ(provider.requests()[0].body, "a=1");
  EXPECT_EQ(provider.count("POST", "/v1/"), 2);
  EXPECT_EQ(provider.count("POST", "/v1/fail"), 1);
}

}  // namespace
}  // namespace ordersvc::testing
