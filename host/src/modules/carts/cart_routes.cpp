#include "modules/carts/cart_routes.h"

#include <cstdint>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "domain/coupon.h"
#include "kernel/json_util.h"
#include "modules/carts/cart_json.h"
#include "platform/http/cached_rendering.h"
#include "platform/http/json_values.h"
#include "platform/http/request_fields.h"
#include "platform/integrations/cache_keys.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using services::Actor;
using services::CartService;

Response cartResponse(const Result<services::CartView>& view, int status = 200) {
  if (!view) return failureResponse(view.error());
  return successResponse(cartJson(*view), status);
}

// --- Carts ---

Response createCart(CartService& carts, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  services::CartDetails details;
  auto currency = f.text("currency", false, 3);
  details.shippingMethod = f.text("shipping_method", false, 80);
  details.shippingAddressJson = f.address("shipping_address", true);
  details.email = f.text("email", false, 254);
  if (!f.ok()) return f.failure();
  return cartResponse(carts.create(actor, currency, details, request.requestId), 201);
}

// A cached rendering answers only a caller who may see the cart (checked against the
// owner kept with it, without the database); anyone else gets the 404 of a miss.
Response getCart(CartService& carts, integrations::Cache& cache, std::chrono::seconds ttl, const Actor& actor,
                 const Request& request) {
  const std::string& cartId = request.params.at("cart_id");
  const std::string key = services::cartCacheKey(actor.organizationId, cartId);
  if (auto hit = unpackCachedRendering(cache.get(key))) {
    domain::Cart owner;
    owner.organizationId = actor.organizationId;
    owner.id = cartId;
    owner.customerId = hit->customerId;
    if (services::checkCartAccess(actor, owner, hit->tokenHash)) return renderedSuccess(hit->dataJson, true);
    return failureResponse(Error::notFound("cart " + owner.id + " not found"));
  }
  auto view = carts.get(actor, cartId, request.requestId);
  if (!view) return failureResponse(view.error());
  const std::string data = services::toJsonText(cartJson(*view));
  cache.put(key, packCachedRendering({view->cart.customerId, view->tokenHash, data}), ttl);
  return renderedSuccess(data, false);
}

Response updateCart(CartService& carts, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  services::CartDetails details;
  details.shippingMethod = f.text("shipping_method", false, 80);
  details.shippingAddressJson = f.address("shipping_address", true);
  details.email = f.text("email", false, 254);
  if (!f.ok()) return f.failure();
  return cartResponse(carts.update(actor, request.params.at("cart_id"), details, request.requestId));
}

Response addItem(CartService& carts, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  auto variant = f.text("variant_id", true, 100);
  auto quantity = f.integer("quantity", true, 1, 1000000);
  if (!f.ok()) return f.failure();
  return cartResponse(carts.addItem(actor, request.params.at("cart_id"), *variant, *quantity, request.requestId), 201);
}

Response setItemQuantity(CartService& carts, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  auto quantity = f.integer("quantity", true, 1, 1000000);
  if (!f.ok()) return f.failure();
  return cartResponse(carts.setItemQuantity(actor, request.params.at("cart_id"), request.params.at("item_id"),
                                            *quantity, request.requestId));
}

Response removeItem(CartService& carts, const Actor& actor, const Request& request) {
  return cartResponse(
      carts.removeItem(actor, request.params.at("cart_id"), request.params.at("item_id"), request.requestId));
}

Response applyCoupon(CartService& carts, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  auto code = f.text("code", true, 40);
  if (!f.ok()) return f.failure();
  return cartResponse(carts.applyCoupon(actor, request.params.at("cart_id"), *code, request.requestId));
}

Response removeCoupon(CartService& carts, const Actor& actor, const Request& request) {
  return cartResponse(carts.removeCoupon(actor, request.params.at("cart_id"), request.requestId));
}

Response mergeCart(CartService& carts, const Actor& actor, const Request& request) {
  return cartResponse(carts.mergeGuestCart(actor, request.params.at("cart_id"), request.requestId));
}

// The recovery token alone proves the cart, so the caller's identity does not matter.
Response recoverCart(CartService& carts, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  auto token = f.text("token", true, 200);
  if (!f.ok()) return f.failure();
  return cartResponse(carts.recover(actor.organizationId, *token, request.requestId));
}

// --- Addresses (a customer's own) ---

