// The order core through the real binary on SQLite and PostgreSQL: from an empty cart
// to a confirmed order, idempotency, concurrent checkouts, the state machine, cancel
// rules, checkout refusals and the background jobs (two processes on PostgreSQL).
#include <atomic>
#include <set>
#include <thread>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "platform/http/authenticator.h"
#include "platform/storage/database.h"
#include "service_process.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kJwtSecret = "test-secret-test-secret-test-secret-0123456789";
constexpr const char* kMasterKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
constexpr const char* kAddress =
    R"({"name":"Ana Pérez","line1":"Av. Providencia 1234","city":"Santiago","region":"RM","country":"CL"})";

Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
}
Object::Ptr data(const HttpResult& r) {
  return json(r.body)->getObject("data");
}

std::string bearer(const std::string& sub, const std::vector<std::string>& roles, const std::string& org = "demo") {
  api::Principal principal{sub, org, roles};
  return "Bearer " + api::Authenticator(kJwtSecret, "").issue(principal, std::chrono::hours(1));
}

class CommerceFlowTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    workDir_ = makeTempDir("ordersvc_commerce");
    env_ = {{"PLUGINS_DIR", ORDERSVC_BUNDLED_PLUGINS_DIR},
            {"JWT_SECRET", kJwtSecret},
            {"ORDERSVC_MASTER_KEY", kMasterKey},
            {"BOOTSTRAP_FILE", std::string(ORDERSVC_SOURCE_DIR) + "/config/bootstrap.json"},
            {"JOBS_INTERVAL_SECONDS", "0"},
            {"LOG_LEVEL", "warn"}};
    if (GetParam() == "postgresql") {
      databaseUrl_ = createPostgresDatabase("ordersvc_commerce");
      env_["DATABASE_URL"] = databaseUrl_;
    } else {
      databaseUrl_ = "sqlite://" + workDir_ + "data/ordersvc.db";
      env_["DATABASE_URL"] = databaseUrl_;
    }
    customer_ = bearer("alice", {"order.customer"});
    manager_ = bearer("mia", {"order.manager"});
    operator_ = bearer("olga", {"order.operator"});
  }

  std::unique_ptr<ServiceProcess> start(std::map<std::string, std::string> extra = {}) {
    ServiceProcess::Options options;
    options.env = env_;
    for (auto& [k, v] : extra) options.env[k] = v;
    options.workDir = workDir_;
    auto service = std::make_unique<ServiceProcess>(options);
    return service;
  }

  HttpResult call(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& auth = "", std::map<std::string, std::string> headers = {}) {
    if (!auth.empty()) headers["Authorization"] = auth;
    headers["Content-Type"] = "application/json";
    return httpRequest(service_->httpPort(), method, path, body, headers);
  }

  // A customer's cart with two lines and a shipping choice; returns its id.
  std::string cartWithTwoLines(const std::string& auth) {
    const auto created = call("POST", "/api/v1/carts", "{}", auth);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id = data(created)->getValue<std::string>("id");
    EXPECT_EQ(call("POST", "/api/v1/carts/" + id + "/items", R"({"variant_id":"v_tee_m","quantity":2})", auth).status,
              201);
    EXPECT_EQ(call("POST", "/api/v1/carts/" + id + "/items", R"({"variant_id":"v_mug","quantity":1})", auth).status,
              201);
    return id;
  }

  std::string checkoutBody(const std::string& cartId, const std::string& country = "CL") {
    std::string address = kAddress;
    if (country != "CL")
      address = R"({"name":"Juan","line1":"Calle 1","city":"Mendoza","country":")" + country + R"("})";
    return R"({"cart_id":")" + cartId +
           R"(","shipping_method":"standard","payment_method":"cash","shipping_address":)" + address + "}";
  }

  int64_t queryInt(const std::string& sql) {
    auto url = storage::DatabaseUrl::parse(databaseUrl_, 5);
    storage::registerDatabaseConnectors();
    Poco::Data::Session session(url->connector, url->connectionString);
    Poco::Data::Statement select(session);
    select << sql;
    select.execute();
    Poco::Data::RecordSet rows(select);
    return rows.value(0, 0).isEmpty() ? 0 : rows.value(0, 0).convert<Poco::Int64>();
  }

  void execSql(const std::string& sql) {
    auto url = storage::DatabaseUrl::parse(databaseUrl_, 5);
    storage::registerDatabaseConnectors();
    Poco::Data::Session session(url->connector, url->connectionString);
    session << sql, Poco::Data::Keywords::now;
  }

  int64_t reserved(const std::string& variant) {
    return queryInt("SELECT SUM(reserved) FROM stock_levels WHERE organization_id = 'demo' AND variant_id = '" +
                    variant + "'");
  }
  int64_t onHand(const std::string& variant) {
    return queryInt("SELECT SUM(on_hand) FROM stock_levels WHERE organization_id = 'demo' AND variant_id = '" +
                    variant + "'");
  }

  std::vector<std::string> eventTypes() {
    const auto events = call("GET", "/api/v1/events?limit=500", "", manager_);
    EXPECT_EQ(events.status, 200) << events.body;
    std::vector<std::string> types;
    const Array::Ptr list = data(events)->getArray("events");
    for (std::size_t i = 0; i < list->size(); ++i) types.push_back(list->getObject(i)->getValue<std::string>("type"));
    return types;
  }

  std::string workDir_;
  std::string databaseUrl_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<ServiceProcess> service_;
  std::string customer_, manager_, operator_;
};

