// Online payments end to end: the real binary, the real Stripe plugin, and a scripted
// Stripe on loopback (the plugin's own contract with Stripe's published API is tested
// in tests/plugins/payments/stripe_plugin_test.cpp). Browser sessions, signed webhooks
// applied exactly once, the customer's confirmation racing the webhook on two processes,
// unknown outcomes reconciled, and no secret in the logs.
#include <gtest/gtest.h>

#include <openssl/hmac.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "commerce_test_support.h"
#include "scripted_provider.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;
using Poco::JSON::Object;

constexpr const char* kSecretKey = "sk_test_51NeverRealKeyForTestsOnly0000000000000000";
constexpr const char* kWebhookSecret = "whsec_testSigningSecretNeverReal0000000000";

std::string hmacHex(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 15];
  }
  return out;
}

int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A Stripe that keeps its PaymentIntents in memory: created requires_payment_method,
// "paid" by the test (as the customer would in the browser), read back by GET.
class FakeStripe {
 public:
  FakeStripe() {
    provider_.setHandler([this](const ScriptedProvider::Request& r) { return answer(r); });
  }
  std::string baseUrl() const { return provider_.baseUrl(); }
  ScriptedProvider& provider() { return provider_; }

  // What the customer's browser does with the client_secret.
  void pay(const std::string& intentId) {
    std::lock_guard lock(mutex_);
    intents_[intentId].status = "succeeded";
  }
  void failCreates(bool fail) {
    std::lock_guard lock(mutex_);
    failCreates_ = fail;
  }
  std::string intentJson(const std::string& id) {
    std::lock_guard lock(mutex_);
    return render(id, intents_.at(id));
  }

 private:
  struct Intent {
    int64_t amount = 0;
    std::string currency;
    std::string status = "requires_payment_method";
    std::string paymentId;
    std::string captureMethod = "automatic";
  };

  static std::string field(const std::string& form, const std::string& name) {
    const std::string key = name + "=";
    for (std::size_t start = 0; start < form.size();) {
      std::size_t end = form.find('&', start);
      if (end == std::string::npos) end = form.size();
      const std::string pair = form.substr(start, end - start);
      if (pair.rfind(key, 0) == 0) return pair.substr(key.size());
      start = end + 1;
    }
    return "";
  }

  std::string render(const std::string& id, const Intent& intent) const {
    return R"({"id":")" + id + R"(","object":"payment_intent","amount":)" + std::to_string(intent.amount) +
           R"(,"amount_capturable":0,"amount_received":)" +
           std::to_string(intent.status == "succeeded" ? intent.amount : 0) + R"(,"capture_method":")" +
           intent.captureMethod + R"(","client_secret":")" + id + R"(_secret_abcdef","currency":")" + intent.currency +
           R"(","livemode":false,"metadata":{"payment_id":")" + intent.paymentId + R"("},"status":")" + intent.status +
           R"("})";
  }

  ScriptedProvider::Reply answer(const ScriptedProvider::Request& r) {
    std::lock_guard lock(mutex_);
    if (r.header("authorization") != std::string("Bearer ") + kSecretKey)
      return {401, R"({"error":{"type":"invalid_request_error"}})"};
    if (r.method == "POST" && r.path == "/v1/payment_intents") {
      if (failCreates_) return {500, R"({"error":{"type":"api_error","message":"boom"}})"};
      Intent intent;
      intent.amount = std::stoll(field(r.body, "amount"));
      intent.currency = field(r.body, "currency");
      intent.paymentId = field(r.body, "metadata%5Bpayment_id%5D");
      const std::string capture = field(r.body, "capture_method");
      if (!capture.empty()) intent.captureMethod = capture;
      if (field(r.body, "confirm") == "true") intent.status = "succeeded";
      const std::string id = "pi_" + intent.paymentId.substr(intent.paymentId.find('_') + 1);
      intents_[id] = intent;
      return {200, render(id, intent)};
    }
    if (r.method == "GET" && r.path == "/v1/payment_intents/search") {
      std::string data;
      for (const auto& [id, intent] : intents_) {
        if (r.query.find(intent.paymentId) == std::string::npos) continue;
        data += (data.empty() ? "" : ",") + render(id, intent);
      }
      return {200, R"({"object":"search_result","data":[)" + data + R"(],"has_more":false})"};
    }
    if (r.method == "GET" && r.path.rfind("/v1/payment_intents/", 0) == 0) {
      const std::string id = r.path.substr(std::string("/v1/payment_intents/").size());
      auto it = intents_.find(id);
      if (it == intents_.end()) return {404, R"({"error":{"type":"invalid_request_error","code":"resource_missing"}})"};
      return {200, render(id, it->second)};
    }
    if (r.method == "POST" && r.path.rfind("/v1/payment_intents/", 0) == 0 &&
        r.path.find("/cancel") != std::string::npos) {
      const std::string id = r.path.substr(20, r.path.find("/cancel") - 20);
      intents_[id].status = "canceled";
      return {200, render(id, intents_[id])};
    }
    if (r.method == "POST" && r.path == "/v1/refunds") {
      const std::string amount = field(r.body, "amount");
      return {200, R"({"id":"re_)" + std::to_string(++refunds_) + R"(","object":"refund","amount":)" + amount +
                       R"(,"currency":"clp","payment_intent":")" + field(r.body, "payment_intent") +
                       R"(","status":"succeeded"})"};
    }
    return {404, R"({"error":{"type":"invalid_request_error","message":"not in the fake"}})"};
  }

  ScriptedProvider provider_;
  std::mutex mutex_;
  std::map<std::string, Intent> intents_;
  bool failCreates_ = false;
  int refunds_ = 0;
};

class PaymentWebhookTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    workDir_ = makeTempDir("ordersvc_payment_webhook");
    env_ = demoServiceEnv(GetParam(), workDir_, databaseUrl_);
    env_["LOG_LEVEL"] = "debug";  // the secret scan reads everything the service says
    service_ = startService(env_, workDir_);
    port_ = service_->httpPort();
    bindStripe();
  }

  void bindStripe() {
    const std::string body = std::string(R"({"plugin_id":"stripe","version_range":"^1","config":{"secret_key":")") +
                             kSecretKey + R"(","webhook_secret":")" + kWebhookSecret + R"("},"base_url_override":")" +
                             stripe_.baseUrl() + R"("})";
    expectData(send(port_, platformAdmin(), "PUT", "/api/v1/organizations/demo/plugins/stripe", body), 200,
               "bind stripe to demo");
  }

  // A browser-flow Stripe payment of the order's balance: returns (payment id, intent id).
  std::pair<std::string, std::string> startSession(int port, const Caller& who, const std::string& orderId,
                                                   const std::string& capture = "automatic") {
    auto order = expectData(send(port, who, "GET", "/api/v1/orders/" + orderId), 200, "read order");
    const std::string balance = order->getObject("payment")->get("balance_due").convert<std::string>();
    auto paid = expectData(send(port, who, "POST", "/api/v1/orders/" + orderId + "/payments",
                                R"({"payment_method":"stripe","currency":"CLP","amount":)" + balance +
                                    R"(,"capture_method":")" + capture + R"("})"),
                           201, "start a Stripe session");
    EXPECT_EQ(paid->getValue<std::string>("status"), "payment_pending");
    const auto attempt = paid->getObject("payment_attempt");
    EXPECT_EQ(attempt->getValue<std::string>("status"), "requires_action");
    EXPECT_NE(paid->optValue<std::string>("client_secret", "").find("_secret_"), std::string::npos)
        << "no client_secret";
    return {attempt->getValue<std::string>("id"), attempt->getValue<std::string>("provider_reference")};
  }

  static std::string succeededEvent(const std::string& eventId, const std::string& intentJson) {
    return R"({"id":")" + eventId + R"(","object":"event","api_version":"2023-08-16","created":)" +
           std::to_string(nowSeconds()) + R"(,"livemode":false,"type":"payment_intent.succeeded","data":{"object":)" +
           intentJson + "}}";
  }

  static HttpResult deliver(int port, const std::string& body, int64_t timestamp = nowSeconds(),
                            const std::string& secret = kWebhookSecret, const std::string& instance = "stripe") {
    const std::string t = std::to_string(timestamp);
    std::map<std::string, std::string> headers = {
        {"Content-Type", "application/json"},
        {"Stripe-Signature", "t=" + t + ",v1=" + hmacHex(secret, t + "." + body)}};
    return httpRequest(port, "POST", "/api/v1/webhooks/demo/" + instance, body, headers);
  }

  int64_t count(const std::string& sql) { return queryInt(databaseUrl_, sql); }

  std::string workDir_, databaseUrl_;
  ServiceProcess::Env env_;
  FakeStripe stripe_;
  std::unique_ptr<ServiceProcess> service_;
  int port_ = 0;
};

