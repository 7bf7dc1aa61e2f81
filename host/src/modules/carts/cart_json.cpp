#include "modules/carts/cart_json.h"

#include <Poco/JSON/Array.h>

#include "platform/http/json_values.h"

namespace ordersvc::api {

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

Poco::Dynamic::Var parsed(const std::optional<std::string>& json) {
  return parsedJson(json);
}
Object::Ptr ordered() {
  return orderedObject();
}

}  // namespace

Object::Ptr cartJson(const services::CartView& view) {
  const domain::Cart& cart = view.cart;
  const auto& quote = view.quote;
  const std::string& cur = cart.currency;
  Object::Ptr out = ordered();
  out->set("id", cart.id);
  if (view.token) out->set("cart_token", *view.token);
  out->set("status", cart.status);
  out->set("currency", cur);
  out->set("customer_id", cart.customerId ? Poco::Dynamic::Var(*cart.customerId) : Poco::Dynamic::Var());
  if (cart.email) out->set("email", *cart.email);
  Array::Ptr items = new Array;
  int64_t units = 0;
  for (std::size_t i = 0; i < cart.items.size(); ++i) {
    const auto& item = cart.items[i];
    Object::Ptr line = ordered();
    line->set("id", item.id);
    line->set("variant_id", item.variantId);
    line->set("sku", item.sku);
    line->set("name", item.name);
    line->set("quantity", item.quantity);
    line->set("unit_price", moneyValue(item.unitPriceMinor, cur));
    line->set("line_subtotal", moneyValue(item.unitPriceMinor * item.quantity, cur));
    if (i < quote.lineTax.size()) line->set("tax", moneyValue(quote.lineTax[i], cur));
    items->add(line);
    units += item.quantity;
  }
  out->set("items", items);
  out->set("items_count", units);
  Object::Ptr coupon = ordered();
  if (cart.couponCode) {
    coupon->set("code", *cart.couponCode);
    coupon->set("applied", !quote.couponNotice.has_value());
    if (quote.couponNotice) coupon->set("notice", *quote.couponNotice);
    out->set("coupon", coupon);
  } else {
    out->set("coupon", Poco::Dynamic::Var());
  }
  Object::Ptr shipping = ordered();
  shipping->set("method", cart.shippingMethod ? Poco::Dynamic::Var(*cart.shippingMethod) : Poco::Dynamic::Var());
  shipping->set("address", parsed(cart.shippingAddressJson));
  if (quote.shippingInstance) shipping->set("carrier_instance", *quote.shippingInstance);
  if (quote.shippingServiceName) shipping->set("service_name", *quote.shippingServiceName);
  shipping->set("free", quote.shippingFree);
  if (quote.shippingNotice) shipping->set("notice", *quote.shippingNotice);
  out->set("shipping", shipping);
  Object::Ptr totals = ordered();
  totals->set("subtotal", moneyValue(quote.totals.subtotal, cur));
  totals->set("discount", moneyValue(quote.totals.discount, cur));
  totals->set("shipping", moneyValue(quote.totals.shipping, cur));
  totals->set("tax", moneyValue(quote.totals.tax, cur));
  totals->set("total", moneyValue(quote.totals.total, cur));
  totals->set("prices_include_tax", quote.totals.pricesIncludeTax);
  out->set("totals", totals);
  out->set("version", cart.version);
  out->set("created_at", rfc3339(cart.createdAtMs));
  out->set("updated_at", rfc3339(cart.updatedAtMs));
  out->set("expires_at", rfc3339(cart.expiresAtMs));
  return out;
}

}  // namespace ordersvc::api
