// Tenant and customer isolation on every commerce route, and the authentication and
// role checks in front of them, through the real binary on SQLite and PostgreSQL.
//
// Organization A is the demo of config/bootstrap.json; organization B ("shop_b") is
// created through the admin API with the same plugins, and both get a product with the
// same ids (p_sec / v_sec) through the catalog admin endpoints. Customer a1 of A owns a
// cart, an order and an address; a guest of A owns a cart; A has its own fraud rules. Then callers of B (customer,
// operator, manager, guest) and of A (customer a2, guests without or with another cart's
// token) try every route on those objects: each answer must be what the same request
// gets for an id that does not exist (404 for a caller allowed on the route), never the
// data, and afterwards every object reads as before.
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include "commerce_test_support.h"
#include "platform/http/authenticator.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kOrgB = "shop_b";

// The least a caller needs for a route (before any object is looked up).
enum class Access { Guest = 0, Customer = 1, Operator = 2, Manager = 3 };

// What a route does with the objects of others.
enum class Kind {
  ById,        // names an object by id (in the path or the body): others get 404
  ByToken,     // names an object by a secret token (cart recovery)
  Listing,     // lists the caller's own organization or own objects: nothing of A's in it
  CreatesOwn,  // creates or overwrites in the caller's own organization or account only
};

struct RouteCase {
  const char* method;
  const char* pattern;  // as the route table of the catalog, carts, checkout, orders, payments and fraud modules has it
  Access access;
  Kind kind;
  const char* body;  // "{name}" placeholders are filled from the ids of the target
};

constexpr const char* kMerge = "/api/v1/carts/{cart_id}/merge";
constexpr const char* kFromCart = "/api/v1/orders/from-cart";
constexpr const char* kActions = "/api/v1/orders/{order_id}/actions/{action}";

