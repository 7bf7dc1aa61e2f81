#pragma once

#include <functional>
#include <string>
#include <vector>

#include "domain/actor.h"
#include "kernel/clock.h"
#include "platform/http/access.h"
#include "platform/http/authenticator.h"
#include "platform/http/http_types.h"
#include "platform/http/rate_limited.h"
#include "platform/http/router.h"
#include "platform/storage/database.h"

namespace ordersvc::api {

// Who may call a route. The table resolves the caller before the handler runs and
// answers 401/403 itself, so a handler receives an Actor it may trust.
enum class Audience {
  Public,     // no caller at all (health, metrics, provider webhooks that verify themselves)
  Shoppers,   // a token, or a guest naming the organization (X-Organization-Id)
  SignedIn,   // any token whose roles allow order operations
  Permitted,  // a token with the route's Permission
  Admin,      // role order.admin: of the platform (no org_id) or of one organization
};

// What the table does around a handler, always in this order: rate limit (429), refuse
// card data (400), Idempotency-Key replay (POST), resolve the caller (401/403), then the
// handler with a malformed body turned into its 400.
enum Policy : unsigned {
  kNoPolicy = 0,
  kRateLimited = 1u << 0,
  kRefuseCardData = 1u << 1,
  kIdempotent = 1u << 2,
};

using RouteHandler = std::function<Response(const services::Actor&, const Request&)>;

// One REST route as data.
struct RouteRow {
  std::string method;
  std::string path;  // "/api/v1/orders/{order_id}"
  Audience audience = Audience::Public;
  Permission permission = Permission::ShopAsCustomer;  // for Audience::Permitted
  unsigned policies = kNoPolicy;
  RouteHandler handler;
};

// What the policies need, built once by the app.
struct RoutePolicies {
  const Authenticator& authenticator;
  storage::Database& database;  // the idempotency records
  RateLimiter& limiter;
  RateLimits limits;
  Clock clock = systemNowMs;  // rate-limit buckets and idempotency records
};

// Every route of the service, in registration order. Modules add rows; the app
// installs them into the Router it serves with. `--print-routes` and the OpenAPI
// comparison read the same rows.
// Thread-safety: add() only while the app is being built; then read-only.
class RouteTable {
 public:
  void add(RouteRow row);
  // Adds `rows` (a module's list), each with `commonPolicies` or-ed into its own.
  void add(std::vector<RouteRow> rows, unsigned commonPolicies = kNoPolicy);

  const std::vector<RouteRow>& rows() const { return rows_; }

  // Registers every row with `router`, wrapped in its policies.
  void installInto(Router& router, const RoutePolicies& policies) const;

 private:
  std::vector<RouteRow> rows_;
};

// The caller of a request as `audience` (and `permission`) requires; the Actor of a
// Public route is empty. Errors: Unauthenticated, PermissionDenied, InvalidArgument.
Result<services::Actor> resolveCaller(const Authenticator& authenticator, const Request& request, Audience audience,
                                      Permission permission);

// A row's handler with its policies applied, as the Router serves it.
Handler wrapRoute(const RouteRow& row, const RoutePolicies& policies);

}  // namespace ordersvc::api
