// Refunds through the real binary and the bundled cash plugin, on SQLite and PostgreSQL:
// by items and by amount, never more than captured, idempotent, roles; cancelling a paid
// order returns its money; card data never gets in.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "commerce_test_support.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;
using Poco::JSON::Array;
using Poco::JSON::Object;

class PaymentRefundTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    workDir_ = makeTempDir("ordersvc_payment_refund");
    service_ = startService(demoServiceEnv(GetParam(), workDir_, databaseUrl_), workDir_);
    port_ = service_->httpPort();
  }

  // A confirmed order of `who` (2 tees and 1 mug), paid in cash.
  std::string paidOrder(const Caller& who) {
    const CartRef cart = createCart(port_, who);
    addItem(port_, who, cart.id, "v_tee_m", 2);
    addItem(port_, who, cart.id, "v_mug", 1);
    const std::string orderId = checkout(port_, who, cart.id)->getValue<std::string>("order_id");
    const auto paid = payCash(port_, who, orderId);
    EXPECT_EQ(paid->getValue<std::string>("status"), "confirmed");
    return orderId;
  }

  Object::Ptr order(const std::string& id) {
    return expectData(send(port_, managerOf("m1"), "GET", "/api/v1/orders/" + id), 200, "read order");
  }

  int64_t count(const std::string& sql) { return queryInt(databaseUrl_, sql); }
  static Object::Ptr data(const HttpResult& result) { return parseObject(result.body)->getObject("data"); }

  std::string workDir_, databaseUrl_;
  std::unique_ptr<ServiceProcess> service_;
  int port_ = 0;
};

TEST_P(PaymentRefundTest, RefundsByItemsAndAmountNeverExceedWhatWasCaptured) {
  const Caller alice = customer("alice");
  const Caller manager = managerOf("m1");
  const std::string id = paidOrder(alice);
  const auto before = order(id);
  const auto items = before->getArray("items");
  const int64_t teeLineTotal = items->getObject(0)->getValue<int64_t>("total");  // 2 tees
  const auto payment = before->getObject("payment")->getArray("payments")->getObject(0);
  EXPECT_EQ(payment->getValue<std::string>("status"), "captured");
  const int64_t captured = payment->getValue<int64_t>("captured");
  ASSERT_GT(captured, 0);

  // One of the two tees: half of what that line cost, discount and tax included.
  auto refunded = send(port_, manager, "POST", "/api/v1/orders/" + id + "/refunds",
                       R"({"reason":"damaged","items":[{"line_no":1,"quantity":1}]})");
  auto data = expectData(refunded, 201, "refund one tee");
  auto refunds = data->getObject("payment")->getArray("refunds");
  ASSERT_EQ(refunds->size(), 1u);
  EXPECT_EQ(refunds->getObject(0)->getValue<std::string>("status"), "succeeded");
  EXPECT_EQ(refunds->getObject(0)->getValue<int64_t>("amount"), teeLineTotal / 2);
  EXPECT_EQ(data->getObject("payment")->getArray("payments")->getObject(0)->getValue<std::string>("status"),
            "partially_refunded");
  EXPECT_EQ(data->getObject("payment")->getValue<int64_t>("refunded"), teeLineTotal / 2);

  // Two more tees than are left on the line: refused, nothing recorded.
  auto tooMany = send(port_, manager, "POST", "/api/v1/orders/" + id + "/refunds",
                      R"({"reason":"damaged","items":[{"line_no":1,"quantity":2}]})");
  EXPECT_EQ(tooMany.status, 422) << tooMany.body;
  EXPECT_NE(tooMany.body.find("1 left to refund"), std::string::npos) << tooMany.body;

  // More money than is left: refused with both numbers' meaning.
  const int64_t left = captured - teeLineTotal / 2;
  auto excessive = send(port_, manager, "POST", "/api/v1/orders/" + id + "/refunds",
                        R"({"reason":"goodwill","currency":"CLP","amount":)" + std::to_string(left + 1) + "}");
  EXPECT_EQ(excessive.status, 422) << excessive.body;
  EXPECT_NE(excessive.body.find("more than what can be refunded"), std::string::npos) << excessive.body;

  // The rest, with an Idempotency-Key sent twice: one refund.
  const std::string body = R"({"reason":"goodwill","currency":"CLP","amount":)" + std::to_string(left) + "}";
  auto headers = manager.headers();
  headers["Idempotency-Key"] = "refund-rest-1";
  headers["Content-Type"] = "application/json";
  auto first = httpRequest(port_, "POST", "/api/v1/orders/" + id + "/refunds", body, headers);
  auto again = httpRequest(port_, "POST", "/api/v1/orders/" + id + "/refunds", body, headers);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.headers["idempotent-replayed"], "true");
  const auto after = order(id);
  EXPECT_EQ(after->getObject("payment")->getArray("refunds")->size(), 2u);
  EXPECT_EQ(after->getObject("payment")->getValue<int64_t>("refunded"), captured);
  EXPECT_EQ(after->getObject("payment")->getArray("payments")->getObject(0)->getValue<std::string>("status"),
            "refunded");
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.refunded'"), 2);

  // Nothing is left to refund.
  auto nothing = send(port_, manager, "POST", "/api/v1/orders/" + id + "/refunds",
                      R"({"reason":"again","currency":"CLP","amount":1})");
  EXPECT_EQ(nothing.status, 422) << nothing.body;
}

