#include "platform/http/route_table.h"

#include "platform/http/card_data_guard.h"
#include "platform/http/idempotency.h"
#include "platform/http/request_fields.h"

namespace ordersvc::api {

namespace {

constexpr const char* kAdminRole = "order.admin";

// An admin acts for the organization in its token, or for any (platform admin: the
// Actor's organization is empty and the handler scopes by the path).
Result<services::Actor> adminCaller(const Authenticator& authenticator, const Request& request) {
  auto principal = authenticator.require(request, kAdminRole);
  if (!principal) return principal.error();
  services::Actor actor;
  actor.organizationId = principal->organizationId;
  actor.subject = principal->subject;
  actor.staff = true;
  actor.manager = true;
  return actor;
}

}  // namespace

Result<services::Actor> resolveCaller(const Authenticator& authenticator, const Request& request, Audience audience,
                                      Permission permission) {
  switch (audience) {
    case Audience::Public:
      return services::Actor{};
    case Audience::Shoppers:
      return actorFor(authenticator, request, true);
    case Audience::SignedIn:
      return actorFor(authenticator, request, false);
    case Audience::Permitted:
      return requireActor(authenticator, request, permission);
    case Audience::Admin:
      return adminCaller(authenticator, request);
  }
  return Error::internal("unknown audience");
}

Handler wrapRoute(const RouteRow& row, const RoutePolicies& policies) {
  const Authenticator& authenticator = policies.authenticator;
  Handler handler = [&authenticator, audience = row.audience, permission = row.permission,
                     inner = row.handler](const Request& request) {
    return guarded([&] {
      auto actor = resolveCaller(authenticator, request, audience, permission);
      if (!actor) return failureResponse(actor.error());
      return inner(*actor, request);
    });
  };
  if (row.policies & kIdempotent)
    handler = idempotent(policies.database, authenticator, policies.clock, std::move(handler));
  if (row.policies & kRefuseCardData) handler = refusingCardData(std::move(handler));
  if (row.policies & kRateLimited) {
    handler = rateLimited(policies.limiter, authenticator, policies.limits, policies.clock, std::move(handler));
  }
  return handler;
}

void RouteTable::add(RouteRow row) {
  rows_.push_back(std::move(row));
}

void RouteTable::add(std::vector<RouteRow> rows, unsigned commonPolicies) {
  for (auto& row : rows) {
    row.policies |= commonPolicies;
    add(std::move(row));
  }
}

void RouteTable::installInto(Router& router, const RoutePolicies& policies) const {
  for (const auto& row : rows_) router.add(row.method, row.path, wrapRoute(row, policies));
}

}  // namespace ordersvc::api
