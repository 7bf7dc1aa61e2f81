// The capture race with a gateway where the host captures: PayPal. After the customer
// approves at PayPal, CHECKOUT.ORDER.APPROVED (webhook, redelivered to the other process)
// and the customer's own return (confirm, on both processes) all ask the host to capture
// the same PayPal order at once. Two ordersvc processes on one PostgreSQL, the real PayPal
// plugin, a scripted PayPal on loopback that counts captures: exactly one capture, one
// confirmation, one set of events, every round.
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include <Poco/JSON/Object.h>

#include "commerce_test_support.h"
#include "scripted_provider.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;
using Poco::JSON::Object;

constexpr const char* kUsOrg = "shop_us";

// PayPal's Orders v2 as far as a checkout goes, with a count of captures per order.
class FakePayPal {
 public:
  FakePayPal() {
    provider_.setHandler([this](const ScriptedProvider::Request& r) { return answer(r); });
  }
  std::string baseUrl() const { return provider_.baseUrl(); }
  int captures(const std::string& orderId) {
    std::lock_guard lock(mutex_);
    return captures_[orderId];
  }

 private:
  ScriptedProvider::Reply answer(const ScriptedProvider::Request& r) {
    std::lock_guard lock(mutex_);
    if (r.path == "/v1/oauth2/token") {
      return {200, R"({"access_token":"A21AAtest","token_type":"Bearer","expires_in":32400})"};
    }
    if (r.path == "/v1/notifications/verify-webhook-signature") return {200, R"({"verification_status":"SUCCESS"})"};
    if (r.method == "POST" && r.path == "/v2/checkout/orders") {
      std::smatch value;
      std::regex_search(r.body, value, std::regex(R"re("value"\s*:\s*"([0-9.]+)")re"));
      const std::string id = "PP" + std::to_string(++orders_);
      amounts_[id] = value[1].str();
      return {200, R"({"id":")" + id +
                       R"(","intent":"CAPTURE","status":"PAYER_ACTION_REQUIRED","links":[)"
                       R"({"href":"https://www.sandbox.paypal.com/checkoutnow?token=)" +
                       id + R"(","rel":"payer-action","method":"GET"}]})"};
    }
    static const std::regex capture(R"(/v2/checkout/orders/([A-Z0-9]+)/capture)");
    std::smatch match;
    if (r.method == "POST" && std::regex_match(r.path, match, capture)) {
      const std::string id = match[1].str();
      if (++captures_[id] > 1) {
        return {422, R"({"name":"UNPROCESSABLE_ENTITY","details":[{"issue":"ORDER_ALREADY_CAPTURED"}],"message":"x"})"};
      }
      return {201, completed(id)};
    }
    static const std::regex read(R"(/v2/checkout/orders/([A-Z0-9]+))");
    if (r.method == "GET" && std::regex_match(r.path, match, read)) return {200, completed(match[1].str())};
    return {404, R"({"name":"RESOURCE_NOT_FOUND","message":"not in the fake"})"};
  }

  std::string completed(const std::string& id) {
    return R"({"id":")" + id +
           R"(","intent":"CAPTURE","status":"COMPLETED","purchase_units":[{"reference_id":"r",)"
           R"("payments":{"captures":[{"id":"CAP)" +
           id + R"(","status":"COMPLETED","amount":{"currency_code":"USD","value":")" + amounts_[id] +
           R"("},"final_capture":true}]}}]})";
  }

  ScriptedProvider provider_;
  std::mutex mutex_;
  int orders_ = 0;
  std::map<std::string, std::string> amounts_;
  std::map<std::string, int> captures_;
};

std::string isoNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

HttpResult approvedWebhook(int port, const std::string& eventId, const std::string& paypalOrder) {
  const std::string body = R"({"id":")" + eventId + R"(","event_type":"CHECKOUT.ORDER.APPROVED","create_time":")" +
                           isoNow() + R"(","resource_type":"checkout-order","resource":{"id":")" + paypalOrder +
                           R"(","intent":"CAPTURE","status":"APPROVED"}})";
  return httpRequest(port, "POST", std::string("/api/v1/webhooks/") + kUsOrg + "/paypal", body,
                     {{"Content-Type", "application/json"},
                      {"PAYPAL-AUTH-ALGO", "SHA256withRSA"},
                      {"PAYPAL-CERT-URL", "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-1"},
                      {"PAYPAL-TRANSMISSION-ID", "tx-" + eventId},
                      {"PAYPAL-TRANSMISSION-SIG", "c2lnbmF0dXJl"},
                      {"PAYPAL-TRANSMISSION-TIME", isoNow()}});
}

