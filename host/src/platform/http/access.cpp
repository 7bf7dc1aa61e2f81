#include "platform/http/access.h"

#include "kernel/ids.h"

namespace ordersvc::api {

namespace {

bool isStaff(const Principal& p) {
  return p.hasRole("order.operator") || p.hasRole("order.manager") || p.hasRole("order.admin");
}
bool isManager(const Principal& p) {
  return p.hasRole("order.manager") || p.hasRole("order.admin");
}

std::string header(const Request& request, const std::string& name) {
  const auto found = request.headers.find(name);
  return found == request.headers.end() ? std::string() : found->second;
}

}  // namespace

bool allows(const Principal& p, Permission permission) {
  switch (permission) {
    case Permission::ShopAsCustomer:
      return p.hasRole("order.customer") || isStaff(p);
    case Permission::ReadAllOrders:
    case Permission::UpdateOrders:
      return isStaff(p);
    case Permission::ManageOrders:
    case Permission::ReadEvents:
      return isManager(p);
    case Permission::ManageCatalog:
      return isManager(p);
    // Read too, not only write: the thresholds tell a fraudster how far to go.
    case Permission::ManageFraudRules:
      return isManager(p);
  }
  return false;
}

Result<services::Actor> actorFor(const Authenticator& authenticator, const Request& request, bool guestAllowed) {
  services::Actor actor;
  const std::string cartToken = header(request, "x-cart-token");
  if (!cartToken.empty()) actor.cartTokenHash = hashToken(cartToken);
  if (header(request, "authorization").empty()) {
    if (!guestAllowed) return Error::unauthenticated("a bearer token is required");
    actor.organizationId = header(request, "x-organization-id");
    if (actor.organizationId.empty()) {
      return Error::invalidArgument("X-Organization-Id: guests name the organization they shop at");
    }
    return actor;
  }
  auto principal = authenticator.authenticate(request);
  if (!principal) return principal.error();
  actor.subject = principal->subject;
  actor.organizationId = principal->organizationId;
  actor.staff = isStaff(*principal);
  actor.manager = isManager(*principal);
  if (actor.organizationId.empty()) {
    // Platform staff (no org_id) act inside the organization they name.
    if (!principal->hasRole("order.admin")) return Error::unauthenticated("token has no org_id");
    actor.organizationId = header(request, "x-organization-id");
    if (actor.organizationId.empty()) return Error::invalidArgument("X-Organization-Id: name the organization");
  }
  if (!allows(*principal, Permission::ShopAsCustomer)) {
    return Error::permissionDenied("the token's roles allow no order operations");
  }
  return actor;
}

Result<services::Actor> requireActor(const Authenticator& authenticator, const Request& request,
                                     Permission permission) {
  auto principal = authenticator.authenticate(request);
  if (!principal) return principal.error();
  if (!allows(*principal, permission)) {
    return Error::permissionDenied("this needs a role your token does not have");
  }
  return actorFor(authenticator, request, false);
}

}  // namespace ordersvc::api
