#include "commerce_test_support.h"

#include <unistd.h>

#include <atomic>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "platform/http/authenticator.h"
#include "platform/storage/database.h"
#include "platform/storage/database_url.h"
#include "test_env.h"

namespace ordersvc::testing::commerce {

using Poco::JSON::Object;

std::map<std::string, std::string> Caller::headers() const {
  std::map<std::string, std::string> out{{"Content-Type", "application/json"}};
  if (!authorization.empty()) out["Authorization"] = authorization;
  if (!organization.empty()) out["X-Organization-Id"] = organization;
  if (!cartToken.empty()) out["X-Cart-Token"] = cartToken;
  return out;
}

Caller Caller::withCartToken(const std::string& token) const {
  Caller copy = *this;
  copy.cartToken = token;
  copy.label += " holding a cart token";
  return copy;
}

std::string bearer(const std::string& subject, const std::string& organization, const std::vector<std::string>& roles) {
  const api::Principal principal{subject, organization, roles};
  return "Bearer " + api::Authenticator(kJwtSecret, "").issue(principal, std::chrono::hours(1));
}

Caller customer(const std::string& subject, const std::string& organization) {
  return Caller{
      "customer " + subject + "@" + organization, bearer(subject, organization, {"order.customer"}), "", "", false, 1};
}

Caller operatorOf(const std::string& subject, const std::string& organization) {
  return Caller{
      "operator " + subject + "@" + organization, bearer(subject, organization, {"order.operator"}), "", "", true, 2};
}

Caller managerOf(const std::string& subject, const std::string& organization) {
  return Caller{
      "manager " + subject + "@" + organization, bearer(subject, organization, {"order.manager"}), "", "", true, 3};
}

Caller platformAdmin() {
  return Caller{"platform admin", bearer("platform", "", {"order.admin"}), "", "", true, 3};
}

Caller guest(const std::string& organization, const std::string& cartToken) {
  return Caller{"guest@" + organization + (cartToken.empty() ? "" : " holding a cart token"),
                "",
                organization,
                cartToken,
                false,
                0};
}

HttpResult send(int port, const Caller& caller, const std::string& method, const std::string& path,
                const std::string& body) {
  return httpRequest(port, method, path, body, caller.headers());
}

Object::Ptr parseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string describe(const HttpResult& result) {
  return "status " + std::to_string(result.status) + ": " + result.body;
}

Object::Ptr expectData(const HttpResult& result, int status, const std::string& what) {
  if (result.status != status) {
    throw std::runtime_error(what + ": expected " + std::to_string(status) + ", got " + describe(result));
  }
  auto envelope = parseObject(result.body);
  if (envelope->getValue<std::string>("status") != "success") throw std::runtime_error(what + ": " + result.body);
  if (envelope->isObject("data")) return envelope->getObject("data");
  return new Object;  // e.g. an array: callers that need it parse the body themselves
}

std::string errorCode(const HttpResult& result) {
  try {
    auto envelope = parseObject(result.body);
    if (!envelope->isObject("error")) return "";
    return envelope->getObject("error")->optValue<std::string>("code", "");
  } catch (const std::exception&) {
    return "";
  }
}

Object::Ptr errorFields(const HttpResult& result) {
  try {
    auto error = parseObject(result.body)->getObject("error");
    if (error && error->isObject("details") && error->getObject("details")->isObject("fields")) {
      return error->getObject("details")->getObject("fields");
    }
  } catch (const std::exception&) {
  }
  return new Object;
}

ServiceProcess::Env demoServiceEnv(const std::string& backend, const std::string& workDir, std::string& databaseUrl) {
  ServiceProcess::Env env{
      {"PLUGINS_DIR", ORDERSVC_BUNDLED_PLUGINS_DIR},
      {"BOOTSTRAP_FILE", ORDERSVC_SOURCE_DIR "/config/bootstrap.json"},
      {"JWT_SECRET", kJwtSecret},
      {"ORDERSVC_MASTER_KEY", kMasterKey},
      // Limits are the subject of commerce_rate_limit_test.cpp only.
      {"RATE_LIMIT_CLIENT_PER_MINUTE", "10000000"},
      {"RATE_LIMIT_CLIENT_BURST", "10000000"},
      {"RATE_LIMIT_ORG_PER_MINUTE", "100000000"},
      {"RATE_LIMIT_ORG_BURST", "100000000"},
  };
  if (backend == "postgresql") {
    databaseUrl = createPostgresDatabase("ordersvc_commerce");
    env["DATABASE_URL"] = databaseUrl;
  } else if (backend == "sqlite") {
    databaseUrl = "sqlite://" + workDir + "/data/ordersvc.db";  // ServiceProcess sets DATA_DIR=<workDir>/data
  } else {
    throw std::invalid_argument("unknown backend " + backend);
  }
  return env;
}

std::unique_ptr<ServiceProcess> startService(const ServiceProcess::Env& env, const std::string& workDir) {
  ServiceProcess::Options options;
  options.env = env;
  options.workDir = workDir;
  return std::make_unique<ServiceProcess>(options);
}

CartRef createCart(int port, const Caller& caller) {
  auto cart = expectData(send(port, caller, "POST", "/api/v1/carts", "{}"), 201, caller.label + " creates a cart");
  return CartRef{cart->getValue<std::string>("id"), cart->optValue<std::string>("cart_token", "")};
}

Object::Ptr addItem(int port, const Caller& caller, const std::string& cartId, const std::string& variantId,
                    int64_t quantity) {
  const std::string body = R"({"variant_id":")" + variantId + R"(","quantity":)" + std::to_string(quantity) + "}";
  return expectData(send(port, caller, "POST", "/api/v1/carts/" + cartId + "/items", body), 201,
                    caller.label + " adds " + variantId);
}

Object::Ptr checkout(int port, const Caller& caller, const std::string& cartId) {
  const std::string body =
      R"({"cart_id":")" + cartId + R"(","shipping_method":"standard","shipping_address":)" + kSantiago + "}";
  return expectData(send(port, caller, "POST", "/api/v1/orders/from-cart", body), 201, caller.label + " checks out");
}

std::string placeOrder(int port, const Caller& caller, const std::string& variantId, int64_t quantity) {
  const CartRef cart = createCart(port, caller);
  addItem(port, caller.withCartToken(cart.token), cart.id, variantId, quantity);
  return checkout(port, caller.withCartToken(cart.token), cart.id)->getValue<std::string>("order_id");
}

Object::Ptr payCash(int port, const Caller& caller, const std::string& orderId) {
  auto order =
      expectData(send(port, caller, "GET", "/api/v1/orders/" + orderId), 200, caller.label + " reads the order");
  const auto balance = order->getObject("payment")->get("balance_due").convert<std::string>();
  const std::string body = R"({"payment_method":"cash","currency":")" +
                           order->getObject("totals")->getValue<std::string>("currency") + R"(","amount":)" + balance +
                           "}";
  return expectData(send(port, caller, "POST", "/api/v1/orders/" + orderId + "/payments", body), 201,
                    caller.label + " pays in cash");
}

namespace {

Poco::Data::Session sessionFor(const std::string& databaseUrl) {
  auto url = storage::DatabaseUrl::parse(databaseUrl, 5);
  if (!url) throw std::runtime_error(url.error().message);
  storage::registerDatabaseConnectors();
  return Poco::Data::Session(url->connector, url->connectionString);
}

}  // namespace

void execSql(const std::string& databaseUrl, const std::string& sql) {
  auto session = sessionFor(databaseUrl);
  session << sql, Poco::Data::Keywords::now;
}

int64_t queryInt(const std::string& databaseUrl, const std::string& sql) {
  auto session = sessionFor(databaseUrl);
  Poco::Data::Statement select(session);
  select << sql;
  select.execute();
  Poco::Data::RecordSet rows(select);
  if (rows.rowCount() == 0) return -1;
  return rows.value(0, 0).convert<Poco::Int64>();
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::string uniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::random_device random;
  return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(random() % 1000000);
}

}  // namespace ordersvc::testing::commerce