// Every route the catalog, carts, checkout, orders, payments and fraud modules serve: 33
// when this was written (1 catalog, 10 cart, 3 address, 5 order, 1 event, 5 catalog-admin,
// 6 payment and 2 fraud-rules routes). RouteTableListsEveryCommerceRoute reads the
// service's route table and fails when a route is added or removed without its case here. The provider webhook
// route takes no token (providers sign their requests): PaymentWebhookTest covers it.
const std::vector<RouteCase>& routeTable() {
  static const std::vector<RouteCase> table = {
      {"GET", "/api/v1/products", Access::Guest, Kind::Listing, ""},
      {"POST", "/api/v1/carts", Access::Guest, Kind::CreatesOwn, "{}"},
      {"GET", "/api/v1/carts/{cart_id}", Access::Guest, Kind::ById, ""},
      {"PATCH", "/api/v1/carts/{cart_id}", Access::Guest, Kind::ById, R"({"email":"intruder@example.com"})"},
      {"POST", "/api/v1/carts/{cart_id}/items", Access::Guest, Kind::ById, R"({"variant_id":"v_sec","quantity":1})"},
      {"PATCH", "/api/v1/carts/{cart_id}/items/{item_id}", Access::Guest, Kind::ById, R"({"quantity":7})"},
      {"DELETE", "/api/v1/carts/{cart_id}/items/{item_id}", Access::Guest, Kind::ById, ""},
      {"POST", "/api/v1/carts/{cart_id}/coupons", Access::Guest, Kind::ById, R"({"code":"WELCOME10"})"},
      {"DELETE", "/api/v1/carts/{cart_id}/coupons", Access::Guest, Kind::ById, ""},
      {"POST", kMerge, Access::Customer, Kind::ById, ""},
      {"POST", "/api/v1/carts/recover", Access::Guest, Kind::ByToken, R"({"token":"{recovery_token}"})"},
      {"GET", "/api/v1/addresses", Access::Customer, Kind::Listing, ""},
      {"POST", "/api/v1/addresses", Access::Customer, Kind::CreatesOwn, kSantiago},
      {"DELETE", "/api/v1/addresses/{address_id}", Access::Customer, Kind::ById, ""},
      {"POST", kFromCart, Access::Customer, Kind::ById,
       R"({"cart_id":"{cart_id}","shipping_method":"standard","shipping_address":{"name":"X","line1":"Y 1","city":"Santiago","region":"RM","country":"CL"}})"},
      {"GET", "/api/v1/orders", Access::Customer, Kind::Listing, ""},
      {"GET", "/api/v1/orders/{order_id}", Access::Customer, Kind::ById, ""},
      {"POST", "/api/v1/orders/{order_id}/cancel", Access::Customer, Kind::ById, R"({"reason":"intruder"})"},
      {"POST", "/api/v1/orders/{order_id}/payments", Access::Customer, Kind::ById,
       R"({"payment_method":"cash","currency":"CLP","amount":{amount}})"},
      {"POST", "/api/v1/orders/{order_id}/payments/{payment_id}/confirm", Access::Customer, Kind::ById, ""},
      {"POST", "/api/v1/orders/{order_id}/payments/{payment_id}/capture", Access::Operator, Kind::ById,
       R"({"currency":"CLP","amount":1})"},
      {"POST", "/api/v1/orders/{order_id}/payments/{payment_id}/approve", Access::Operator, Kind::ById, ""},
      {"POST", "/api/v1/orders/{order_id}/payments/{payment_id}/reject", Access::Operator, Kind::ById,
       R"({"reason":"intruder"})"},
      {"POST", "/api/v1/orders/{order_id}/refunds", Access::Manager, Kind::ById,
       R"({"reason":"intruder","currency":"CLP","amount":1})"},
      // {action} is one the caller's role may take (actionFor), so only the lookup can refuse.
      {"POST", kActions, Access::Customer, Kind::ById, R"({"note":"intruder"})"},
      {"GET", "/api/v1/events", Access::Manager, Kind::Listing, ""},
      {"PUT", "/api/v1/admin/products/{product_id}", Access::Manager, Kind::CreatesOwn,
       R"({"name":"Intruder tee","variants":[{"id":"v_tee_m","sku":"TEE-M","prices":{"CLP":1}}]})"},
      {"PUT", "/api/v1/admin/stock/{variant_id}/{warehouse_id}", Access::Manager, Kind::ById, R"({"on_hand":0})"},
      {"GET", "/api/v1/admin/coupons", Access::Manager, Kind::Listing, ""},
      {"PUT", "/api/v1/admin/coupons/{code}", Access::Manager, Kind::CreatesOwn,
       R"({"kind":"percentage","percent":90})"},
      {"DELETE", "/api/v1/admin/coupons/{code}", Access::Manager, Kind::ById, ""},
      // The caller's organization's own rules: no id names another's.
      {"GET", "/api/v1/fraud-rules", Access::Manager, Kind::Listing, ""},
      {"PUT", "/api/v1/fraud-rules", Access::Manager, Kind::CreatesOwn,
       R"({"version":0,"rules":{"country_mismatch":"allow"}})"},
  };
  return table;
}

using Ids = std::map<std::string, std::string>;