TEST_P(PaymentWebhookTest, SignedWebhookConfirmsTheOrderOnceAndForgeriesAreRefused) {
  const Caller alice = customer("alice");
  const std::string orderId = placeOrder(port_, alice, "v_mug", 1);
  const auto [paymentId, intentId] = startSession(port_, alice, orderId);
  ASSERT_EQ(intentId.rfind("pi_", 0), 0u) << intentId;
  stripe_.pay(intentId);
  const std::string event = succeededEvent("evt_1", stripe_.intentJson(intentId));

  // Forgeries first: tampered body, wrong secret, stale timestamp, no signature.
  std::string tampered = event;
  tampered.replace(tampered.find("\"livemode\":false"), 16, "\"livemode\":true ");
  const std::string t = std::to_string(nowSeconds());
  auto bad = httpRequest(port_, "POST", "/api/v1/webhooks/demo/stripe", tampered,
                         {{"Content-Type", "application/json"},
                          {"Stripe-Signature", "t=" + t + ",v1=" + hmacHex(kWebhookSecret, t + "." + event)}});
  EXPECT_EQ(bad.status, 401) << bad.body;
  EXPECT_EQ(deliver(port_, event, nowSeconds(), "whsec_someoneElsesSecret").status, 401);
  EXPECT_EQ(deliver(port_, event, nowSeconds() - 3600).status, 401);
  EXPECT_EQ(
      httpRequest(port_, "POST", "/api/v1/webhooks/demo/stripe", event, {{"Content-Type", "application/json"}}).status,
      401);
  EXPECT_EQ(deliver(port_, event, nowSeconds(), kWebhookSecret, "nosuchinstance").status, 404);
  EXPECT_EQ(deliver(port_, event, nowSeconds(), kWebhookSecret, "cash").status, 404) << "cash takes no webhooks";
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_inbox"), 0);
  EXPECT_EQ(
      expectData(send(port_, alice, "GET", "/api/v1/orders/" + orderId), 200, "read")->getValue<std::string>("status"),
      "payment_pending");
  EXPECT_NE(service_->stdoutText().find("webhook refused"), std::string::npos) << "refusals are logged";

  // The real one confirms the order, turns the reservation into a sale, and says so once.
  auto ok = deliver(port_, event);
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto order = expectData(send(port_, alice, "GET", "/api/v1/orders/" + orderId), 200, "read");
  EXPECT_EQ(order->getValue<std::string>("status"), "confirmed");
  const auto payment = order->getObject("payment")->getArray("payments")->getObject(0);
  EXPECT_EQ(payment->getValue<std::string>("status"), "captured");
  EXPECT_EQ(payment->getValue<std::string>("id"), paymentId);

  // Redelivered (Stripe retries): acknowledged, nothing changes.
  auto again = deliver(port_, event);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.headers["x-webhook-duplicate"], "true");
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.succeeded'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.confirmed'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_inbox"), 1);

  // The customer's own confirmation after the webhook: reports, changes nothing.
  auto confirmed =
      expectData(send(port_, alice, "POST", "/api/v1/orders/" + orderId + "/payments/" + paymentId + "/confirm", ""),
                 200, "confirm after the webhook");
  EXPECT_EQ(confirmed->getObject("payment_attempt")->getValue<std::string>("status"), "captured");
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.succeeded'"), 1);

  // A refund goes to Stripe and is recorded once.
  auto refunded = send(port_, managerOf("m1"), "POST", "/api/v1/orders/" + orderId + "/refunds",
                       R"({"reason":"damaged","currency":"CLP","amount":1000})");
  EXPECT_EQ(refunded.status, 201) << refunded.body;
  EXPECT_EQ(stripe_.provider().count("POST", "/v1/refunds"), 1);
  // Stripe then reports that refund by webhook: already booked, not booked again. A refund
  // made in Stripe's dashboard is booked when its webhook arrives.
  auto refundEvent = [&](const std::string& eventId, const std::string& refundId, int amount) {
    return R"({"id":")" + eventId + R"(","object":"event","api_version":"2023-08-16","created":)" +
           std::to_string(nowSeconds()) + R"(,"livemode":false,"type":"refund.updated","data":{"object":{"id":")" +
           refundId + R"(","object":"refund","amount":)" + std::to_string(amount) +
           R"(,"currency":"clp","payment_intent":")" + intentId + R"(","status":"succeeded","metadata":{}}}})";
  };
  EXPECT_EQ(deliver(port_, refundEvent("evt_r1", "re_1", 1000)).status, 200);
  EXPECT_EQ(deliver(port_, refundEvent("evt_r2", "re_dashboard", 500)).status, 200);
  auto afterRefunds = expectData(send(port_, alice, "GET", "/api/v1/orders/" + orderId), 200, "read");
  EXPECT_EQ(afterRefunds->getObject("payment")->getValue<int64_t>("refunded"), 1500);
  EXPECT_EQ(afterRefunds->getObject("payment")->getArray("refunds")->size(), 2u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.refunded'"), 2);

  // Nothing secret was logged: keys, signing secret, client secret, signatures.
  const std::string logs = service_->stdoutText() + service_->stderrText();
  for (const std::string& secret : {std::string(kSecretKey), std::string(kWebhookSecret), intentId + "_secret_abcdef",
                                    hmacHex(kWebhookSecret, t + "." + event)}) {
    EXPECT_EQ(logs.find(secret), std::string::npos) << "the logs contain a secret: " << secret.substr(0, 12) << "...";
  }
  // Stored encrypted: the intent id does not appear in clear in provider_data.
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE provider_data LIKE '%" + intentId + "%'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE provider_data LIKE 'v1:%'"), 1);
}

