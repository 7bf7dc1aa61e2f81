#include "modules/checkout/checkout_routes.h"

#include <string>

#include <Poco/JSON/Object.h>

#include "domain/order.h"
#include "kernel/json_util.h"
#include "modules/orders/order_json.h"
#include "platform/http/request_fields.h"

namespace ordersvc::api {

namespace {

using services::Actor;

// The terms of a b2b order, kept with it as one JSON document.
std::string readB2bDetails(Fields& f) {
  Poco::JSON::Object::Ptr b2b = orderedObject();
  auto po = f.text("purchase_order_number", true, 60);
  auto taxId = f.text("buyer_tax_id", true, 30);
  auto terms = f.integer("net_terms_days", false, 0, 180);
  if (po) b2b->set("purchase_order_number", *po);
  if (taxId) b2b->set("buyer_tax_id", *taxId);
  b2b->set("net_terms_days", terms.value_or(30));
  return services::toJsonText(b2b);
}

Response checkoutCart(services::CheckoutService& checkout, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  services::CheckoutRequest in;
  in.requestId = request.requestId;
  auto cartId = f.text("cart_id", true, 100);
  in.shippingAddressId = f.text("shipping_address_id", false, 100);
  in.billingAddressId = f.text("billing_address_id", false, 100);
  in.shippingAddressJson = f.address("shipping_address", true);
  in.billingAddressJson = f.address("billing_address", false);
  in.shippingMethod = f.text("shipping_method", false, 80);
  in.paymentMethod = f.text("payment_method", false, 80);
  in.customerId = f.text("customer_id", false, 200);
  if (auto type = f.text("order_type", false, 20)) {
    auto parsed = domain::parseOrderType(*type);
    if (!parsed)
      f.problem("order_type", "one of online, pos, phone, b2b, subscription");
    else
      in.type = *parsed;
  }
  if (in.type == domain::OrderType::B2b) in.b2bDetailsJson = readB2bDetails(f);
  // Without shipping_address_id or shipping_address the cart's own address is used
  // (PATCH /api/v1/carts/{id}); the checkout says so when the cart has none either.
  if (!f.ok()) return f.failure();
  in.cartId = *cartId;
  auto order = checkout.checkout(actor, in);
  if (!order) return failureResponse(order.error());
  return successResponse(checkoutJson(*order), 201);
}

}  // namespace

std::vector<RouteRow> checkoutRoutes(services::CheckoutService& checkout) {
  return {
      {"POST",
       "/api/v1/orders/from-cart",
       Audience::SignedIn,
       {},
       kRateLimited | kIdempotent,
       [&checkout](const Actor& actor, const Request& request) { return checkoutCart(checkout, actor, request); }},
  };
}

}  // namespace ordersvc::api
