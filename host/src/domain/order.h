#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/order_status.h"
#include "domain/payment.h"

namespace ordersvc::domain {

struct OrderItem {
  int lineNo = 0;
  std::string variantId;
  std::string sku;
  std::string name;
  std::string taxClass;
  int64_t quantity = 0;
  int64_t unitPriceMinor = 0;
  int64_t discountMinor = 0;
  int64_t taxMinor = 0;
  int64_t totalMinor = 0;  // quantity * unit price - discount (+ tax when prices exclude it)
};

// One entry of an order's timeline: who did what, when, and where it left the order.
struct TimelineEntry {
  int seq = 0;
  int64_t atMs = 0;
  std::string actor;   // "customer:<sub>", "operator:<sub>", "system:<job>"
  std::string action;  // an OrderAction name, or a note kind ("payment_recorded")
  std::optional<std::string> fromStatus;
  std::optional<std::string> toStatus;
  std::optional<std::string> note;
};

enum class OrderType { Online, Pos, Phone, B2b, Subscription };
std::string_view orderTypeName(OrderType type);
std::optional<OrderType> parseOrderType(std::string_view name);

struct Order {
  std::string organizationId;
  std::string id;           // "ord_…"
  std::string orderNumber;  // "ORD-2026-000123"
  std::optional<std::string> cartId;
  std::optional<std::string> customerId;
  std::string placedBy;  // who checked out: the customer, or the operator of a phone order
  OrderType type = OrderType::Online;
  OrderStatus status = OrderStatus::Pending;
  std::string currency;
  int64_t subtotalMinor = 0;
  int64_t discountMinor = 0;
  int64_t shippingMinor = 0;
  int64_t taxMinor = 0;
  int64_t totalMinor = 0;
  int64_t paidMinor = 0;
  int64_t refundedMinor = 0;
  bool pricesIncludeTax = false;
  int64_t itemsCount = 0;
  std::string shippingMethod;
  std::string shippingAddressJson;
  std::string billingAddressJson;
  std::optional<std::string> couponCode;
  std::optional<std::string> paymentMethod;
  std::optional<std::string> email;
  std::optional<std::string> reservationId;
  std::optional<int64_t> reservationExpiresAtMs;
  std::optional<std::string> b2bDetailsJson;  // purchase order number, buyer tax id, net terms
  int paymentAttempts = 0;
  std::optional<int64_t> paymentFailedAtMs;
  int64_t version = 1;
  int64_t createdAtMs = 0;
  int64_t updatedAtMs = 0;
  std::vector<OrderItem> items;
  std::vector<TimelineEntry> timeline;
  std::vector<Payment> payments;
  std::vector<Refund> refunds;

  // What is still to be secured (paid_minor counts authorized and captured money).
  int64_t balanceDueMinor() const { return totalMinor - paidMinor; }
};

}  // namespace ordersvc::domain