std::string fill(std::string text, const Ids& ids) {
  for (const auto& [name, value] : ids) {
    const std::string placeholder = "{" + name + "}";
    for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

// An order action the caller's role may take, so that only the order lookup can refuse it.
std::string actionFor(const Caller& caller) {
  return caller.rank >= 3 ? "confirm_on_terms" : caller.rank == 2 ? "start_processing" : "request_return";
}

HttpResult hit(int port, const RouteCase& route, const Caller& caller, Ids ids) {
  ids["action"] = actionFor(caller);
  return send(port, caller, route.method, fill(route.pattern, ids), fill(route.body, ids));
}

std::string what(const RouteCase& route, const Caller& caller, const std::string& target) {
  return std::string(route.method) + " " + route.pattern + " as " + caller.label + " on " + target;
}

// How the route turns the caller away before looking at any object: 401 for a guest on a
// route that needs a token, 403 for a role too low; 0 when the caller may use it.
int refusal(const RouteCase& route, const Caller& caller) {
  if (caller.rank == 0 && route.access != Access::Guest) return 401;
  if (caller.rank < static_cast<int>(route.access)) return 403;
  return 0;
}

// What a caller gets for an object it may not see: the refusal, else 404 (staff cannot
// merge a guest cart at all: 400 whatever the id).
int expectedForOthersObject(const RouteCase& route, const Caller& caller) {
  if (const int refused = refusal(route, caller)) return refused;
  if (std::string(route.pattern) == kMerge && caller.staff) return 400;
  return 404;
}

struct Intruder {
  Caller caller;
  bool sameOrganization;  // of A: may see A's catalog and coupons, never a1's or the guest's objects
};

// What organization A looks like to its owners; compared before and after the attempts.
struct Snapshot {
  std::string cart, guestCart, order, addresses, products, coupons, events, fraudRules;
  int64_t teeOnHand = 0, teeReserved = 0, secOnHand = 0, secReserved = 0;
};

class CommerceSecurityTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    workDir_ = makeTempDir("ordersvc_commerce_security");
    auto env = demoServiceEnv(GetParam(), workDir_, databaseUrl_);
    env["JOBS_INTERVAL_SECONDS"] = "1";  // marks the aged guest cart abandoned (recovery token)
    service_ = startService(env, workDir_);
    port_ = service_->httpPort();
    createOrganizationB();
    seedCatalogs();
    buildOrganizationA();
  }

  void createOrganizationB() {
    expectData(send(port_, platformAdmin(), "POST", "/api/v1/organizations",
                    R"({"id":"shop_b","slug":"shop-b","name":"Shop B","country":"CL","default_currency":"CLP"})"),
               201, "create organization B");
    // The same plugin instances as the demo organization, from the repo's bootstrap file.
    std::ifstream in(ORDERSVC_SOURCE_DIR "/config/bootstrap.json");
    std::stringstream text;
    text << in.rdbuf();
    auto plugins = parseObject(text.str())->getArray("organizations")->getObject(0)->getArray("plugins");
    ASSERT_GE(plugins->size(), 3u);
    for (std::size_t i = 0; i < plugins->size(); ++i) {
      auto plugin = plugins->getObject(static_cast<unsigned>(i));
      Object::Ptr binding = new Object;
      binding->set("plugin_id", plugin->get("plugin_id"));
      binding->set("version_range", plugin->get("version_range"));
      binding->set("config", plugin->get("config"));
      std::ostringstream body;
      binding->stringify(body);
      const std::string instance = plugin->getValue<std::string>("instance_id");
      expectData(send(port_, platformAdmin(), "PUT", "/api/v1/organizations/shop_b/plugins/" + instance, body.str()),
                 200, "bind " + instance + " to organization B");
    }
  }

  // The same product and variant ids in both organizations, at different prices.
  void seedCatalogs() {
    for (const auto& [manager, price, stock] :
         {std::tuple{managerOf("am"), "5000", "40"}, std::tuple{managerOf("bm", kOrgB), "7000", "9"}}) {
      expectData(
          send(port_, manager, "PUT", "/api/v1/admin/products/p_sec",
               std::string(R"({"name":"Security tee","variants":[{"id":"v_sec","sku":"SEC-1","weight_grams":150,)") +
                   R"("prices":{"CLP":)" + price + "}}]}"),
          200, manager.label + " puts p_sec");
      expectData(send(port_, manager, "PUT", "/api/v1/admin/stock/v_sec/santiago",
                      std::string(R"({"on_hand":)") + stock + "}"),
                 200, manager.label + " stocks v_sec");
    }
    expectData(send(port_, managerOf("bm", kOrgB), "PUT", "/api/v1/admin/coupons/BONUS5",
                    R"({"kind":"percentage","percent":5})"),
               200, "coupon of organization B");
  }

  void buildOrganizationA() {
    const Caller a1 = customer("a1");
    // A threshold no other organization has: a listing that shows it leaks A's rules.
    expectData(send(port_, managerOf("am"), "PUT", "/api/v1/fraud-rules",
                    R"({"version":0,"rules":{"amount_thresholds":{"CLP":{"review_above":7777777}}}})"),
               200, "A's fraud rules");
    address_ = expectData(send(port_, a1, "POST", "/api/v1/addresses", kSantiago), 201, "a1 saves an address")
                   ->getValue<std::string>("id");
    // An unpaid order, placed with the saved address.
    orderCart_ = createCart(port_, a1).id;
    addItem(port_, a1, orderCart_, "v_sec", 2);
    auto placed = expectData(send(port_, a1, "POST", "/api/v1/orders/from-cart",
                                  R"({"cart_id":")" + orderCart_ +
                                      R"(","shipping_method":"standard","shipping_address_id":")" + address_ + R"("})"),
                             201, "a1 checks out");
    order_ = placed->getValue<std::string>("order_id");
    orderTotal_ = placed->get("total").convert<std::string>();
    // Part of it paid in cash (split tender): the order has a payment to name.
    payment_ = expectData(send(port_, a1, "POST", "/api/v1/orders/" + order_ + "/payments",
                               R"({"payment_method":"cash","currency":"CLP","amount":1000})"),
                          201, "a1 pays part of the order")
                   ->getObject("payment_attempt")
                   ->getValue<std::string>("id");
    // An active cart with two lines, a coupon and shipping.
    cart_ = createCart(port_, a1).id;
    ASSERT_NE(cart_, orderCart_);
    addItem(port_, a1, cart_, "v_sec", 1);
    auto lines = addItem(port_, a1, cart_, "v_tee_m", 1)->getArray("items");
    item_ = lines->getObject(0)->getValue<std::string>("id");
    expectData(send(port_, a1, "POST", "/api/v1/carts/" + cart_ + "/coupons", R"({"code":"WELCOME10"})"), 200,
               "a1's coupon");
    expectData(send(port_, a1, "PATCH", "/api/v1/carts/" + cart_,
                    std::string(R"({"shipping_method":"standard","shipping_address":)") + kSantiago + "}"),
               200, "a1's shipping");
    // Guest carts: one with a line, one empty (its token is someone else's), one abandoned.
    guestCart_ = createCart(port_, guest(kDemoOrg));
    guestItem_ = addItem(port_, guest(kDemoOrg, guestCart_.token), guestCart_.id, "v_mug", 1)
                     ->getArray("items")
                     ->getObject(0)
                     ->getValue<std::string>("id");
    otherGuestCart_ = createCart(port_, guest(kDemoOrg));
    abandonedCart_ = createCart(port_, guest(kDemoOrg));
    addItem(port_, guest(kDemoOrg, abandonedCart_.token), abandonedCart_.id, "v_coffee", 1);
    // Two days idle: the abandoned-cart job (every second here) issues a recovery token
    // and announces it in cart.abandoned.
    execSql(databaseUrl_,
            "UPDATE carts SET updated_at_ms = updated_at_ms - 172800000 WHERE organization_id = 'demo' "
            "AND id = '" +
                abandonedCart_.id + "'");
    ASSERT_TRUE(waitUntil([&] {
      auto r = send(port_, managerOf("am"), "GET", "/api/v1/events?type=cart.abandoned");
      if (r.status != 200) return false;
      auto events = parseObject(r.body)->getObject("data")->getArray("events");
      for (std::size_t i = 0; i < events->size(); ++i) {
        auto data = events->getObject(static_cast<unsigned>(i))->getObject("data");
        if (data->getValue<std::string>("cart_id") == abandonedCart_.id) {
          recoveryToken_ = data->getValue<std::string>("recovery_token");
          return true;
        }
      }
      return false;
    })) << "no cart.abandoned event for "
        << abandonedCart_.id;
  }

  Ids customerIds() const {
    return {{"cart_id", cart_},           {"item_id", item_},
            {"order_id", order_},         {"address_id", address_},
            {"product_id", "p_tee"},      {"variant_id", "v_tee_m"},
            {"warehouse_id", "santiago"}, {"code", "WELCOME10"},
            {"amount", orderTotal_},      {"recovery_token", recoveryToken_},
            {"payment_id", payment_}};
  }
  Ids guestIds() const {
    Ids ids = customerIds();
    ids["cart_id"] = guestCart_.id;
    ids["item_id"] = guestItem_;
    return ids;
  }
  // Ids of nothing, with the same shapes.
  static Ids unknownIds(const Ids& like) {
    Ids ids = like;
    ids["cart_id"] = "cart_doesnotexist00000000000000";
    ids["item_id"] = "ci_doesnotexist0000000000000000";
    ids["order_id"] = "ord_doesnotexist000000000000000";
    ids["payment_id"] = "pay_doesnotexist000000000000000";
    ids["address_id"] = "addr_doesnotexist00000000000000";
    ids["variant_id"] = "v_does_not_exist";
    ids["code"] = "NOSUCHCODE";
    ids["recovery_token"] = "not-a-recovery-token-at-all-000000000000000000000";
    return ids;
  }

  Snapshot snapshot() {
    const Caller a1 = customer("a1");
    const Caller manager = managerOf("am");
    auto read = [&](const Caller& caller, const std::string& path) {
      auto r = send(port_, caller, "GET", path);
      EXPECT_EQ(r.status, 200) << path << ": " << r.body;
      return r.body;
    };
    Snapshot s;
    s.cart = read(a1, "/api/v1/carts/" + cart_);
    s.guestCart = read(guest(kDemoOrg, guestCart_.token), "/api/v1/carts/" + guestCart_.id);
    s.order = read(a1, "/api/v1/orders/" + order_);
    s.addresses = read(a1, "/api/v1/addresses");
    s.products = read(a1, "/api/v1/products");
    s.coupons = read(manager, "/api/v1/admin/coupons");
    s.events = read(manager, "/api/v1/events?limit=500");
    s.fraudRules = read(manager, "/api/v1/fraud-rules");
    const std::string stock =
        "SELECT {c} FROM stock_levels WHERE organization_id = 'demo' AND warehouse_id = 'santiago' "
        "AND variant_id = ";
    s.teeOnHand = queryInt(databaseUrl_, fill(stock, {{"c", "on_hand"}}) + "'v_tee_m'");
    s.teeReserved = queryInt(databaseUrl_, fill(stock, {{"c", "reserved"}}) + "'v_tee_m'");
    s.secOnHand = queryInt(databaseUrl_, fill(stock, {{"c", "on_hand"}}) + "'v_sec'");
    s.secReserved = queryInt(databaseUrl_, fill(stock, {{"c", "reserved"}}) + "'v_sec'");
    return s;
  }

  static void expectSame(const Snapshot& before, const Snapshot& after) {
    EXPECT_EQ(after.cart, before.cart) << "a1's cart changed";
    EXPECT_EQ(after.guestCart, before.guestCart) << "the guest's cart changed";
    EXPECT_EQ(after.order, before.order) << "a1's order changed";
    EXPECT_EQ(after.addresses, before.addresses) << "a1's addresses changed";
    EXPECT_EQ(after.products, before.products) << "A's catalog changed";
    EXPECT_EQ(after.coupons, before.coupons) << "A's coupons changed";
    EXPECT_EQ(after.events, before.events) << "A's outbox changed";
    EXPECT_EQ(after.fraudRules, before.fraudRules) << "A's fraud rules changed";
    EXPECT_EQ(after.teeOnHand, before.teeOnHand);
    EXPECT_EQ(after.teeReserved, before.teeReserved);
    EXPECT_EQ(after.secOnHand, before.secOnHand);
    EXPECT_EQ(after.secReserved, before.secReserved);
  }

  std::string workDir_;
  std::string databaseUrl_;
  std::unique_ptr<ServiceProcess> service_;
  int port_ = 0;
  std::string address_, orderCart_, order_, orderTotal_, cart_, item_, guestItem_, recoveryToken_;
  CartRef guestCart_, otherGuestCart_, abandonedCart_;
  std::string payment_;
};

