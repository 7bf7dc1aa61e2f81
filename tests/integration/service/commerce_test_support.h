#pragma once

// Helpers for the end-to-end tests of the order core (commerce_*_test.cpp): callers with
// tokens or guest headers, the demo organization of config/bootstrap.json served by the
// real binary, short flows (cart, checkout, cash payment) and direct database access for
// the few facts the API does not show (stock levels).
//
// Every helper that expects a status throws std::runtime_error naming what it did and the
// response body when the status differs; GoogleTest reports that as the test's failure.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "service_process.h"

namespace ordersvc::testing::commerce {

inline constexpr const char* kJwtSecret = "test-secret-test-secret-test-secret-0123456789";
inline constexpr const char* kMasterKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
// The organization config/bootstrap.json seeds (catalog, cash, local-courier, iva-chile).
inline constexpr const char* kDemoOrg = "demo";
// A shipping address the demo's local courier serves (Santiago, region RM).
inline constexpr const char* kSantiago =
    R"({"name":"Ana Perez","line1":"Av. Providencia 1234","city":"Santiago","region":"RM","country":"CL"})";

// Who sends a request: a bearer token, the guest headers, or both.
struct Caller {
  std::string label;          // for failure messages: "customer b1@shop_b"
  std::string authorization;  // "Bearer <jwt>"; empty for a guest
  std::string organization;   // X-Organization-Id (guests name their shop)
  std::string cartToken;      // X-Cart-Token (a guest's proof of cart ownership)
  bool staff = false;         // operator, manager or admin
  int rank = 0;               // 0 guest, 1 customer, 2 operator, 3 manager or admin

  std::map<std::string, std::string> headers() const;
  Caller withCartToken(const std::string& token) const;
};

// A signed token for `subject` in `organization` ("" for platform staff).
std::string bearer(const std::string& subject, const std::string& organization, const std::vector<std::string>& roles);
Caller customer(const std::string& subject, const std::string& organization = kDemoOrg);
Caller operatorOf(const std::string& subject, const std::string& organization = kDemoOrg);
Caller managerOf(const std::string& subject, const std::string& organization = kDemoOrg);
Caller platformAdmin();
Caller guest(const std::string& organization, const std::string& cartToken = "");

// One request with Content-Type: application/json and the caller's headers.
HttpResult send(int port, const Caller& caller, const std::string& method, const std::string& path,
                const std::string& body = "");

Poco::JSON::Object::Ptr parseObject(const std::string& text);
// The `data` object of a success envelope when the status is `status`; throws otherwise.
Poco::JSON::Object::Ptr expectData(const HttpResult& result, int status, const std::string& what);
// error.code of an error envelope, or "" when the body is not one.
std::string errorCode(const HttpResult& result);
// error.details.fields of an error envelope (empty object when absent).
Poco::JSON::Object::Ptr errorFields(const HttpResult& result);
// "status 404 NOT_FOUND: <body>", for failure messages.
std::string describe(const HttpResult& result);

// The environment of a service for the demo organization: bundled plugins, the repo's
// config/bootstrap.json, test secrets, rate limits too high to matter, and for
// "postgresql" a fresh database on the test server (for "sqlite", the default file under
// the work directory). Sets `databaseUrl` to the URL the service will use.
ServiceProcess::Env demoServiceEnv(const std::string& backend, const std::string& workDir, std::string& databaseUrl);

// Starts a service in `workDir` (ready, or throws with its output).
std::unique_ptr<ServiceProcess> startService(const ServiceProcess::Env& env, const std::string& workDir);

// --- Short flows ---
struct CartRef {
  std::string id;
  std::string token;  // the guest token; empty for a customer's cart
};
CartRef createCart(int port, const Caller& caller);
// Adds `quantity` of `variantId`; returns the cart's data.
Poco::JSON::Object::Ptr addItem(int port, const Caller& caller, const std::string& cartId, const std::string& variantId,
                                int64_t quantity);
// Checks the cart out to kSantiago with the standard service; returns the checkout data
// (order_id, total, ...).
Poco::JSON::Object::Ptr checkout(int port, const Caller& caller, const std::string& cartId);
// A new cart with one line, checked out; returns the order id. A customer who already has
// an active cart gets that one back from POST /api/v1/carts, so it is checked out with it.
std::string placeOrder(int port, const Caller& caller, const std::string& variantId, int64_t quantity);
// Pays the order's balance in cash; returns the order's data.
Poco::JSON::Object::Ptr payCash(int port, const Caller& caller, const std::string& orderId);

// --- Around the service ---
// Runs one SQL statement on the service's database (the test's own connection).
void execSql(const std::string& databaseUrl, const std::string& sql);
// The first column of the first row of `sql`, as an integer (-1 when there is no row).
int64_t queryInt(const std::string& databaseUrl, const std::string& sql);

// Polls `condition` every 100 ms until it holds or `limit` passes; returns the last result.
bool waitUntil(const std::function<bool()>& condition, std::chrono::seconds limit = std::chrono::seconds(60));

// A name no other test process uses: "<prefix>_<pid>_<n>_<random>".
std::string uniqueName(const std::string& prefix);

}  // namespace ordersvc::testing::commerce