Response listAddresses(services::AddressBook& book, const Actor& actor, const Request&) {
  auto addresses = book.list(actor);
  if (!addresses) return failureResponse(addresses.error());
  Array::Ptr list = new Array;
  for (const auto& a : *addresses) {
    Object::Ptr entry = services::parseJsonObject(a.bodyJson);
    entry->set("id", a.id);
    list->add(entry);
  }
  Object::Ptr out = new Object;
  out->set("addresses", list);
  return successResponse(out);
}

Response saveAddress(services::AddressBook& book, const Actor& actor, const Request& request) {
  // The body is the address itself; Fields validates it as the field "address".
  Object::Ptr wrapper = new Object;
  wrapper->set("address", bodyOf(request));
  Fields f(wrapper);
  auto body = f.address("address", true);
  if (!f.ok()) return f.failure();
  auto saved = book.save(actor, *body);
  if (!saved) return failureResponse(saved.error());
  Object::Ptr out = services::parseJsonObject(*body);
  out->set("id", saved->id);
  return successResponse(out, 201);
}

Response deleteAddress(services::AddressBook& book, const Actor& actor, const Request& request) {
  if (auto removed = book.remove(actor, request.params.at("address_id")); !removed) {
    return failureResponse(removed.error());
  }
  return successResponse(Poco::Dynamic::Var(Object::Ptr(new Object)));
}

// --- Coupons (managers and admins) ---

Object::Ptr couponJson(const domain::Coupon& k) {
  Object::Ptr out = orderedObject();
  out->set("code", k.code);
  out->set("kind", std::string(domain::couponKindName(k.kind)));
  if (k.kind == domain::CouponKind::Percentage) out->set("percent", static_cast<double>(k.percentBasisPoints) / 100.0);
  if (k.kind == domain::CouponKind::FixedAmount) {
    out->set("amount", moneyValue(k.amountMinor, k.currency));
    out->set("currency", k.currency);
  }
  out->set("min_subtotal_minor", k.minSubtotalMinor);
  out->set("starts_at", k.startsAtMs ? Poco::Dynamic::Var(rfc3339(*k.startsAtMs)) : Poco::Dynamic::Var());
  out->set("ends_at", k.endsAtMs ? Poco::Dynamic::Var(rfc3339(*k.endsAtMs)) : Poco::Dynamic::Var());
  out->set("usage_limit", k.usageLimit ? Poco::Dynamic::Var(*k.usageLimit) : Poco::Dynamic::Var());
  out->set("per_customer_limit", k.perCustomerLimit ? Poco::Dynamic::Var(*k.perCustomerLimit) : Poco::Dynamic::Var());
  out->set("times_used", k.timesUsed);
  out->set("active", k.active);
  return out;
}

Response listCoupons(services::CouponAdmin& coupons, const Actor& actor, const Request&) {
  auto found = coupons.list(actor);
  if (!found) return failureResponse(found.error());
  Array::Ptr list = new Array;
  for (const auto& k : *found) list->add(couponJson(k));
  Object::Ptr out = new Object;
  out->set("coupons", list);
  return successResponse(out);
}

// The coupon a PUT body describes; every bad field goes into `f`.
domain::Coupon readCoupon(const Object::Ptr& body, const std::string& code, Fields& f) {
  domain::Coupon coupon;
  coupon.code = code;
  const auto kind = domain::parseCouponKind(f.text("kind", true, 20).value_or(""));
  if (!kind)
    f.problem("kind", "percentage, fixed_amount or free_shipping");
  else
    coupon.kind = *kind;
  coupon.currency = f.text("currency", coupon.kind == domain::CouponKind::FixedAmount, 3).value_or("");
  if (coupon.kind == domain::CouponKind::Percentage) {
    auto percent = f.amount("percent", true, "XXX");  // two decimals: basis points
    coupon.percentBasisPoints = percent.value_or(0);
  }
  if (coupon.kind == domain::CouponKind::FixedAmount && !coupon.currency.empty()) {
    coupon.amountMinor = f.amount("amount", true, coupon.currency).value_or(0);
  }
  coupon.minSubtotalMinor = f.integer("min_subtotal_minor", false, 0, INT64_MAX / 2).value_or(0);
  coupon.startsAtMs = f.integer("starts_at_ms", false, 0, INT64_MAX / 2);
  coupon.endsAtMs = f.integer("ends_at_ms", false, 0, INT64_MAX / 2);
  coupon.usageLimit = f.integer("usage_limit", false, 1, INT64_MAX / 2);
  coupon.perCustomerLimit = f.integer("per_customer_limit", false, 1, INT64_MAX / 2);
  coupon.active = body->optValue<bool>("active", true);
  return coupon;
}

