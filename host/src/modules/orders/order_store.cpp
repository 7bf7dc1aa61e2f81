#include "modules/orders/order_store.h"

#include "platform/storage/sql_query.h"

namespace ordersvc::storage::order_store {

namespace {

constexpr const char* kHeaderColumns =
    "SELECT organization_id, id, order_number, cart_id, customer_id, placed_by, order_type, status, currency, "
    "subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, paid_minor, refunded_minor, "
    "prices_include_tax, items_count, shipping_method, shipping_address, billing_address, coupon_code, payment_method, "
    "email, reservation_id, reservation_expires_at_ms, b2b_details, payment_attempts, payment_failed_at_ms, version, "
    "created_at_ms, updated_at_ms FROM orders ";

domain::Order readHeader(const Poco::Data::RecordSet& r, std::size_t i) {
  domain::Order o;
  o.organizationId = textAt(r, 0, i);
  o.id = textAt(r, 1, i);
  o.orderNumber = textAt(r, 2, i);
  o.cartId = optionalTextAt(r, 3, i);
  o.customerId = optionalTextAt(r, 4, i);
  o.placedBy = textAt(r, 5, i);
  o.type = domain::parseOrderType(textAt(r, 6, i)).value_or(domain::OrderType::Online);
  o.status = domain::parseOrderStatus(textAt(r, 7, i)).value_or(domain::OrderStatus::Pending);
  o.currency = textAt(r, 8, i);
  o.subtotalMinor = intAt(r, 9, i);
  o.discountMinor = intAt(r, 10, i);
  o.shippingMinor = intAt(r, 11, i);
  o.taxMinor = intAt(r, 12, i);
  o.totalMinor = intAt(r, 13, i);
  o.paidMinor = intAt(r, 14, i);
  o.refundedMinor = intAt(r, 15, i);
  o.pricesIncludeTax = intAt(r, 16, i) != 0;
  o.itemsCount = intAt(r, 17, i);
  o.shippingMethod = textAt(r, 18, i);
  o.shippingAddressJson = textAt(r, 19, i);
  o.billingAddressJson = textAt(r, 20, i);
  o.couponCode = optionalTextAt(r, 21, i);
  o.paymentMethod = optionalTextAt(r, 22, i);
  o.email = optionalTextAt(r, 23, i);
  o.reservationId = optionalTextAt(r, 24, i);
  o.reservationExpiresAtMs = optionalIntAt(r, 25, i);
  o.b2bDetailsJson = optionalTextAt(r, 26, i);
  o.paymentAttempts = static_cast<int>(intAt(r, 27, i));
  o.paymentFailedAtMs = optionalIntAt(r, 28, i);
  o.version = intAt(r, 29, i);
  o.createdAtMs = intAt(r, 30, i);
  o.updatedAtMs = intAt(r, 31, i);
  return o;
}

}  // namespace

std::string nextOrderNumber(Connection& c, const std::string& org, int year) {
  // Insert-if-missing, then bump under the row lock the UPDATE takes: concurrent
  // checkouts of one organization queue here for the length of their transaction.
  // ON CONFLICT DO NOTHING is the same on PostgreSQL and SQLite (3.24+).
  SqlQuery(c,
           "INSERT INTO order_number_sequences (organization_id, year, last_value) VALUES (?, ?, 0) "
           "ON CONFLICT DO NOTHING")
      .arg(org)
      .arg(static_cast<int64_t>(year))
      .exec();
  SqlQuery(c, "UPDATE order_number_sequences SET last_value = last_value + 1 WHERE organization_id = ? AND year = ?")
      .arg(org)
      .arg(static_cast<int64_t>(year))
      .exec();
  auto rows = SqlQuery(c, "SELECT last_value FROM order_number_sequences WHERE organization_id = ? AND year = ?")
                  .arg(org)
                  .arg(static_cast<int64_t>(year))
                  .rows();
  std::string number = std::to_string(intAt(rows, 0, 0));
  if (number.size() < 6) number.insert(0, 6 - number.size(), '0');
  return "ORD-" + std::to_string(year) + "-" + number;
}

void insert(Connection& c, const domain::Order& o) {
  SqlQuery(
      c,
      "INSERT INTO orders (organization_id, id, order_number, cart_id, customer_id, placed_by, order_type, status, "
      "currency, subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, paid_minor, refunded_minor, "
      "prices_include_tax, items_count, shipping_method, shipping_address, billing_address, coupon_code, "
      "payment_method, email, reservation_id, reservation_expires_at_ms, b2b_details, payment_attempts, "
      "payment_failed_at_ms, version, created_at_ms, updated_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .arg(o.organizationId)
      .arg(o.id)
      .arg(o.orderNumber)
      .arg(o.cartId)
      .arg(o.customerId)
      .arg(o.placedBy)
      .arg(std::string(domain::orderTypeName(o.type)))
      .arg(std::string(domain::orderStatusName(o.status)))
      .arg(o.currency)
      .arg(o.subtotalMinor)
      .arg(o.discountMinor)
      .arg(o.shippingMinor)
      .arg(o.taxMinor)
      .arg(o.totalMinor)
      .arg(o.paidMinor)
      .arg(o.refundedMinor)
      .arg(o.pricesIncludeTax)
      .arg(o.itemsCount)
      .arg(o.shippingMethod)
      .arg(o.shippingAddressJson)
      .arg(o.billingAddressJson)
      .arg(o.couponCode)
      .arg(o.paymentMethod)
      .arg(o.email)
      .arg(o.reservationId)
      .arg(o.reservationExpiresAtMs)
      .arg(o.b2bDetailsJson)
      .arg(static_cast<int64_t>(o.paymentAttempts))
      .arg(o.paymentFailedAtMs)
      .arg(o.version)
      .arg(o.createdAtMs)
      .arg(o.updatedAtMs)
      .exec();
  for (const auto& item : o.items) {
    SqlQuery(c,
             "INSERT INTO order_items (organization_id, order_id, line_no, variant_id, sku, name, tax_class, quantity, "
             "unit_price_minor, discount_minor, tax_minor, total_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .arg(o.organizationId)
        .arg(o.id)
        .arg(static_cast<int64_t>(item.lineNo))
        .arg(item.variantId)
        .arg(item.sku)
        .arg(item.name)
        .arg(item.taxClass)
        .arg(item.quantity)
        .arg(item.unitPriceMinor)
        .arg(item.discountMinor)
        .arg(item.taxMinor)
        .arg(item.totalMinor)
        .exec();
  }
}

std::optional<domain::Order> findHeader(Connection& c, const std::string& org, const std::string& id, bool lock) {
  const std::string sql = std::string(kHeaderColumns) + "WHERE organization_id = ? AND id = ?" +
                          std::string(lock ? c.dialect().forUpdate() : "");
  auto rows = SqlQuery(c, sql).arg(org).arg(id).rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return readHeader(rows, 0);
}

std::optional<domain::Order> findFull(Connection& c, const std::string& org, const std::string& id) {
  auto order = findHeader(c, org, id, false);
  if (!order) return order;
  auto items =
      SqlQuery(c,
               "SELECT line_no, variant_id, sku, name, tax_class, quantity, unit_price_minor, discount_minor, "
               "tax_minor, total_minor FROM order_items WHERE organization_id = ? AND order_id = ? ORDER BY line_no")
          .arg(org)
          .arg(id)
          .rows();
  for (std::size_t i = 0; i < items.rowCount(); ++i) {
    domain::OrderItem item;
    item.lineNo = static_cast<int>(intAt(items, 0, i));
    item.variantId = textAt(items, 1, i);
    item.sku = textAt(items, 2, i);
    item.name = textAt(items, 3, i);
    item.taxClass = textAt(items, 4, i);
    item.quantity = intAt(items, 5, i);
    item.unitPriceMinor = intAt(items, 6, i);
    item.discountMinor = intAt(items, 7, i);
    item.taxMinor = intAt(items, 8, i);
    item.totalMinor = intAt(items, 9, i);
    order->items.push_back(std::move(item));
  }
  auto timeline = SqlQuery(c,
                           "SELECT seq, at_ms, actor, action, from_status, to_status, note FROM order_timeline "
                           "WHERE organization_id = ? AND order_id = ? ORDER BY seq")
                      .arg(org)
                      .arg(id)
                      .rows();
  for (std::size_t i = 0; i < timeline.rowCount(); ++i) {
    domain::TimelineEntry entry;
    entry.seq = static_cast<int>(intAt(timeline, 0, i));
    entry.atMs = intAt(timeline, 1, i);
    entry.actor = textAt(timeline, 2, i);
    entry.action = textAt(timeline, 3, i);
    entry.fromStatus = optionalTextAt(timeline, 4, i);
    entry.toStatus = optionalTextAt(timeline, 5, i);
    entry.note = optionalTextAt(timeline, 6, i);
    order->timeline.push_back(std::move(entry));
  }
  return order;
}

std::optional<std::string> findIdByCart(Connection& c, const std::string& org, const std::string& cartId) {
  auto rows =
      SqlQuery(c, "SELECT id FROM orders WHERE organization_id = ? AND cart_id = ?").arg(org).arg(cartId).rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return textAt(rows, 0, 0);
}

std::vector<domain::Order> list(Connection& c, const OrderQuery& q) {
  std::string sql = std::string(kHeaderColumns) + "WHERE organization_id = ?";
  if (q.customerId) sql += " AND customer_id = ?";
  if (q.status) sql += " AND status = ?";
  if (q.type) sql += " AND order_type = ?";
  if (q.createdFromMs) sql += " AND created_at_ms >= ?";
  if (q.createdToMs) sql += " AND created_at_ms < ?";
  if (q.after) {
    sql += q.newestFirst ? " AND (created_at_ms < ? OR (created_at_ms = ? AND id < ?))"
                         : " AND (created_at_ms > ? OR (created_at_ms = ? AND id > ?))";
  }
  sql += q.newestFirst ? " ORDER BY created_at_ms DESC, id DESC" : " ORDER BY created_at_ms ASC, id ASC";
  sql += " LIMIT ?";
  SqlQuery query(c, sql);
  query.arg(q.organizationId);
  if (q.customerId) query.arg(*q.customerId);
  if (q.status) query.arg(*q.status);
  if (q.type) query.arg(*q.type);
  if (q.createdFromMs) query.arg(*q.createdFromMs);
  if (q.createdToMs) query.arg(*q.createdToMs);
  if (q.after) query.arg(q.after->first).arg(q.after->first).arg(q.after->second);
  query.arg(static_cast<int64_t>(q.limit));
  auto rows = query.rows();
  std::vector<domain::Order> out;
  for (std::size_t i = 0; i < rows.rowCount(); ++i) out.push_back(readHeader(rows, i));
  return out;
}

bool update(Connection& c, const domain::Order& o) {
  return SqlQuery(c,
                  "UPDATE orders SET status = ?, paid_minor = ?, refunded_minor = ?, payment_method = ?, "
                  "reservation_id = ?, reservation_expires_at_ms = ?, payment_attempts = ?, payment_failed_at_ms = ?, "
                  "version = version + 1, updated_at_ms = ? WHERE organization_id = ? AND id = ? AND version = ?")
             .arg(std::string(domain::orderStatusName(o.status)))
             .arg(o.paidMinor)
             .arg(o.refundedMinor)
             .arg(o.paymentMethod)
             .arg(o.reservationId)
             .arg(o.reservationExpiresAtMs)
             .arg(static_cast<int64_t>(o.paymentAttempts))
             .arg(o.paymentFailedAtMs)
             .arg(o.updatedAtMs)
             .arg(o.organizationId)
             .arg(o.id)
             .arg(o.version)
             .exec() == 1;
}

void appendTimeline(Connection& c, const std::string& org, const std::string& orderId, const domain::TimelineEntry& e) {
  // seq is the next number for this order; the order row is locked (or just inserted)
  // by the caller's transaction, so two writers cannot pick the same one.
  SqlQuery(
      c,
      "INSERT INTO order_timeline (organization_id, order_id, seq, at_ms, actor, action, from_status, to_status, note) "
      "SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM order_timeline "
      "WHERE organization_id = ? AND order_id = ?")
      .arg(org)
      .arg(orderId)
      .arg(e.atMs)
      .arg(e.actor)
      .arg(e.action)
      .arg(e.fromStatus)
      .arg(e.toStatus)
      .arg(e.note)
      .arg(org)
      .arg(orderId)
      .exec();
}

std::vector<std::pair<std::string, std::string>> claimExpiredReservations(Connection& c, int64_t nowMs, int limit) {
  // payment_pending too: an order half paid (split tender) or left in a browser session
  // must not hold its stock forever; cancelling it returns what was paid.
  const std::string sql =
      "SELECT organization_id, id FROM orders WHERE status IN ('pending', 'payment_pending') AND "
      "reservation_expires_at_ms IS NOT NULL AND reservation_expires_at_ms < ? "
      "ORDER BY reservation_expires_at_ms LIMIT ?" +
      std::string(c.dialect().forUpdateSkipLocked());
  return textPairs(SqlQuery(c, sql).arg(nowMs).arg(static_cast<int64_t>(limit)).rows());
}

std::vector<std::pair<std::string, std::string>> claimStalePaymentFailures(Connection& c, int64_t failedBeforeMs,
                                                                           int limit) {
  const std::string sql =
      "SELECT organization_id, id FROM orders WHERE status = 'payment_failed' AND "
      "payment_failed_at_ms < ? ORDER BY payment_failed_at_ms LIMIT ?" +
      std::string(c.dialect().forUpdateSkipLocked());
  return textPairs(SqlQuery(c, sql).arg(failedBeforeMs).arg(static_cast<int64_t>(limit)).rows());
}

}  // namespace ordersvc::storage::order_store