TEST(PaymentPayPalRaceTest, ApprovalWebhookAndCustomerReturnOnTwoProcessesCaptureOnce) {
  const std::string workDir = makeTempDir("ordersvc_paypal_race");
  std::string databaseUrl;
  auto env = demoServiceEnv("postgresql", workDir, databaseUrl);
  auto first = startService(env, workDir);
  const int portA = first->httpPort();
  FakePayPal paypal;

  // A shop that sells in dollars (PayPal takes no pesos): courier rates and prices in USD.
  expectData(send(portA, platformAdmin(), "POST", "/api/v1/organizations",
                  R"({"id":"shop_us","slug":"shop-us","name":"Shop US","country":"US","default_currency":"USD"})"),
             201, "create the US shop");
  expectData(
      send(
          portA, platformAdmin(), "PUT", "/api/v1/organizations/shop_us/plugins/courier",
          R"({"plugin_id":"local","version_range":"^1","config":{"origin_country":"US","services":[{"code":"standard","name":"Ground","estimated_days":{"min":2,"max":5}}],)"
          R"("zones":[{"name":"us","countries":["US"],"rates":{"standard":[{"max_weight_grams":20000,"price":{"value":500,"currency":"USD"}}]}}]}})"),
      200, "bind a courier");
  expectData(
      send(
          portA, platformAdmin(), "PUT", "/api/v1/organizations/shop_us/plugins/sales-tax",
          R"({"plugin_id":"rate-table","version_range":"^1","config":{"prices_include_tax":false,"rates":[{"country":"US","tax_class":"standard","rate_percent":"0","name":"None"}]}})"),
      200, "bind a tax table");
  expectData(
      send(
          portA, platformAdmin(), "PUT", "/api/v1/organizations/shop_us/plugins/paypal",
          std::string(
              R"({"plugin_id":"paypal","version_range":"^1","config":{"client_id":"AYtestclient","client_secret":"ELtestsecret",)") +
              R"("webhook_id":"8PT597110X687430LKGECATA","environment":"sandbox"},"base_url_override":")" +
              paypal.baseUrl() + R"("})"),
      200, "bind PayPal");
  const Caller manager = managerOf("um", kUsOrg);
  expectData(
      send(
          portA, manager, "PUT", "/api/v1/admin/products/p_cap",
          R"({"name":"Cap","tax_class":"standard","variants":[{"id":"v_cap","sku":"CAP-1","weight_grams":100,"prices":{"USD":1500}}]})"),
      200, "a product");
  expectData(send(portA, manager, "PUT", "/api/v1/admin/stock/v_cap/main", R"({"on_hand":1000})"), 200, "stock");
  expectData(send(portA, manager, "PUT", "/api/v1/fraud-rules", R"({"version":0,"rules":{"enabled":false}})"), 200,
             "fraud rules off (one address)");
  auto second = startService(env, makeTempDir("ordersvc_paypal_race_b"));
  const int portB = second->httpPort();

  constexpr int kRounds = 10;
  const char* kAddress = R"({"name":"Sam","line1":"1 Main St","city":"Austin","region":"TX","country":"US"})";
  for (int round = 0; round < kRounds; ++round) {
    const Caller buyer = customer("buyer" + std::to_string(round), kUsOrg);
    const CartRef cart = createCart(portA, buyer);
    addItem(portA, buyer, cart.id, "v_cap", 1);
    auto placed = expectData(
        send(portA, buyer, "POST", "/api/v1/orders/from-cart",
             R"({"cart_id":")" + cart.id + R"(","shipping_method":"standard","shipping_address":)" + kAddress + "}"),
        201, "checkout");
    const std::string orderId = placed->getValue<std::string>("order_id");
    const std::string total = placed->get("total").convert<std::string>();
    auto session = expectData(send(portA, buyer, "POST", "/api/v1/orders/" + orderId + "/payments",
                                   R"({"payment_method":"paypal","currency":"USD","amount":)" + total +
                                       R"(,"return_url":"https://shop.example/back"})"),
                              201, "PayPal session");
    const auto attempt = session->getObject("payment_attempt");
    ASSERT_EQ(attempt->getValue<std::string>("status"), "requires_action") << round;
    ASSERT_TRUE(session->has("next_action")) << "the approval link";
    const std::string paymentId = attempt->getValue<std::string>("id");
    const std::string paypalOrder = attempt->getValue<std::string>("provider_reference");

    // The customer approved at PayPal; now everything arrives at once.
    std::atomic<bool> go{false};
    std::vector<int> statuses(4, 0);
    std::vector<std::thread> racers;
    const std::string confirmPath = "/api/v1/orders/" + orderId + "/payments/" + paymentId + "/confirm";
    racers.emplace_back([&] {
      while (!go) std::this_thread::yield();
      statuses[0] = approvedWebhook(portA, "WH-" + paypalOrder, paypalOrder).status;
    });
    racers.emplace_back([&] {
      while (!go) std::this_thread::yield();
      statuses[1] = approvedWebhook(portB, "WH-" + paypalOrder, paypalOrder).status;
    });
    racers.emplace_back([&] {
      while (!go) std::this_thread::yield();
      statuses[2] = send(portB, buyer, "POST", confirmPath, "").status;
    });
    racers.emplace_back([&] {
      while (!go) std::this_thread::yield();
      statuses[3] = send(portA, buyer, "POST", confirmPath, "").status;
    });
    go = true;
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200, 200})) << "round " << round;

    EXPECT_EQ(paypal.captures(paypalOrder), 1) << "round " << round << ": captures at PayPal";
    // A confirmation that lost the race may still see the capture in flight: the order
    // settles once the winner's answer is recorded.
    ASSERT_TRUE(waitUntil(
        [&] {
          auto r = send(portA, buyer, "GET", "/api/v1/orders/" + orderId);
          return parseObject(r.body)->getObject("data")->getValue<std::string>("status") == "confirmed";
        },
        std::chrono::seconds(20)))
        << "round " << round;
    const std::string filter = " AND data LIKE '%" + orderId + "%'";
    EXPECT_EQ(
        queryInt(databaseUrl, "SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.succeeded'" + filter), 1);
    EXPECT_EQ(queryInt(databaseUrl, "SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.confirmed'" + filter),
              1);
  }
  EXPECT_EQ(queryInt(databaseUrl, "SELECT COUNT(*) FROM webhook_inbox WHERE organization_id = 'shop_us'"), kRounds);
  EXPECT_EQ(
      queryInt(databaseUrl, "SELECT COUNT(*) FROM payments WHERE organization_id = 'shop_us' AND status = 'captured'"),
      kRounds);
}

}  // namespace
}  // namespace ordersvc::testing