TEST_P(CommerceSecurityTest, NoCallerReachesAnotherTenantsOrCustomersObjects) {
  const Snapshot before = snapshot();
  ASSERT_GT(before.secReserved, 0) << "a1's order reserves v_sec";
  const std::vector<Intruder> intruders = {
      // Holds the guest cart's token, but belongs to organization B.
      {customer("b1", kOrgB).withCartToken(guestCart_.token), false},
      {operatorOf("bo", kOrgB), false},
      {managerOf("bm", kOrgB), false},
      {guest(kOrgB, guestCart_.token), false},
      // Plain "customer" is the same role as "order.customer".
      {Caller{"customer a2@demo", bearer("a2", kDemoOrg, {"customer"}), "", "", false, 1}, true},
      {guest(kDemoOrg), true},
      {guest(kDemoOrg, otherGuestCart_.token), true},
  };
  struct Target {
    std::string name;
    Ids ids;
    bool cartOnly;  // the guest owns a cart and nothing else
  };
  const std::vector<Target> targets = {{"a1's objects", customerIds(), false}, {"the guest's cart", guestIds(), true}};
  // Strings that name A's private objects, and (for other organizations) A's catalog.
  const std::vector<std::string> privateMarks = {
      order_, address_, cart_, orderCart_, guestCart_.id, otherGuestCart_.id, abandonedCart_.id, payment_};
  const std::vector<std::string> tenantMarks = {"WELCOME10", "p_tee", "v_tee_m", "\"demo\"", "7777777"};

  // By id first: the CreatesOwn cases later put p_tee and WELCOME10 into organization B.
  for (const auto& route : routeTable()) {
    if (route.kind != Kind::ById) continue;
    for (const auto& target : targets) {
      const std::string pattern = route.pattern;
      const bool aboutCarts = pattern.find("{cart_id}") != std::string::npos || pattern == kFromCart;
      if (target.cartOnly && !aboutCarts) continue;
      for (const auto& intruder : intruders) {
        const auto answer = hit(port_, route, intruder.caller, target.ids);
        const auto nothing = hit(port_, route, intruder.caller, unknownIds(target.ids));
        const std::string context = what(route, intruder.caller, target.name);
        EXPECT_EQ(answer.status, expectedForOthersObject(route, intruder.caller)) << context << ": " << answer.body;
        EXPECT_EQ(answer.status, nothing.status) << context << " differs from an unknown id: " << nothing.body;
        EXPECT_EQ(errorCode(answer), errorCode(nothing)) << context;
        EXPECT_EQ(answer.body.find("\"status\":\"success\""), std::string::npos) << context;
      }
    }
  }
  // A saved address is named in a checkout body too: not another customer's.
  for (const Caller& other : {customer("a2"), customer("b1", kOrgB)}) {
    const CartRef own = createCart(port_, other);
    addItem(port_, other, own.id, "v_sec", 1);
    const auto answer = send(
        port_, other, "POST", "/api/v1/orders/from-cart",
        R"({"cart_id":")" + own.id + R"(","shipping_method":"standard","shipping_address_id":")" + address_ + R"("})");
    EXPECT_EQ(answer.status, 404) << other.label << " checks out with a1's address: " << answer.body;
  }

  for (const auto& route : routeTable()) {
    if (route.kind != Kind::ByToken) continue;
    // Inside A the recovery token is the proof of ownership (it is mailed to the owner);
    // from another organization it names nothing.
    for (const auto& intruder : intruders) {
      if (intruder.sameOrganization) continue;
      const auto answer = hit(port_, route, intruder.caller, customerIds());
      const auto nothing = hit(port_, route, intruder.caller, unknownIds(customerIds()));
      const std::string context = what(route, intruder.caller, "a1's recovery token");
      EXPECT_EQ(answer.status, 404) << context << ": " << answer.body;
      EXPECT_EQ(answer.status, nothing.status) << context;
    }
  }

  for (const auto& route : routeTable()) {
    if (route.kind != Kind::Listing) continue;
    for (const auto& intruder : intruders) {
      const auto answer = hit(port_, route, intruder.caller, customerIds());
      const std::string context = what(route, intruder.caller, "its own listing");
      if (const int refused = refusal(route, intruder.caller)) {
        EXPECT_EQ(answer.status, refused) << context << ": " << answer.body;
        continue;
      }
      EXPECT_EQ(answer.status, 200) << context << ": " << answer.body;
      for (const auto& mark : privateMarks) {
        EXPECT_EQ(answer.body.find(mark), std::string::npos) << context << " shows " << mark << ": " << answer.body;
      }
      if (intruder.sameOrganization) continue;
      for (const auto& mark : tenantMarks) {
        EXPECT_EQ(answer.body.find(mark), std::string::npos) << context << " shows " << mark << ": " << answer.body;
      }
    }
  }

  for (const auto& route : routeTable()) {
    if (route.kind != Kind::CreatesOwn) continue;
    for (const auto& intruder : intruders) {
      const auto answer = hit(port_, route, intruder.caller, customerIds());
      const std::string context = what(route, intruder.caller, "its own organization");
      if (const int refused = refusal(route, intruder.caller)) {
        EXPECT_EQ(answer.status, refused) << context << ": " << answer.body;
        continue;
      }
      EXPECT_TRUE(answer.status == 200 || answer.status == 201) << context << ": " << answer.body;
      for (const auto& mark : privateMarks) {
        EXPECT_EQ(answer.body.find(mark), std::string::npos) << context << " returns " << mark << ": " << answer.body;
      }
    }
  }
  // Organization B now has its own p_tee and WELCOME10; its catalog shows its prices only.
  const auto productsOfB = send(port_, customer("b1", kOrgB), "GET", "/api/v1/products");
  EXPECT_NE(productsOfB.body.find("\"CLP\":7000"), std::string::npos) << productsOfB.body;
  EXPECT_EQ(productsOfB.body.find("\"CLP\":5000"), std::string::npos) << productsOfB.body;

  expectSame(before, snapshot());

  // The same ids still work for their owners, so every 404 above was the access check.
  const Caller a1 = customer("a1");
  EXPECT_EQ(send(port_, a1, "PATCH", "/api/v1/carts/" + cart_ + "/items/" + item_, R"({"quantity":2})").status, 200);
  EXPECT_EQ(send(port_, guest(kDemoOrg, guestCart_.token), "DELETE",
                 "/api/v1/carts/" + guestCart_.id + "/items/" + guestItem_)
                .status,
            200);
  const auto cancelled =
      send(port_, a1, "POST", "/api/v1/orders/" + order_ + "/cancel", R"({"reason":"changed my mind"})");
  EXPECT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_NE(cancelled.body.find("\"status\":\"cancelled\""), std::string::npos) << cancelled.body;
  EXPECT_EQ(send(port_, a1, "DELETE", "/api/v1/addresses/" + address_).status, 200);
  const auto recovered =
      send(port_, guest(kDemoOrg), "POST", "/api/v1/carts/recover", R"({"token":")" + recoveryToken_ + R"("})");
  EXPECT_EQ(recovered.status, 200) << recovered.body;
  EXPECT_EQ(send(port_, managerOf("am"), "DELETE", "/api/v1/admin/coupons/WELCOME10").status, 200);
}