Response putCoupon(services::CouponAdmin& coupons, const Actor& actor, const Request& request) {
  Object::Ptr body = bodyOf(request);
  Fields f(body);
  domain::Coupon coupon = readCoupon(body, request.params.at("code"), f);
  if (!f.ok()) return f.failure();
  auto stored = coupons.put(actor, std::move(coupon));
  if (!stored) return failureResponse(stored.error());
  return successResponse(couponJson(*stored));
}

Response deleteCoupon(services::CouponAdmin& coupons, const Actor& actor, const Request& request) {
  if (auto removed = coupons.remove(actor, request.params.at("code")); !removed) {
    return failureResponse(removed.error());
  }
  return successResponse(Poco::Dynamic::Var(Object::Ptr(new Object)));
}

// A row's handler: `handler` with the service it works on.
template <typename Target>
RouteHandler on(Target& target, Response (*handler)(Target&, const Actor&, const Request&)) {
  return
      [&bound = target, handler](const Actor& actor, const Request& request) { return handler(bound, actor, request); };
}

}  // namespace

std::vector<RouteRow> cartRoutes(CartRouteDependencies deps) {
  CartService& carts = deps.carts;
  services::AddressBook& addresses = deps.addresses;
  services::CouponAdmin& coupons = deps.coupons;
  return {
      {"POST", "/api/v1/carts", Audience::Shoppers, {}, kRateLimited | kIdempotent, on(carts, createCart)},
      {"GET",
       "/api/v1/carts/{cart_id}",
       Audience::Shoppers,
       {},
       kRateLimited,
       [&carts = deps.carts, &cache = deps.cache, ttl = deps.cartTtl](const Actor& actor, const Request& request) {
         return getCart(carts, cache, ttl, actor, request);
       }},
      {"PATCH", "/api/v1/carts/{cart_id}", Audience::Shoppers, {}, kRateLimited, on(carts, updateCart)},
      {"POST", "/api/v1/carts/{cart_id}/items", Audience::Shoppers, {}, kRateLimited | kIdempotent, on(carts, addItem)},
      {"PATCH",
       "/api/v1/carts/{cart_id}/items/{item_id}",
       Audience::Shoppers,
       {},
       kRateLimited,
       on(carts, setItemQuantity)},
      {"DELETE",
       "/api/v1/carts/{cart_id}/items/{item_id}",
       Audience::Shoppers,
       {},
       kRateLimited,
       on(carts, removeItem)},
      {"POST",
       "/api/v1/carts/{cart_id}/coupons",
       Audience::Shoppers,
       {},
       kRateLimited | kIdempotent,
       on(carts, applyCoupon)},
      {"DELETE", "/api/v1/carts/{cart_id}/coupons", Audience::Shoppers, {}, kRateLimited, on(carts, removeCoupon)},
      // Merging gives a guest cart to an account, so the caller must be signed in.
      {"POST",
       "/api/v1/carts/{cart_id}/merge",
       Audience::SignedIn,
       {},
       kRateLimited | kIdempotent,
       on(carts, mergeCart)},
      {"POST", "/api/v1/carts/recover", Audience::Shoppers, {}, kRateLimited | kIdempotent, on(carts, recoverCart)},

      {"GET", "/api/v1/addresses", Audience::SignedIn, {}, kRateLimited, on(addresses, listAddresses)},
      {"POST", "/api/v1/addresses", Audience::SignedIn, {}, kRateLimited | kIdempotent, on(addresses, saveAddress)},
      {"DELETE", "/api/v1/addresses/{address_id}", Audience::SignedIn, {}, kRateLimited, on(addresses, deleteAddress)},

      {"GET", "/api/v1/admin/coupons", Audience::Permitted, Permission::ManageCatalog, kRateLimited,
       on(coupons, listCoupons)},
      {"PUT", "/api/v1/admin/coupons/{code}", Audience::Permitted, Permission::ManageCatalog, kRateLimited,
       on(coupons, putCoupon)},
      {"DELETE", "/api/v1/admin/coupons/{code}", Audience::Permitted, Permission::ManageCatalog, kRateLimited,
       on(coupons, deleteCoupon)},
  };
}

}  // namespace ordersvc::api
