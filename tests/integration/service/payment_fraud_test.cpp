// Fraud checks on the payment path through the real binary: velocity holds a customer's
// payment for review (approve pays it, reject fails it), an amount over the deny limit
// never reaches the gateway, a billing/shipping country mismatch is held, and every
// verdict's reasons are on the order's timeline. Staff payments are not screened.
#include <gtest/gtest.h>

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "commerce_test_support.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;
using Poco::JSON::Object;

class PaymentFraudTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    workDir_ = makeTempDir("ordersvc_payment_fraud");
    service_ = startService(demoServiceEnv(GetParam(), workDir_, databaseUrl_), workDir_);
    port_ = service_->httpPort();
  }

  void rules(const std::string& json) {
    const auto current = expectData(send(port_, managerOf("m1"), "GET", "/api/v1/fraud-rules"), 200, "read rules");
    const std::string version = std::to_string(current->getValue<int64_t>("version"));
    expectData(send(port_, managerOf("m1"), "PUT", "/api/v1/fraud-rules",
                    R"({"version":)" + version + R"(,"rules":)" + json + "}"),
               200, "save rules");
  }

  std::string balance(const std::string& orderId) {
    auto order = expectData(send(port_, managerOf("m1"), "GET", "/api/v1/orders/" + orderId), 200, "read");
    return order->getObject("payment")->get("balance_due").convert<std::string>();
  }

  HttpResult payCashAs(const Caller& who, const std::string& orderId) {
    return send(port_, who, "POST", "/api/v1/orders/" + orderId + "/payments",
                R"({"payment_method":"cash","currency":"CLP","amount":)" + balance(orderId) + "}");
  }

  std::string timelineText(const std::string& orderId) {
    auto order = expectData(send(port_, managerOf("m1"), "GET", "/api/v1/orders/" + orderId), 200, "read");
    std::ostringstream text;
    order->getArray("timeline")->stringify(text);
    return text.str();
  }

  int64_t count(const std::string& sql) { return queryInt(databaseUrl_, sql); }

  std::string workDir_, databaseUrl_;
  std::unique_ptr<ServiceProcess> service_;
  int port_ = 0;
};

TEST_P(PaymentFraudTest, VelocityHoldsForReviewAndOperatorsApproveOrReject) {
  rules(R"({"velocity":{"customer":{"window_minutes":60,"review_above":1,"deny_above":null}}})");
  const Caller bob = customer("bob");
  const std::string first = placeOrder(port_, bob, "v_mug", 1);
  auto paid = expectData(payCashAs(bob, first), 201, "first payment");
  EXPECT_EQ(paid->getValue<std::string>("status"), "confirmed");
  EXPECT_EQ(paid->getObject("payment_attempt")->getValue<std::string>("fraud_outcome"), "allow");

  // The second attempt within the hour is over the limit: held, the gateway not asked.
  const std::string second = placeOrder(port_, bob, "v_mug", 1);
  auto held = expectData(payCashAs(bob, second), 201, "second payment");
  const auto attempt = held->getObject("payment_attempt");
  EXPECT_EQ(attempt->getValue<std::string>("status"), "review");
  EXPECT_EQ(attempt->getValue<std::string>("fraud_outcome"), "review");
  EXPECT_EQ(attempt->getArray("fraud_reasons")->getObject(0)->getValue<std::string>("code"), "velocity.customer");
  EXPECT_EQ(held->getValue<std::string>("status"), "payment_pending");
  EXPECT_NE(timelineText(second).find("held for review"), std::string::npos);
  const std::string heldId = attempt->getValue<std::string>("id");
  const std::string base = "/api/v1/orders/" + second + "/payments/" + heldId;

  // Customers cannot release their own payment; an operator can.
  EXPECT_EQ(send(port_, bob, "POST", base + "/approve", "").status, 403);
  auto approved = expectData(send(port_, operatorOf("o1"), "POST", base + "/approve", ""), 200, "approve");
  EXPECT_EQ(approved->getValue<std::string>("status"), "confirmed");
  EXPECT_EQ(approved->getObject("payment_attempt")->getValue<std::string>("status"), "captured");
  EXPECT_NE(timelineText(second).find("fraud_review_approved"), std::string::npos);
  EXPECT_EQ(send(port_, operatorOf("o1"), "POST", base + "/approve", "").status, 409) << "only once";

  // A third is held and rejected: the payment fails, the order may be paid otherwise.
  const std::string third = placeOrder(port_, bob, "v_mug", 1);
  const std::string thirdId = expectData(payCashAs(bob, third), 201, "third payment")
                                  ->getObject("payment_attempt")
                                  ->getValue<std::string>("id");
  auto rejected =
      expectData(send(port_, operatorOf("o1"), "POST", "/api/v1/orders/" + third + "/payments/" + thirdId + "/reject",
                      R"({"reason":"stolen card pattern"})"),
                 200, "reject");
  EXPECT_EQ(rejected->getValue<std::string>("status"), "payment_failed");
  EXPECT_NE(timelineText(third).find("stolen card pattern"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.review'"), 2);
}

TEST_P(PaymentFraudTest, AmountsOverTheDenyLimitNeverReachTheGatewayAndStaffAreNotScreened) {
  rules(R"({"amount_thresholds":{"CLP":{"review_above":null,"deny_above":5000}}})");
  const Caller carol = customer("carol");
  const std::string orderId = placeOrder(port_, carol, "v_tee_m", 2);
  auto denied = payCashAs(carol, orderId);
  EXPECT_EQ(denied.status, 422) << denied.body;
  EXPECT_NE(denied.body.find("fraud"), std::string::npos) << denied.body;
  EXPECT_NE(denied.body.find("\"code\":\"amount\""), std::string::npos) << denied.body;
  auto order = expectData(send(port_, carol, "GET", "/api/v1/orders/" + orderId), 200, "read");
  EXPECT_EQ(order->getObject("payment")->getArray("payments")->getObject(0)->getValue<std::string>("status"), "failed");
  EXPECT_NE(timelineText(orderId).find("fraud_denied"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.succeeded'"), 0);
  // An operator taking the payment at the counter is the check.
  auto counter = expectData(payCashAs(operatorOf("o1"), orderId), 201, "operator takes cash");
  EXPECT_EQ(counter->getValue<std::string>("status"), "confirmed");
}

TEST_P(PaymentFraudTest, BillingAndShippingInDifferentCountriesIsHeld) {
  const Caller dan = customer("dan");
  const CartRef cart = createCart(port_, dan);
  addItem(port_, dan, cart.id, "v_mug", 1);
  auto placed = expectData(
      send(port_, dan, "POST", "/api/v1/orders/from-cart",
           R"({"cart_id":")" + cart.id + R"(","shipping_method":"standard","shipping_address":)" + kSantiago +
               R"(,"billing_address":{"name":"Dan","line1":"1 Main St","city":"Austin","country":"US"}})"),
      201, "checkout with a US billing address");
  const std::string orderId = placed->getValue<std::string>("order_id");
  auto held = expectData(payCashAs(dan, orderId), 201, "pay");
  EXPECT_EQ(held->getObject("payment_attempt")->getValue<std::string>("status"), "review");
  EXPECT_NE(timelineText(orderId).find("country"), std::string::npos) << timelineText(orderId);
}

INSTANTIATE_TEST_SUITE_P(Backends, PaymentFraudTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ordersvc::testing