TEST_P(CommerceSecurityTest, TokensAndRolesAreCheckedBeforeAnyObjectIsLookedUp) {
  const Snapshot before = snapshot();
  const Caller nobody{"nobody", "", "", "", false, 0};
  const std::string foreignSecret = "Bearer " + api::Authenticator("another-secret-another-secret-0123456789", "")
                                                    .issue({"a1", kDemoOrg, {"order.admin"}}, std::chrono::hours(1));
  const Caller forged{"a token signed with another secret", foreignSecret, "", "", true, 3};
  const Caller a1 = customer("a1");
  const Caller op = operatorOf("ao");
  const Ids ids = customerIds();

  for (const auto& route : routeTable()) {
    const std::string path = fill(route.pattern, Ids(ids));
    auto noToken = hit(port_, route, nobody, ids);
    if (route.access == Access::Guest) {
      // A guest is welcome but must name the shop.
      EXPECT_EQ(noToken.status, 400) << what(route, nobody, path) << ": " << noToken.body;
    } else {
      EXPECT_EQ(noToken.status, 401) << what(route, nobody, path) << ": " << noToken.body;
      EXPECT_EQ(noToken.headers["www-authenticate"], "Bearer") << what(route, nobody, path);
      EXPECT_EQ(errorCode(noToken), "UNAUTHENTICATED");
    }
    if (route.access != Access::Guest) {
      const auto guestAnswer = hit(port_, route, guest(kDemoOrg), ids);
      EXPECT_EQ(guestAnswer.status, 401) << what(route, guest(kDemoOrg), path) << ": " << guestAnswer.body;
    }

    auto bad = hit(port_, route, forged, ids);
    EXPECT_EQ(bad.status, 401) << what(route, forged, path) << ": " << bad.body;
    EXPECT_EQ(bad.headers["www-authenticate"], "Bearer") << what(route, forged, path);

    for (const Caller& caller : {a1, op}) {
      if (caller.rank >= static_cast<int>(route.access)) continue;
      auto denied = hit(port_, route, caller, ids);
      EXPECT_EQ(denied.status, 403) << what(route, caller, path) << ": " << denied.body;
      EXPECT_EQ(errorCode(denied), "PERMISSION_DENIED") << what(route, caller, path);
      EXPECT_EQ(denied.headers.count("www-authenticate"), 0u) << what(route, caller, path);
    }
  }
  // Order actions need the role of the action: fulfilment is staff work, confirming on
  // payment terms a manager's.
  for (const auto& [caller, action] : {std::pair{a1, "start_processing"}, std::pair{a1, "ship"},
                                       std::pair{a1, "confirm_on_terms"}, std::pair{op, "confirm_on_terms"}}) {
    auto denied = send(port_, caller, "POST", "/api/v1/orders/" + order_ + "/actions/" + action, "{}");
    EXPECT_EQ(denied.status, 403) << caller.label << " " << action << ": " << denied.body;
  }
  expectSame(before, snapshot());
}