TEST_P(PaymentWebhookTest, AnUnknownOutcomeIsNeverRetriedBlindlyAndReconciliationFindsTheTruth) {
  service_.reset();
  env_["JOBS_INTERVAL_SECONDS"] = "1";
  service_ = startService(env_, workDir_);
  port_ = service_->httpPort();
  const Caller alice = customer("alice");
  const std::string orderId = placeOrder(port_, alice, "v_mug", 1);
  auto order = expectData(send(port_, alice, "GET", "/api/v1/orders/" + orderId), 200, "read order");
  const std::string balance = order->getObject("payment")->get("balance_due").convert<std::string>();

  // Stripe takes the charge but answers 500: the outcome is unknown.
  stripe_.failCreates(true);
  auto paid =
      expectData(send(port_, alice, "POST", "/api/v1/orders/" + orderId + "/payments",
                      R"({"payment_method":"stripe","payment_method_id":"pm_card_visa","currency":"CLP","amount":)" +
                          balance + "}"),
                 201, "pay with a card token");
  EXPECT_EQ(paid->getObject("payment_attempt")->getValue<std::string>("status"), "unknown");
  EXPECT_EQ(paid->getValue<std::string>("status"), "payment_pending");
  EXPECT_EQ(stripe_.provider().count("POST", "/v1/payment_intents"), 1) << "an unknown outcome is not retried";
  // A second payment for the same balance is refused while the first is unresolved.
  auto twice = send(
      port_, alice, "POST", "/api/v1/orders/" + orderId + "/payments",
      R"({"payment_method":"stripe","payment_method_id":"pm_card_visa","currency":"CLP","amount":)" + balance + "}");
  EXPECT_EQ(twice.status, 422) << twice.body;

  // Stripe did create the intent (succeeded); reconciliation asks and finds it.
  const std::string paymentId = paid->getObject("payment_attempt")->getValue<std::string>("id");
  stripe_.failCreates(false);
  auto created = send(port_, alice, "GET", "/api/v1/orders/" + orderId);  // (no-op read)
  (void)created;
  // Make the intent exist as Stripe would have it after the lost answer.
  {
    std::map<std::string, std::string> headers = {{"Authorization", std::string("Bearer ") + kSecretKey},
                                                  {"Content-Type", "application/x-www-form-urlencoded"}};
    const std::string form = "amount=" + balance + "&currency=clp&confirm=true&metadata%5Bpayment_id%5D=" + paymentId;
    ASSERT_EQ(httpRequest(stripe_.provider().port(), "POST", "/v1/payment_intents", form, headers).status, 200);
  }
  execSql(databaseUrl_, "UPDATE payments SET next_sync_at_ms = 0 WHERE id = '" + paymentId + "'");
  ASSERT_TRUE(waitUntil(
      [&] {
        auto r = send(port_, alice, "GET", "/api/v1/orders/" + orderId);
        return r.status == 200 &&
               parseObject(r.body)->getObject("data")->getValue<std::string>("status") == "confirmed";
      },
      std::chrono::seconds(30)))
      << "reconciliation did not confirm the order";
  EXPECT_GE(stripe_.provider().count("GET", "/v1/payment_intents/search"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.succeeded'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE status = 'captured' AND next_sync_at_ms IS NULL"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE status = 'failed'"), 0) << "no second attempt was made";
  // A customer who paid in the browser while neither the webhook nor the return reached
  // us: reconciliation completes the flow and confirms the order.
  const std::string quiet = placeOrder(port_, alice, "v_mug", 1);
  const auto [quietPayment, quietIntent] = startSession(port_, alice, quiet);
  stripe_.pay(quietIntent);
  execSql(databaseUrl_, "UPDATE payments SET next_sync_at_ms = 0 WHERE id = '" + quietPayment + "'");
  EXPECT_TRUE(waitUntil(
      [&] {
        auto r = send(port_, alice, "GET", "/api/v1/orders/" + quiet);
        return r.status == 200 &&
               parseObject(r.body)->getObject("data")->getValue<std::string>("status") == "confirmed";
      },
      std::chrono::seconds(30)))
      << "reconciliation did not complete the browser payment";
  // The gateway token and the key went to Stripe only: not to the logs, not to the database.
  const std::string logs = service_->stdoutText() + service_->stderrText();
  EXPECT_EQ(logs.find("pm_card_visa"), std::string::npos);
  EXPECT_EQ(logs.find(kSecretKey), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE provider_data LIKE '%pm_card_visa%'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys WHERE response_body LIKE '%pm_card_visa%'"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PaymentWebhookTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// The bug most reported against open-source commerce engines: the provider's webhook and
// the customer's own confirmation arrive together for one payment, here at two service
// processes sharing one PostgreSQL. Every time: one confirmation, one set of events.
class PaymentRaceTest : public PaymentWebhookTest {};

TEST_P(PaymentRaceTest, WebhookAndCustomerConfirmationRacingOnTwoProcessesConfirmOnce) {
  // Every round comes from one address: velocity rules would hold the payments for review.
  expectData(send(port_, managerOf("m1"), "PUT", "/api/v1/fraud-rules", R"({"version":0,"rules":{"enabled":false}})"),
             200, "fraud rules off");
  auto second = startService(env_, makeTempDir("ordersvc_payment_race_b"));
  const int portB = second->httpPort();
  constexpr int kRounds = 12;
  std::vector<std::string> orders;
  for (int round = 0; round < kRounds; ++round) {
    // A customer per round: fraud rules' velocity limits are not the subject here.
    const Caller alice = customer("racer" + std::to_string(round));
    const std::string orderId = placeOrder(port_, alice, "v_mug", 1);
    const auto [paymentId, intentId] = startSession(port_, alice, orderId);
    stripe_.pay(intentId);
    const std::string event = succeededEvent("evt_race_" + std::to_string(round), stripe_.intentJson(intentId));
    std::atomic<bool> go{false};
    std::vector<std::thread> racers;
    std::vector<int> statuses(4, 0);
    racers.emplace_back([&, event] {
      while (!go) std::this_thread::yield();
      statuses[0] = deliver(port_, event).status;
    });
    racers.emplace_back([&, event] {
      while (!go) std::this_thread::yield();
      statuses[1] = deliver(portB, event).status;  // Stripe's retry landing on the other process
    });
    racers.emplace_back([&, orderId = orderId, paymentId = paymentId] {
      while (!go) std::this_thread::yield();
      statuses[2] =
          send(portB, alice, "POST", "/api/v1/orders/" + orderId + "/payments/" + paymentId + "/confirm", "").status;
    });
    racers.emplace_back([&, orderId = orderId, paymentId = paymentId] {
      while (!go) std::this_thread::yield();
      statuses[3] =
          send(port_, alice, "POST", "/api/v1/orders/" + orderId + "/payments/" + paymentId + "/confirm", "").status;
    });
    go = true;
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200, 200})) << "round " << round;
    orders.push_back(orderId);
  }
  for (const auto& orderId : orders) {
    auto order = expectData(send(port_, managerOf("m1"), "GET", "/api/v1/orders/" + orderId), 200, "read");
    EXPECT_EQ(order->getValue<std::string>("status"), "confirmed") << orderId;
    const std::string filter = "data LIKE '%" + orderId + "%'";
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.confirmed' AND " + filter), 1)
        << orderId;
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.succeeded' AND " + filter), 1)
        << orderId;
    EXPECT_EQ(count("SELECT COUNT(*) FROM order_timeline WHERE action = 'payment_succeeded' AND order_id = '" +
                    orderId + "'"),
              1);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_inbox"), kRounds);
  EXPECT_EQ(count("SELECT SUM(reserved) FROM stock_levels WHERE organization_id = 'demo'"), 0);
}

INSTANTIATE_TEST_SUITE_P(Postgres, PaymentRaceTest, ::testing::Values("postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ordersvc::testing