TEST_P(PaymentRefundTest, OnlyManagersRefundAndBadRequestsNameTheirFields) {
  const Caller alice = customer("alice");
  const std::string id = paidOrder(alice);
  const std::string path = "/api/v1/orders/" + id + "/refunds";
  const std::string body = R"({"reason":"mine","currency":"CLP","amount":100})";
  EXPECT_EQ(send(port_, alice, "POST", path, body).status, 403);
  EXPECT_EQ(send(port_, operatorOf("o1"), "POST", path, body).status, 403);
  EXPECT_EQ(send(port_, managerOf("m1", "shop_elsewhere"), "POST", path, body).status, 404);
  auto noReason = send(port_, managerOf("m1"), "POST", path, R"({"currency":"CLP","amount":100})");
  EXPECT_EQ(noReason.status, 400);
  EXPECT_TRUE(errorFields(noReason)->has("reason")) << noReason.body;
  auto both = send(port_, managerOf("m1"), "POST", path,
                   R"({"reason":"x","currency":"CLP","amount":100,"items":[{"line_no":1,"quantity":1}]})");
  EXPECT_EQ(both.status, 400);
  EXPECT_TRUE(errorFields(both)->has("amount")) << both.body;
  auto noLine = send(port_, managerOf("m1"), "POST", path, R"({"reason":"x","items":[{"line_no":9,"quantity":1}]})");
  EXPECT_EQ(noLine.status, 400) << noLine.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_refunds"), 0);
}

TEST_P(PaymentRefundTest, CancellingAPaidOrderRefundsItsPaymentsAndAPartlyPaidOneToo) {
  const Caller alice = customer("alice");
  const std::string paid = paidOrder(alice);
  auto cancelled =
      expectData(send(port_, alice, "POST", "/api/v1/orders/" + paid + "/cancel", R"({"reason":"changed my mind"})"),
                 200, "cancel the paid order");
  EXPECT_EQ(cancelled->getValue<std::string>("status"), "cancelled");
  const auto payment = cancelled->getObject("payment");
  EXPECT_EQ(payment->getArray("payments")->getObject(0)->getValue<std::string>("status"), "refunded");
  EXPECT_EQ(payment->getValue<int64_t>("refunded"),
            payment->getArray("payments")->getObject(0)->getValue<int64_t>("captured"));

  // Split tender, half paid: the order waits in payment_pending and may be cancelled.
  const std::string half = placeOrder(port_, alice, "v_mug", 2);
  const auto placed = order(half);
  const int64_t total = placed->getObject("totals")->getValue<int64_t>("total");
  auto part =
      expectData(send(port_, alice, "POST", "/api/v1/orders/" + half + "/payments",
                      R"({"payment_method":"cash","currency":"CLP","amount":)" + std::to_string(total / 2) + "}"),
                 201, "pay half");
  EXPECT_EQ(part->getValue<std::string>("status"), "payment_pending");
  EXPECT_EQ(part->getObject("payment_attempt")->getValue<std::string>("status"), "captured");
  auto gone =
      expectData(send(port_, alice, "POST", "/api/v1/orders/" + half + "/cancel", "{}"), 200, "cancel half-paid");
  EXPECT_EQ(gone->getValue<std::string>("status"), "cancelled");
  EXPECT_EQ(gone->getObject("payment")->getArray("payments")->getObject(0)->getValue<std::string>("status"),
            "refunded");
  EXPECT_EQ(count("SELECT COUNT(*) FROM payment_refunds WHERE status = 'succeeded'"), 2);
}

TEST_P(PaymentRefundTest, AnOrderTheJobsCancelGetsItsPartPaymentBackWithAPoolOfOneConnection) {
  // One pooled connection: a job that held its own while settling the order's payments
  // would wait for itself until the pool gives up, and the money would stay taken.
  service_.reset();
  auto env = demoServiceEnv(GetParam(), workDir_, databaseUrl_);
  env["DATABASE_POOL_SIZE"] = "1";
  env["DATABASE_MAX_OVERFLOW"] = "0";
  env["JOBS_INTERVAL_SECONDS"] = "1";
  service_ = startService(env, workDir_);
  port_ = service_->httpPort();
  const Caller alice = customer("alice");
  const std::string id = placeOrder(port_, alice, "v_mug", 2);
  const int64_t total = order(id)->getObject("totals")->getValue<int64_t>("total");
  expectData(send(port_, alice, "POST", "/api/v1/orders/" + id + "/payments",
                  R"({"payment_method":"cash","currency":"CLP","amount":)" + std::to_string(total / 2) + "}"),
             201, "pay half");
  // Half paid, the order waits in payment_pending; its reservation runs out.
  execSql(databaseUrl_, "UPDATE orders SET reservation_expires_at_ms = 1 WHERE id = '" + id + "'");
  EXPECT_TRUE(waitUntil([&] { return count("SELECT COUNT(*) FROM payment_refunds WHERE status = 'succeeded'") == 1; },
                        std::chrono::seconds(30)))
      << "the expired order's cash was not given back";
  const auto after = order(id);
  EXPECT_EQ(after->getValue<std::string>("status"), "cancelled");
  EXPECT_EQ(after->getObject("payment")->getArray("payments")->getObject(0)->getValue<std::string>("status"),
            "refunded");
}