INSTANTIATE_TEST_SUITE_P(Backends, CommerceSecurityTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// The table above must name every order-core route the service serves: the rows the
// service prints with --print-routes (its RouteTable) under /api/v1, less the platform
// administration routes (organizations, plugins: admin tokens only, covered by
// PluginApiTest) and the provider webhook (no token: PaymentWebhookTest).
TEST(CommerceSecurityRouteTableTest, ListsEveryCommerceRoute) {
  const auto outcome = runService({}, {"--print-routes"});
  ASSERT_EQ(outcome.exitCode, 0) << outcome.stdoutText << outcome.stderrText;
  std::set<std::string> registered;
  std::istringstream lines(outcome.stdoutText);
  for (std::string line; std::getline(lines, line);) {
    const std::regex route(R"re(^([A-Z]+) (/api/v1/\S+)$)re");
    std::smatch found;
    if (!std::regex_match(line, found, route)) continue;
    const std::string path = found[2].str();
    if (path.rfind("/api/v1/organizations", 0) == 0 || path.rfind("/api/v1/plugins", 0) == 0) continue;
    registered.insert(found[1].str() + " " + path);
  }
  EXPECT_EQ(registered.erase("POST /api/v1/webhooks/{org_id}/{instance_id}"), 1u) << "the webhook route moved";
  std::set<std::string> listed;
  for (const auto& route : routeTable()) listed.insert(std::string(route.method) + " " + route.pattern);
  EXPECT_EQ(routeTable().size(), listed.size()) << "a route is listed twice";
  EXPECT_EQ(listed.size(), 33u) << "the order-core routes when this was written";
  for (const auto& route : registered) {
    EXPECT_TRUE(listed.count(route)) << route << " is served but has no case in routeTable()";
  }
  for (const auto& route : listed) {
    EXPECT_TRUE(registered.count(route)) << route << " is in routeTable() but not served (any more)";
  }
}

}  // namespace
}  // namespace ordersvc::testing
