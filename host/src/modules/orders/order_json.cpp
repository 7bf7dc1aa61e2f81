#include "modules/orders/order_json.h"

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

// When the order's stock reservation lapses; null without one.
Poco::Dynamic::Var reservationExpiry(const domain::Order& order) {
  if (!order.reservationExpiresAtMs) return Poco::Dynamic::Var();
  return Poco::Dynamic::Var(rfc3339(*order.reservationExpiresAtMs));
}

Object::Ptr customerJson(const domain::Order& order) {
  Object::Ptr customer = ordered();
  customer->set("id", order.customerId ? Poco::Dynamic::Var(*order.customerId) : Poco::Dynamic::Var());
  customer->set("email", order.email ? Poco::Dynamic::Var(*order.email) : Poco::Dynamic::Var());
  return customer;
}

Array::Ptr itemsJson(const domain::Order& order) {
  const std::string& cur = order.currency;
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
  return items;
}

Object::Ptr totalsJson(const domain::Order& order) {
  const std::string& cur = order.currency;
  Object::Ptr totals = ordered();
  totals->set("subtotal", moneyValue(order.subtotalMinor, cur));
  totals->set("discount", moneyValue(order.discountMinor, cur));
  totals->set("shipping", moneyValue(order.shippingMinor, cur));
  totals->set("tax", moneyValue(order.taxMinor, cur));
  totals->set("total", moneyValue(order.totalMinor, cur));
  totals->set("prices_include_tax", order.pricesIncludeTax);
  totals->set("currency", cur);
  return totals;
}

Array::Ptr paymentsJson(const domain::Order& order) {
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
  return payments;
}

Array::Ptr refundsJson(const domain::Order& order) {
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
  return refunds;
}

// The order's payment state in one word, from what was paid and refunded.
std::string paymentStatusOf(const domain::Order& order) {
  if (order.refundedMinor > 0 && order.refundedMinor >= order.paidMinor) return "refunded";
  if (order.refundedMinor > 0) return "partially_refunded";
  if (order.paidMinor >= order.totalMinor) return "paid";
  if (order.paidMinor > 0) return "partially_paid";
  return "unpaid";
}

// The order's money as paid and refunded, with every payment and refund.
Object::Ptr paymentJson(const domain::Order& order) {
  const std::string& cur = order.currency;
  Object::Ptr payment = ordered();
  payment->set("status", paymentStatusOf(order));
  payment->set("method", order.paymentMethod ? Poco::Dynamic::Var(*order.paymentMethod) : Poco::Dynamic::Var());
  payment->set("paid", moneyValue(order.paidMinor, cur));
  payment->set("refunded", moneyValue(order.refundedMinor, cur));
  payment->set("balance_due", moneyValue(order.balanceDueMinor(), cur));
  payment->set("attempts", order.paymentAttempts);
  payment->set("payments", paymentsJson(order));
  payment->set("refunds", refundsJson(order));
  return payment;
}

Object::Ptr shipmentJson(const domain::Order& order) {
  Object::Ptr shipment = ordered();
  shipment->set("method", order.shippingMethod);
  shipment->set("address", parsed(order.shippingAddressJson));
  shipment->set("status", std::string(order.status == domain::OrderStatus::Shipped     ? "in_transit"
                                      : order.status == domain::OrderStatus::Delivered ? "delivered"
                                                                                       : "not_shipped"));
  return shipment;
}

Array::Ptr timelineJson(const domain::Order& order) {
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
  return timeline;
}

Array::Ptr allowedActionsJson(const domain::Order& order) {
  Array::Ptr allowed = new Array;
  for (auto action : domain::allowedActions(order.status)) allowed->add(std::string(domain::orderActionName(action)));
  return allowed;
}

}  // namespace

Object::Ptr checkoutJson(const domain::Order& order) {
  Object::Ptr out = ordered();
  out->set("order_id", order.id);
  out->set("order_number", order.orderNumber);
  out->set("status", std::string(domain::orderStatusName(order.status)));
  out->set("total", moneyValue(order.totalMinor, order.currency));
  out->set("currency", order.currency);
  out->set("items_count", order.itemsCount);
  out->set("reservation_expires_at", reservationExpiry(order));
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
  Object::Ptr out = ordered();
  out->set("id", order.id);
  out->set("order_number", order.orderNumber);
  out->set("status", std::string(domain::orderStatusName(order.status)));
  out->set("type", std::string(domain::orderTypeName(order.type)));
  out->set("customer", customerJson(order));
  out->set("placed_by", order.placedBy);
  out->set("items", itemsJson(order));
  out->set("items_count", order.itemsCount);
  out->set("totals", totalsJson(order));
  if (order.couponCode) out->set("coupon_code", *order.couponCode);
  out->set("payment", paymentJson(order));
  out->set("shipment", shipmentJson(order));
  out->set("billing_address", parsed(order.billingAddressJson));
  if (order.b2bDetailsJson) out->set("b2b", parsed(order.b2bDetailsJson));
  out->set("reservation_expires_at", reservationExpiry(order));
  out->set("timeline", timelineJson(order));
  out->set("allowed_actions", allowedActionsJson(order));
  out->set("version", order.version);
  out->set("created_at", rfc3339(order.createdAtMs));
  out->set("updated_at", rfc3339(order.updatedAtMs));
  return out;
}

}  // namespace ordersvc::api
