#pragma once

#include <optional>
#include <string>

#include "domain/actor.h"
#include "platform/http/authenticator.h"

namespace ordersvc::api {

// The permission table: customers act on their own carts, orders and payments and
// request returns; operators read and update orders and run fulfilment; managers and
// admins may do everything (managers approve cancelling an order in processing, and set
// the organization's fraud rules).
enum class Permission {
  ShopAsCustomer,    // carts, checkout, own orders, payments, return requests
  ReadAllOrders,     // every order of the organization
  UpdateOrders,      // fulfilment steps, approving returns
  ManageOrders,      // manager-only actions (cancel in processing, confirm on terms)
  ManageCatalog,     // products, stock, coupons
  ReadEvents,        // the outbox
  ManageFraudRules,  // the organization's fraud rules (read and replace)
};

bool allows(const Principal& principal, Permission permission);

// Who is calling: a verified token (its org_id is the organization, always), or a
// guest naming the organization in X-Organization-Id and proving a cart with
// X-Cart-Token. Platform admins without org_id must name the organization too.
// Errors: Unauthenticated (bad token), InvalidArgument (no organization named).
Result<services::Actor> actorFor(const Authenticator& authenticator, const Request& request, bool guestAllowed);

// Like actorFor, then requires `permission`. A token without the permission gets 403.
Result<services::Actor> requireActor(const Authenticator& authenticator, const Request& request, Permission permission);

}  // namespace ordersvc::api
