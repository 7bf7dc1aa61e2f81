#include "api/commerce_json.h"

#include <ctime>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>

#include "domain/money.h"

namespace ordersvc::api {

using Poco::JSON::Array;
using Poco::JSON::Object;

Poco::Dynamic::Var moneyValue(int64_t minor, const std::string& currency) {
  if (domain::currencyExponent(currency) == 0) return Poco::Dynamic::Var(static_cast<Poco::Int64>(minor));
  // Parsed from the exact decimal text, so the double is the nearest to it and prints back
  // as that text.
  return Poco::Dynamic::Var(Poco::NumberParser::parseFloat(domain::formatMajorUnits(minor, currency)));
}

std::string rfc3339(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buffer, static_cast<int>(ms % 1000));
  return out;
}

namespace {

Poco::Dynamic::Var parsed(const std::optional<std::string>& json) {
  if (!json || json->empty()) return Poco::Dynamic::Var();
  return Poco::JSON::Parser().parse(*json);
}

Object::Ptr ordered() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

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

Object::Ptr checkoutJson(const domain::Order& order) {
  Object::Ptr out = ordered();
  out->set("order_id", order.id);
  out->set("order_number", order.orderNumber);
  out->set("status", std::string(domain::orderStatusName(order.status)));
  out->set("total", moneyValue(order.totalMinor, order.currency));
  out->set("currency", order.currency);
  out->set("items_count", order.itemsCount);
  out->set("reservation_expires_at",
           order.reservationExpiresAtMs ? Poco::Dynamic::Var(rfc3339(*order.reservationExpiresAtMs)) : Poco::Dynamic::Var());
  out->set("payment_required", order.balanceDueMinor() > 0 && order.status == domain::OrderStatus::Pending);
  return out;
}

Object::Ptr orderSummaryJson(const domain::Order& order) {
  Object::Ptr out = ordered();
  out->set("id", order.id);
  out->set("order_number", order.orderNumber);
  out->set("status", std::string(domain::orderStatusName(order.status)));
  out->set("type", std::string(domain::orderTypeName(order.type)));
  out->set("customer_id", order.customerId ? Poco::Dynamic::Var(*order.customerId) : Poco::Dynamic::Var());
  out->set("total", moneyValue(order.totalMinor, order.currency));
  out->set("currency", order.currency);
  out->set("items_count", order.itemsCount);
  out->set("created_at", rfc3339(order.createdAtMs));
  return out;
}

Object::Ptr orderJson(const domain::Order& order) {
  const std::string& cur = order.currency;
  Object::Ptr out = ordered();
  out->set("id", order.id);
  out->set("order_number", order.orderNumber);
  out->set("status", std::string(domain::orderStatusName(order.status)));
  out->set("type", std::string(domain::orderTypeName(order.type)));
  Object::Ptr customer = ordered();
  customer->set("id", order.customerId ? Poco::Dynamic::Var(*order.customerId) : Poco::Dynamic::Var());
  customer->set("email", order.email ? Poco::Dynamic::Var(*order.email) : Poco::Dynamic::Var());
  out->set("customer", customer);
  out->set("placed_by", order.placedBy);
  Array::Ptr items = new Array;
  for (const auto& item : order.items) {
    Object::Ptr line = ordered();
    line->set("line", item.lineNo);
    line->set("variant_id", item.variantId);
    line->set("sku", item.sku);
    line->set("name", item.name);
    line->set("quantity", item.quantity);
    line->set("unit_price", moneyValue(item.unitPriceMinor, cur));
    line->set("discount", moneyValue(item.discountMinor, cur));
    line->set("tax", moneyValue(item.taxMinor, cur));
    line->set("total", moneyValue(item.totalMinor, cur));
    items->add(line);
  }
  out->set("items", items);
  out->set("items_count", order.itemsCount);
  Object::Ptr totals = ordered();
  totals->set("subtotal", moneyValue(order.subtotalMinor, cur));
  totals->set("discount", moneyValue(order.discountMinor, cur));
  totals->set("shipping", moneyValue(order.shippingMinor, cur));
  totals->set("tax", moneyValue(order.taxMinor, cur));
  totals->set("total", moneyValue(order.totalMinor, cur));
  totals->set("prices_include_tax", order.pricesIncludeTax);
  totals->set("currency", cur);
  out->set("totals", totals);
  if (order.couponCode) out->set("coupon_code", *order.couponCode);
  Object::Ptr payment = ordered();
  const std::string paymentStatus = order.refundedMinor > 0 && order.refundedMinor >= order.paidMinor ? "refunded"
                                    : order.refundedMinor > 0                                       ? "partially_refunded"
                                    : order.paidMinor >= order.totalMinor                           ? "paid"
                                    : order.paidMinor > 0                                           ? "partially_paid"
                                                                                                    : "unpaid";
  payment->set("status", paymentStatus);
  payment->set("method", order.paymentMethod ? Poco::Dynamic::Var(*order.paymentMethod) : Poco::Dynamic::Var());
  payment->set("paid", moneyValue(order.paidMinor, cur));
  payment->set("refunded", moneyValue(order.refundedMinor, cur));
  payment->set("balance_due", moneyValue(order.balanceDueMinor(), cur));
  payment->set("attempts", order.paymentAttempts);
  Array::Ptr payments = new Array;
  for (const auto& p : order.payments) {
    Object::Ptr entry = ordered();
    entry->set("id", p.id);
    entry->set("payment_method", p.paymentMethod);
    entry->set("instance_id", p.instanceId);
    entry->set("status", std::string(domain::paymentStatusName(p.status)));
    entry->set("capture_method", std::string(domain::captureModeName(p.captureMode)));
    entry->set("amount", moneyValue(p.amountMinor, p.currency));
    entry->set("captured", moneyValue(p.capturedMinor, p.currency));
    entry->set("refunded", moneyValue(p.refundedMinor, p.currency));
    entry->set("currency", p.currency);
    if (p.providerReference && !p.providerReference->empty()) entry->set("provider_reference", *p.providerReference);
    if (p.failureReason) entry->set("failure_reason", *p.failureReason);
    if (p.fraudOutcome) entry->set("fraud_outcome", *p.fraudOutcome);
    if (p.fraudReasons) entry->set("fraud_reasons", parsed(p.fraudReasons));
    entry->set("created_at", rfc3339(p.createdAtMs));
    payments->add(entry);
  }
  payment->set("payments", payments);
  Array::Ptr refunds = new Array;
  for (const auto& r : order.refunds) {
    Object::Ptr entry = ordered();
    entry->set("id", r.id);
    entry->set("payment_id", r.paymentId);
    entry->set("status", std::string(domain::refundStatusName(r.status)));
    entry->set("amount", moneyValue(r.amountMinor, r.currency));
    entry->set("currency", r.currency);
    entry->set("reason", r.reason);
    if (r.itemsJson) entry->set("items", parsed(r.itemsJson));
    if (r.failureReason) entry->set("failure_reason", *r.failureReason);
    entry->set("created_at", rfc3339(r.createdAtMs));
    refunds->add(entry);
  }
  payment->set("refunds", refunds);
  out->set("payment", payment);
  Object::Ptr shipment = ordered();
  shipment->set("method", order.shippingMethod);
  shipment->set("address", parsed(order.shippingAddressJson));
  shipment->set("status", std::string(order.status == domain::OrderStatus::Shipped     ? "in_transit"
                                      : order.status == domain::OrderStatus::Delivered ? "delivered"
                                                                                       : "not_shipped"));
  out->set("shipment", shipment);
  out->set("billing_address", parsed(order.billingAddressJson));
  if (order.b2bDetailsJson) out->set("b2b", parsed(order.b2bDetailsJson));
  out->set("reservation_expires_at",
           order.reservationExpiresAtMs ? Poco::Dynamic::Var(rfc3339(*order.reservationExpiresAtMs)) : Poco::Dynamic::Var());
  Array::Ptr timeline = new Array;
  for (const auto& entry : order.timeline) {
    Object::Ptr e = ordered();
    e->set("at", rfc3339(entry.atMs));
    e->set("actor", entry.actor);
    e->set("action", entry.action);
    e->set("from_status", entry.fromStatus ? Poco::Dynamic::Var(*entry.fromStatus) : Poco::Dynamic::Var());
    e->set("to_status", entry.toStatus ? Poco::Dynamic::Var(*entry.toStatus) : Poco::Dynamic::Var());
    if (entry.note) e->set("note", *entry.note);
    timeline->add(e);
  }
  out->set("timeline", timeline);
  Array::Ptr allowed = new Array;
  for (auto action : domain::allowedActions(order.status)) allowed->add(std::string(domain::orderActionName(action)));
  out->set("allowed_actions", allowed);
  out->set("version", order.version);
  out->set("created_at", rfc3339(order.createdAtMs));
  out->set("updated_at", rfc3339(order.updatedAtMs));
  return out;
}

}  // namespace ordersvc::api