TEST_P(CommerceFlowTest, FromAnEmptyGuestCartToAConfirmedOrder) {
  service_ = start();
  // The catalog of the demo organization is public to its shoppers.
  const auto products = call("GET", "/api/v1/products", "", "", {{"X-Organization-Id", "demo"}});
  ASSERT_EQ(products.status, 200) << products.body;
  EXPECT_EQ(data(products)->getArray("products")->size(), 3u);

  // A guest fills a cart, reached only with its token.
  const auto guest = call("POST", "/api/v1/carts", "{}", "", {{"X-Organization-Id", "demo"}});
  ASSERT_EQ(guest.status, 201) << guest.body;
  const std::string guestCart = data(guest)->getValue<std::string>("id");
  const std::string cartToken = data(guest)->getValue<std::string>("cart_token");
  const std::map<std::string, std::string> guestHeaders = {{"X-Organization-Id", "demo"}, {"X-Cart-Token", cartToken}};
  auto added = call("POST", "/api/v1/carts/" + guestCart + "/items", R"({"variant_id":"v_tee_m","quantity":2})", "",
                    guestHeaders);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(call("GET", "/api/v1/carts/" + guestCart, "", "", {{"X-Organization-Id", "demo"}}).status, 404);
  added =
      call("POST", "/api/v1/carts/" + guestCart + "/items", R"({"variant_id":"v_mug","quantity":1})", "", guestHeaders);
  ASSERT_EQ(added.status, 201);
  EXPECT_EQ(data(added)->getObject("totals")->getValue<int64_t>("subtotal"), 2 * 9990 + 6990);

  // Signing in merges the guest cart into the customer's.
  const auto merged =
      call("POST", "/api/v1/carts/" + guestCart + "/merge", "", customer_, {{"X-Cart-Token", cartToken}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  const std::string cartId = data(merged)->getValue<std::string>("id");
  EXPECT_EQ(data(merged)->getValue<std::string>("customer_id"), "alice");
  EXPECT_EQ(data(merged)->getValue<int64_t>("items_count"), 3);

  // Coupon, shipping and tax: CLP has no decimals; IVA is included in the prices.
  ASSERT_EQ(call("POST", "/api/v1/carts/" + cartId + "/coupons", R"({"code":"welcome10"})", customer_).status, 200);
  const auto priced =
      call("PATCH", "/api/v1/carts/" + cartId,
           std::string(R"({"shipping_method":"standard","shipping_address":)") + kAddress + "}", customer_);
  ASSERT_EQ(priced.status, 200) << priced.body;
  const Object::Ptr totals = data(priced)->getObject("totals");
  EXPECT_EQ(totals->getValue<int64_t>("subtotal"), 26970);
  EXPECT_EQ(totals->getValue<int64_t>("discount"), 2697);
  EXPECT_EQ(totals->getValue<int64_t>("shipping"), 2990);  // Santiago, 850 g
  EXPECT_TRUE(totals->getValue<bool>("prices_include_tax"));
  EXPECT_EQ(totals->getValue<int64_t>("total"), 26970 - 2697 + 2990);
  EXPECT_GT(totals->getValue<int64_t>("tax"), 0);

  // Checkout answers the description's shape and reserves the stock.
  const int64_t teeOnHand = onHand("v_tee_m");
  const auto placed = call("POST", "/api/v1/orders/from-cart", checkoutBody(cartId), customer_);
  ASSERT_EQ(placed.status, 201) << placed.body;
  const Object::Ptr order = data(placed);
  const std::string orderId = order->getValue<std::string>("order_id");
  EXPECT_EQ(order->getValue<std::string>("status"), "pending");
  EXPECT_EQ(order->getValue<std::string>("order_number").rfind("ORD-", 0), 0u);
  EXPECT_EQ(order->getValue<std::string>("order_number").size(), std::string("ORD-2026-000001").size());
  EXPECT_EQ(order->getValue<int64_t>("total"), 26970 - 2697 + 2990);
  EXPECT_EQ(order->getValue<int64_t>("items_count"), 3);
  EXPECT_TRUE(order->getValue<bool>("payment_required"));
  EXPECT_FALSE(order->getValue<std::string>("reservation_expires_at").empty());
  EXPECT_EQ(reserved("v_tee_m"), 2);
  EXPECT_EQ(data(call("GET", "/api/v1/carts/" + cartId, "", customer_))->getValue<std::string>("status"),
            "checked_out");

  // Paying the balance in cash confirms the order and turns the reservation into a sale.
  const auto paid =
      call("POST", "/api/v1/orders/" + orderId + "/payments",
           R"({"payment_method":"cash","amount":)" + std::to_string(26970 - 2697 + 2990) + R"(,"currency":"CLP"})",
           customer_);
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(data(paid)->getValue<std::string>("status"), "confirmed") << paid.body;
  EXPECT_EQ(reserved("v_tee_m"), 0);
  EXPECT_EQ(onHand("v_tee_m"), teeOnHand - 2);

  // The full order: customer, items, totals, payment, shipment, timeline with actors.
  const auto read = call("GET", "/api/v1/orders/" + orderId, "", customer_);
  ASSERT_EQ(read.status, 200) << read.body;
  const Object::Ptr full = data(read);
  EXPECT_EQ(full->getObject("customer")->getValue<std::string>("id"), "alice");
  EXPECT_EQ(full->getArray("items")->size(), 2u);
  EXPECT_EQ(full->getObject("payment")->getValue<std::string>("status"), "paid");
  EXPECT_EQ(full->getObject("payment")->getValue<int64_t>("balance_due"), 0);
  EXPECT_EQ(full->getObject("shipment")->getValue<std::string>("method"), "standard");
  const Array::Ptr timeline = full->getArray("timeline");
  std::vector<std::string> steps;
  for (std::size_t i = 0; i < timeline->size(); ++i)
    steps.push_back(timeline->getObject(i)->getValue<std::string>("to_status"));
  EXPECT_EQ(steps, (std::vector<std::string>{"pending", "payment_pending", "confirmed"}));
  EXPECT_EQ(timeline->getObject(0)->getValue<std::string>("actor"), "customer:alice");

  // Every change wrote its event in the same transaction.
  const auto types = eventTypes();
  const std::vector<std::string> expected = {"order.created", "order.payment_pending", "payment.pending",
                                             "payment.succeeded", "order.confirmed"};
  EXPECT_EQ(types, expected);

  // The customer's order list, with filters and a cursor.
  const auto listed = call("GET", "/api/v1/orders?status=confirmed&limit=1", "", customer_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(data(listed)->getArray("orders")->size(), 1u);
  EXPECT_EQ(data(call("GET", "/api/v1/orders?status=cancelled", "", customer_))->getArray("orders")->size(), 0u);
}

TEST_P(CommerceFlowTest, IdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody) {
  service_ = start();
  const std::string cartId = cartWithTwoLines(customer_);
  const std::string body = checkoutBody(cartId);
  const auto first = call("POST", "/api/v1/orders/from-cart", body, customer_, {{"Idempotency-Key", "chk-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  const auto again = call("POST", "/api/v1/orders/from-cart", body, customer_, {{"Idempotency-Key", "chk-1"}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers.at("idempotent-replayed"), "true");
  const auto other =
      call("POST", "/api/v1/orders/from-cart", checkoutBody(cartId, "PE"), customer_, {{"Idempotency-Key", "chk-1"}});
  EXPECT_EQ(other.status, 422) << other.body;
  // Without a key a second checkout of the cart is a conflict, not a second order.
  EXPECT_EQ(call("POST", "/api/v1/orders/from-cart", body, customer_).status, 409);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM orders"), 1);
}

TEST_P(CommerceFlowTest, ConcurrentCheckoutsOfOneCartMakeExactlyOneOrder) {
  service_ = start();
  const std::string cartId = cartWithTwoLines(customer_);
  std::atomic<int> created{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      const auto r = call("POST", "/api/v1/orders/from-cart", checkoutBody(cartId), customer_,
                          {{"Idempotency-Key", "race-" + std::to_string(i)}});
      if (r.status == 201)
        ++created;
      else if (r.status == 409)
        ++refused;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM orders"), 1);
  EXPECT_EQ(reserved("v_tee_m"), 2);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.created'"), 1);
}

TEST_P(CommerceFlowTest, TheStateMachineRefusesWhatIsNotAllowedAndOneConcurrentActionWins) {
  service_ = start();
  const auto placed = call("POST", "/api/v1/orders/from-cart", checkoutBody(cartWithTwoLines(customer_)), customer_);
  const std::string orderId = data(placed)->getValue<std::string>("order_id");
  // Pending orders cannot be shipped: 409 with the state and what is allowed.
  const auto refused = call("POST", "/api/v1/orders/" + orderId + "/actions/ship", "{}", operator_);
  ASSERT_EQ(refused.status, 409) << refused.body;
  const Object::Ptr details = json(refused.body)->getObject("error")->getObject("details");
  EXPECT_EQ(details->getValue<std::string>("current_status"), "pending");
  std::set<std::string> allowed;
  for (const auto& a : *details->getArray("allowed_actions")) allowed.insert(a.toString());
  EXPECT_EQ(allowed, (std::set<std::string>{"start_payment", "confirm_on_terms", "cancel"}));
  // Customers do not run fulfilment.
  EXPECT_EQ(call("POST", "/api/v1/orders/" + orderId + "/actions/start_processing", "{}", customer_).status, 403);

  const std::string total = std::to_string(data(placed)->getValue<int64_t>("total"));
  ASSERT_EQ(call("POST", "/api/v1/orders/" + orderId + "/payments",
                 R"({"payment_method":"cash","amount":)" + total + R"(,"currency":"CLP"})", customer_)
                .status,
            201);
  std::atomic<int> won{0}, lost{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      const auto r = call("POST", "/api/v1/orders/" + orderId + "/actions/start_processing", "{}", operator_);
      if (r.status == 200)
        ++won;
      else if (r.status == 409)
        ++lost;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), 5);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM order_timeline WHERE action = 'start_processing'"), 1);

  // Processing orders are cancelled only with a manager's approval.
  EXPECT_EQ(call("POST", "/api/v1/orders/" + orderId + "/cancel", "{}", operator_).status, 403);
  for (const char* step : {"mark_ready_to_ship", "ship", "deliver"}) {
    EXPECT_EQ(call("POST", "/api/v1/orders/" + orderId + "/actions/" + step, "{}", operator_).status, 200) << step;
  }
  const auto late = call("POST", "/api/v1/orders/" + orderId + "/cancel", "{}", manager_);
  EXPECT_EQ(late.status, 409);  // delivered orders go through returns
  EXPECT_EQ(call("POST", "/api/v1/orders/" + orderId + "/actions/request_return", "{}", customer_).status, 200);
}

TEST_P(CommerceFlowTest, CancellingReleasesStockAndRefundsWhatWasPaid) {
  service_ = start();
  // An unpaid order: cancel gives the stock and the coupon use back.
  std::string cartId = cartWithTwoLines(customer_);
  ASSERT_EQ(call("POST", "/api/v1/carts/" + cartId + "/coupons", R"({"code":"WELCOME10"})", customer_).status, 200);
  auto placed = call("POST", "/api/v1/orders/from-cart", checkoutBody(cartId), customer_);
  ASSERT_EQ(placed.status, 201) << placed.body;
  std::string orderId = data(placed)->getValue<std::string>("order_id");
  EXPECT_EQ(reserved("v_mug"), 1);
  EXPECT_EQ(queryInt("SELECT times_used FROM coupons WHERE code = 'WELCOME10'"), 1);
  auto cancelled = call("POST", "/api/v1/orders/" + orderId + "/cancel", R"({"reason":"changed my mind"})", customer_);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(data(cancelled)->getValue<std::string>("status"), "cancelled");
  EXPECT_EQ(reserved("v_mug"), 0);
  EXPECT_EQ(queryInt("SELECT times_used FROM coupons WHERE code = 'WELCOME10'"), 0);
  EXPECT_EQ(call("POST", "/api/v1/orders/" + orderId + "/cancel", "{}", customer_).status, 409);  // final

  // A paid order: cancel refunds through the cash plugin.
  cartId = cartWithTwoLines(customer_);
  placed = call("POST", "/api/v1/orders/from-cart", checkoutBody(cartId), customer_);
  orderId = data(placed)->getValue<std::string>("order_id");
  const int64_t total = data(placed)->getValue<int64_t>("total");
  ASSERT_EQ(call("POST", "/api/v1/orders/" + orderId + "/payments",
                 R"({"payment_method":"cash","amount":)" + std::to_string(total) + R"(,"currency":"CLP"})", customer_)
                .status,
            201);
  cancelled = call("POST", "/api/v1/orders/" + orderId + "/cancel", "{}", customer_);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  const Object::Ptr payment = data(cancelled)->getObject("payment");
  EXPECT_EQ(payment->getValue<std::string>("status"), "refunded") << cancelled.body;
  EXPECT_EQ(payment->getValue<int64_t>("refunded"), payment->getValue<int64_t>("paid"));
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.refunded'"), 1);
}

TEST_P(CommerceFlowTest, CheckoutRefusesWhatCannotBeSoldAndSaysWhy) {
  service_ = start({{"MIN_ORDER_AMOUNT", "5000"}});
  // No address on the cart and none in the request.
  const std::string noAddress = cartWithTwoLines(bearer("erin", {"order.customer"}));
  const auto unaddressed =
      call("POST", "/api/v1/orders/from-cart", R"({"cart_id":")" + noAddress + R"(","shipping_method":"standard"})",
           bearer("erin", {"order.customer"}));
  EXPECT_EQ(unaddressed.status, 400) << unaddressed.body;
  // The cart's own address serves when the request names none.
  ASSERT_EQ(call("PATCH", "/api/v1/carts/" + noAddress, std::string(R"({"shipping_address":)") + kAddress + "}",
                 bearer("erin", {"order.customer"}))
                .status,
            200);
  const auto fromCart =
      call("POST", "/api/v1/orders/from-cart", R"({"cart_id":")" + noAddress + R"(","shipping_method":"standard"})",
           bearer("erin", {"order.customer"}));
  EXPECT_EQ(fromCart.status, 201) << fromCart.body;
  // Empty cart.
  const auto empty = call("POST", "/api/v1/carts", "{}", bearer("bob", {"order.customer"}));
  const std::string emptyId = data(empty)->getValue<std::string>("id");
  EXPECT_EQ(call("POST", "/api/v1/orders/from-cart", checkoutBody(emptyId), bearer("bob", {"order.customer"})).status,
            422);

  // A destination the carrier does not serve.
  const std::string cartId = cartWithTwoLines(customer_);
  const auto abroad = call("POST", "/api/v1/orders/from-cart", checkoutBody(cartId, "AR"), customer_);
  ASSERT_EQ(abroad.status, 422) << abroad.body;
  EXPECT_NE(abroad.body.find("does not ship standard to AR"), std::string::npos) << abroad.body;

  // A catalog price change since the items were added.
  ASSERT_EQ(
      call(
          "PUT", "/api/v1/admin/products/p_mug",
          R"({"name":"Tazón cerámica","variants":[{"id":"v_mug","sku":"MUG-1","weight_grams":450,"prices":{"CLP":7490}}]})",
          manager_)
          .status,
      200);
  const auto changed = call("POST", "/api/v1/orders/from-cart", checkoutBody(cartId), customer_);
  ASSERT_EQ(changed.status, 422) << changed.body;
  EXPECT_NE(changed.body.find("MUG-1 from 6990 to 7490"), std::string::npos) << changed.body;

  // Not enough stock, named by SKU; nothing is reserved.
  const std::string carol = bearer("carol", {"order.customer"});
  const auto big = call("POST", "/api/v1/carts", "{}", carol);
  const std::string bigId = data(big)->getValue<std::string>("id");
  ASSERT_EQ(call("PUT", "/api/v1/admin/stock/v_coffee/santiago", R"({"on_hand":3})", manager_).status, 200);
  ASSERT_EQ(
      call("POST", "/api/v1/carts/" + bigId + "/items", R"({"variant_id":"v_coffee","quantity":5})", carol).status,
      201);
  const auto shortage = call("POST", "/api/v1/orders/from-cart", checkoutBody(bigId), carol);
  ASSERT_EQ(shortage.status, 422) << shortage.body;
  EXPECT_NE(shortage.body.find("COF-1KG (3 of 5 available)"), std::string::npos) << shortage.body;
  EXPECT_EQ(reserved("v_coffee"), 0);

  // Below MIN_ORDER_AMOUNT.
  const std::string dave = bearer("dave", {"order.customer"});
  const auto small = call("POST", "/api/v1/carts", "{}", dave);
  const std::string smallId = data(small)->getValue<std::string>("id");
  ASSERT_EQ(
      call("POST", "/api/v1/carts/" + smallId + "/items", R"({"variant_id":"v_coffee","quantity":1})", dave).status,
      201);
  ASSERT_EQ(
      call(
          "PUT", "/api/v1/admin/products/p_coffee",
          R"({"name":"Café","variants":[{"id":"v_coffee","sku":"COF-1KG","weight_grams":1000,"prices":{"CLP":1000}}]})",
          manager_)
          .status,
      200);
  ASSERT_EQ(call("DELETE",
                 "/api/v1/carts/" + smallId + "/items/" +
                     data(call("GET", "/api/v1/carts/" + smallId, "", dave))
                         ->getArray("items")
                         ->getObject(0)
                         ->getValue<std::string>("id"),
                 "", dave)
                .status,
            200);
  ASSERT_EQ(
      call("POST", "/api/v1/carts/" + smallId + "/items", R"({"variant_id":"v_coffee","quantity":1})", dave).status,
      201);
  const auto tiny = call(
      "POST", "/api/v1/orders/from-cart",
      R"({"cart_id":")" + smallId + R"(","shipping_method":"standard","shipping_address":)" + kAddress + "}", dave);
  ASSERT_EQ(tiny.status, 422) << tiny.body;
  EXPECT_NE(tiny.body.find("below the minimum"), std::string::npos) << tiny.body;
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM orders"), 1);  // erin's only
}

TEST_P(CommerceFlowTest, AbandonedCartsGetARecoveryTokenThatRestoresThem) {
  service_ = start({{"JOBS_INTERVAL_SECONDS", "1"}, {"ABANDONED_CART_HOURS", "1"}});
  const std::string cartId = cartWithTwoLines(customer_);
  execSql("UPDATE carts SET updated_at_ms = updated_at_ms - 7200000 WHERE id = '" + cartId + "'");
  std::string token;
  for (int i = 0; i < 200 && token.empty(); ++i) {
    const auto events = call("GET", "/api/v1/events?type=cart.abandoned", "", manager_);
    const Array::Ptr list = data(events)->getArray("events");
    if (list->size() > 0)
      token = list->getObject(0)->getObject("data")->getValue<std::string>("recovery_token");
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(token.empty()) << "no cart.abandoned event";
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'cart.abandoned'"), 1);  // once only
  const auto recovered = call("POST", "/api/v1/carts/recover", R"({"token":")" + token + R"("})", customer_);
  ASSERT_EQ(recovered.status, 200) << recovered.body;
  EXPECT_EQ(data(recovered)->getValue<std::string>("id"), cartId);
  EXPECT_EQ(data(recovered)->getValue<int64_t>("items_count"), 3);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'cart.recovered'"), 1);
  EXPECT_EQ(call("POST", "/api/v1/carts/recover", R"({"token":")" + token + R"("})", customer_).status, 404);  // used
}

TEST_P(CommerceFlowTest, AnOperatorPlacesAPhoneOrderForACustomerAndB2bWaitsForTerms) {
  service_ = start();
  // The operator builds a cart (a guest cart: its token is the key) and checks it out for carl.
  const auto created = call("POST", "/api/v1/carts", "{}", operator_);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string cartId = data(created)->getValue<std::string>("id");
  const std::string token = data(created)->getValue<std::string>("cart_token");
  ASSERT_EQ(
      call("POST", "/api/v1/carts/" + cartId + "/items", R"({"variant_id":"v_coffee","quantity":2})", operator_).status,
      201);
  const std::string phone = R"({"cart_id":")" + cartId +
                            R"(","order_type":"phone","shipping_method":"standard","shipping_address":)" + kAddress +
                            "}";
  EXPECT_EQ(call("POST", "/api/v1/orders/from-cart", phone, operator_).status, 400);  // needs customer_id
  std::string forCarl = phone;
  forCarl.insert(forCarl.size() - 1, R"(,"customer_id":"carl")");
  const auto placed = call("POST", "/api/v1/orders/from-cart", forCarl, operator_, {{"X-Cart-Token", token}});
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::string orderId = data(placed)->getValue<std::string>("order_id");
  const std::string carl = bearer("carl", {"order.customer"});
  const auto seen = call("GET", "/api/v1/orders/" + orderId, "", carl);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(data(seen)->getValue<std::string>("type"), "phone");
  EXPECT_EQ(data(seen)->getValue<std::string>("placed_by"), "operator:olga");
  EXPECT_EQ(call("GET", "/api/v1/orders/" + orderId, "", customer_).status, 404);  // alice does not see it

  // Customers cannot place pos or phone orders.
  const std::string own = cartWithTwoLines(customer_);
  EXPECT_EQ(call("POST", "/api/v1/orders/from-cart",
                 R"({"cart_id":")" + own + R"(","order_type":"pos","shipping_method":"standard","shipping_address":)" +
                     kAddress + "}",
                 customer_)
                .status,
            403);
  // A b2b order carries its purchase order and is confirmed on terms by a manager, unpaid.
  const auto b2b = call("POST", "/api/v1/orders/from-cart",
                        R"({"cart_id":")" + own +
                            R"(","order_type":"b2b","purchase_order_number":"PO-7781","buyer_tax_id":"76.123.456-7",)"
                            R"("net_terms_days":30,"shipping_method":"standard","shipping_address":)" +
                            kAddress + "}",
                        customer_);
  ASSERT_EQ(b2b.status, 201) << b2b.body;
  const std::string b2bId = data(b2b)->getValue<std::string>("order_id");
  EXPECT_EQ(call("POST", "/api/v1/orders/" + b2bId + "/actions/confirm_on_terms", "{}", operator_).status, 403);
  const auto confirmed = call("POST", "/api/v1/orders/" + b2bId + "/actions/confirm_on_terms", "{}", manager_);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(data(confirmed)->getValue<std::string>("status"), "confirmed");
  EXPECT_EQ(data(confirmed)->getObject("payment")->getValue<std::string>("status"), "unpaid");
  EXPECT_EQ(data(confirmed)->getObject("b2b")->getValue<std::string>("purchase_order_number"), "PO-7781");
  EXPECT_EQ(reserved("v_tee_m"), 0);  // the reservation became a sale
}

INSTANTIATE_TEST_SUITE_P(Backends, CommerceFlowTest, ::testing::Values("sqlite", "postgresql"));

// Background jobs with two processes on one PostgreSQL: an expired reservation cancels
// its order exactly once.
class CommerceJobsTest : public CommerceFlowTest {};

TEST_P(CommerceJobsTest, TwoProcessesCancelEachExpiredReservationOnce) {
  service_ = start();
  std::vector<std::string> orders;
  for (int i = 0; i < 5; ++i) {
    const std::string who = bearer("buyer" + std::to_string(i), {"order.customer"});
    const auto placed = call("POST", "/api/v1/orders/from-cart", checkoutBody(cartWithTwoLines(who)), who);
    ASSERT_EQ(placed.status, 201) << placed.body;
    orders.push_back(data(placed)->getValue<std::string>("order_id"));
  }
  EXPECT_EQ(reserved("v_tee_m"), 10);
  service_.reset();
  execSql("UPDATE orders SET reservation_expires_at_ms = 1000");
  ServiceProcess::Options options;
  options.env = env_;
  options.env["JOBS_INTERVAL_SECONDS"] = "1";
  options.workDir = workDir_;
  service_ = std::make_unique<ServiceProcess>(options);
  ServiceProcess::Options second = options;
  second.workDir = makeTempDir("ordersvc_commerce_second");
  ServiceProcess other(second);
  for (int i = 0; i < 300 && queryInt("SELECT COUNT(*) FROM orders WHERE status = 'cancelled'") < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM orders WHERE status = 'cancelled'"), 5);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM order_timeline WHERE action = 'cancel'"), 5);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.cancelled'"), 5);
  EXPECT_EQ(reserved("v_tee_m"), 0);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM order_timeline WHERE actor = 'system:reservation-expiry'"), 5);
}

TEST_P(CommerceJobsTest, TwoProcessesHandleStalePaymentFailuresAndAbandonedCartsOnce) {
  service_ = start();
  // A declined cash payment (not enough tendered) leaves the order payment_failed; a
  // retry is allowed until the timeout.
  std::vector<std::string> failed;
  for (int i = 0; i < 3; ++i) {
    const std::string who = bearer("payer" + std::to_string(i), {"order.customer"});
    const auto placed = call("POST", "/api/v1/orders/from-cart", checkoutBody(cartWithTwoLines(who)), who);
    ASSERT_EQ(placed.status, 201) << placed.body;
    const std::string orderId = data(placed)->getValue<std::string>("order_id");
    const std::string total = std::to_string(data(placed)->getValue<int64_t>("total"));
    const auto declined =
        call("POST", "/api/v1/orders/" + orderId + "/payments",
             R"({"payment_method":"cash","amount":)" + total + R"(,"amount_tendered":1000,"currency":"CLP"})", who);
    ASSERT_EQ(declined.status, 201) << declined.body;
    EXPECT_EQ(data(declined)->getValue<std::string>("status"), "payment_failed");
    EXPECT_NE(declined.body.find("less than"), std::string::npos) << declined.body;
    failed.push_back(orderId);
  }
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'payment.failed'"), 3);
  // Idle carts with items.
  for (int i = 0; i < 4; ++i) cartWithTwoLines(bearer("idle" + std::to_string(i), {"order.customer"}));
  service_.reset();
  execSql("UPDATE orders SET payment_failed_at_ms = 1000 WHERE status = 'payment_failed'");
  execSql("UPDATE carts SET updated_at_ms = 1000 WHERE status = 'active'");

  ServiceProcess::Options options;
  options.env = env_;
  options.env["JOBS_INTERVAL_SECONDS"] = "1";
  options.workDir = workDir_;
  service_ = std::make_unique<ServiceProcess>(options);
  ServiceProcess::Options second = options;
  second.workDir = makeTempDir("ordersvc_commerce_second");
  ServiceProcess other(second);
  for (int i = 0; i < 300; ++i) {
    if (queryInt("SELECT COUNT(*) FROM orders WHERE status = 'cancelled'") == 3 &&
        queryInt("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'cart.abandoned'") == 4) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));  // more rounds of both processes must change nothing
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM orders WHERE status = 'cancelled'"), 3);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM order_timeline WHERE actor = 'system:payment-timeout'"), 3);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'order.cancelled'"), 3);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'cart.abandoned'"), 4);
  EXPECT_EQ(queryInt("SELECT COUNT(*) FROM carts WHERE recovery_token_hash IS NOT NULL"), 4);
  EXPECT_EQ(reserved("v_tee_m"), 0);
}

INSTANTIATE_TEST_SUITE_P(Postgres, CommerceJobsTest, ::testing::Values("postgresql"));

}  // namespace
}  // namespace ordersvc::testing