TEST_P(PaymentRefundTest, CardNumbersAndCardFieldsNeverGetIn) {
  const Caller alice = customer("alice");
  const std::string id = placeOrder(port_, alice, "v_mug", 1);
  const std::string path = "/api/v1/orders/" + id + "/payments";
  for (const std::string& body :
       {std::string(
            R"({"payment_method":"cash","currency":"CLP","amount":100,"payment_method_id":"4242 4242 4242 4242"})"),
        std::string(
            R"({"payment_method":"cash","currency":"CLP","amount":100,"payment_method_id":"4111-1111-1111-1111"})"),
        std::string(R"({"payment_method":"cash","currency":"CLP","amount":100,"note":"5555555555554444"})"),
        std::string(R"({"payment_method":"cash","currency":"CLP","amount":100,"cvv":"123"})"),
        std::string(R"({"payment_method":"cash","currency":"CLP","amount":100,"card_number":"x"})")}) {
    auto refused = send(port_, alice, "POST", path, body);
    EXPECT_EQ(refused.status, 400) << body << ": " << refused.body;
    EXPECT_NE(refused.body.find("card"), std::string::npos) << refused.body;
    EXPECT_EQ(refused.body.find("4242"), std::string::npos) << "the refusal repeats the digits: " << refused.body;
  }
  // A 16-digit number that fails the Luhn check is not a card (an order reference).
  auto fine = send(port_, alice, "POST", path,
                   R"({"payment_method":"cash","currency":"CLP","amount":100,"payment_method_id":"1234567812345678"})");
  EXPECT_EQ(fine.status, 201) << fine.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 1);
  // Nothing of the refused bodies reached the logs or the database.
  // Searched as the bodies wrote them: four digits alone also turn up by chance in
  // random ids, ports and pids of the logs (seen once in a run).
  const std::string logs = service_->stdoutText() + service_->stderrText();
  EXPECT_EQ(logs.find("4242 4242"), std::string::npos);
  EXPECT_EQ(logs.find("4111-1111"), std::string::npos);
  EXPECT_EQ(logs.find("5555555555554444"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys WHERE response_body LIKE '%4242 4242%'"), 0);
}

TEST_P(PaymentRefundTest, CardInStoreTakesTheTerminalsCodeAndMetadataAndRefundsThroughTheSamePlugin) {
  expectData(send(port_, platformAdmin(), "PUT", "/api/v1/organizations/demo/plugins/pos-card",
                  R"({"plugin_id":"pos-card","version_range":"^1","config":{"require_terminal_id":true}})"),
             200, "bind pos-card");
  const Caller clerk = operatorOf("clerk");
  const std::string id = placeOrder(port_, customer("erin"), "v_mug", 1);
  const std::string total = std::to_string(order(id)->getObject("totals")->getValue<int64_t>("total"));
  const std::string path = "/api/v1/orders/" + id + "/payments";
  // The plugin requires the terminal: without metadata it refuses, nothing is charged.
  auto noTerminal =
      send(port_, clerk, "POST", path,
           R"({"payment_method":"pos-card","payment_method_id":"A1B2C3","currency":"CLP","amount":)" + total + "}");
  EXPECT_EQ(noTerminal.status, 201) << noTerminal.body;
  EXPECT_EQ(data(noTerminal)->getObject("payment_attempt")->getValue<std::string>("status"), "failed");
  auto paid =
      expectData(send(port_, clerk, "POST", path,
                      R"({"payment_method":"pos-card","payment_method_id":"A1B2C3","currency":"CLP","amount":)" +
                          total + R"(,"metadata":{"terminal_id":"T-07","card_last4":"4242"}})"),
                 201, "pay by card in store");
  EXPECT_EQ(paid->getValue<std::string>("status"), "confirmed");
  EXPECT_EQ(paid->getObject("payment_attempt")->getValue<std::string>("status"), "captured");
  auto badMetadata = send(port_, clerk, "POST", path,
                          R"({"payment_method":"pos-card","currency":"CLP","amount":1,"metadata":{"n":1}})");
  EXPECT_EQ(badMetadata.status, 400);
  EXPECT_TRUE(errorFields(badMetadata)->has("metadata")) << badMetadata.body;
  auto refunded = expectData(send(port_, managerOf("m1"), "POST", "/api/v1/orders/" + id + "/refunds",
                                  R"({"reason":"returned at the counter","currency":"CLP","amount":1000})"),
                             201, "refund to the card");
  EXPECT_EQ(refunded->getObject("payment")->getArray("refunds")->getObject(0)->getValue<std::string>("status"),
            "succeeded");
}

INSTANTIATE_TEST_SUITE_P(Backends, PaymentRefundTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ordersvc::testing
