#include "modules/carts/cart_store.h"

#include "platform/storage/sql_query.h"

namespace ordersvc::storage::cart_store {

namespace {

constexpr const char* kCartColumns =
    "SELECT organization_id, id, token_hash, customer_id, currency, status, shipping_method, shipping_address, "
    "coupon_code, email, version, created_at_ms, updated_at_ms, expires_at_ms, abandoned_at_ms, recovery_token_hash "
    "FROM carts ";

std::optional<CartRecord> readCart(Connection& c, Poco::Data::RecordSet rows) {
  if (rows.rowCount() == 0) return std::nullopt;
  CartRecord record;
  domain::Cart& cart = record.cart;
  cart.organizationId = textAt(rows, 0, 0);
  cart.id = textAt(rows, 1, 0);
  record.tokenHash = optionalTextAt(rows, 2, 0);
  cart.customerId = optionalTextAt(rows, 3, 0);
  cart.currency = textAt(rows, 4, 0);
  cart.status = textAt(rows, 5, 0);
  cart.shippingMethod = optionalTextAt(rows, 6, 0);
  cart.shippingAddressJson = optionalTextAt(rows, 7, 0);
  cart.couponCode = optionalTextAt(rows, 8, 0);
  cart.email = optionalTextAt(rows, 9, 0);
  cart.version = intAt(rows, 10, 0);
  cart.createdAtMs = intAt(rows, 11, 0);
  cart.updatedAtMs = intAt(rows, 12, 0);
  cart.expiresAtMs = intAt(rows, 13, 0);
  cart.abandonedAtMs = optionalIntAt(rows, 14, 0);
  record.recoveryTokenHash = optionalTextAt(rows, 15, 0);

  auto items = SqlQuery(c,
                        "SELECT id, variant_id, sku, name, tax_class, unit_price_minor, quantity, weight_grams, "
                        "created_at_ms FROM cart_items WHERE organization_id = ? AND cart_id = ? "
                        "ORDER BY created_at_ms, id")
                   .arg(cart.organizationId)
                   .arg(cart.id)
                   .rows();
  for (std::size_t i = 0; i < items.rowCount(); ++i) {
    domain::CartItem item;
    item.id = textAt(items, 0, i);
    item.variantId = textAt(items, 1, i);
    item.sku = textAt(items, 2, i);
    item.name = textAt(items, 3, i);
    item.taxClass = textAt(items, 4, i);
    item.unitPriceMinor = intAt(items, 5, i);
    item.quantity = intAt(items, 6, i);
    item.weightGrams = static_cast<int>(intAt(items, 7, i));
    item.createdAtMs = intAt(items, 8, i);
    cart.items.push_back(std::move(item));
  }
  return record;
}

}  // namespace

std::optional<CartRecord> find(Connection& c, const std::string& org, const std::string& id, bool lock) {
  const std::string sql = std::string(kCartColumns) + "WHERE organization_id = ? AND id = ?" +
                          std::string(lock ? c.dialect().forUpdate() : "");
  return readCart(c, SqlQuery(c, sql).arg(org).arg(id).rows());
}

std::optional<CartRecord> findByRecoveryToken(Connection& c, const std::string& org, const std::string& tokenHash) {
  return readCart(c, SqlQuery(c, std::string(kCartColumns) + "WHERE organization_id = ? AND recovery_token_hash = ?")
                         .arg(org)
                         .arg(tokenHash)
                         .rows());
}

std::optional<std::string> findActiveIdForCustomer(Connection& c, const std::string& org,
                                                   const std::string& customerId) {
  auto rows = SqlQuery(c,
                       "SELECT id FROM carts WHERE organization_id = ? AND customer_id = ? AND status = 'active' "
                       "ORDER BY updated_at_ms DESC LIMIT 1")
                  .arg(org)
                  .arg(customerId)
                  .rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return textAt(rows, 0, 0);
}

void insert(Connection& c, const CartRecord& record) {
  const domain::Cart& cart = record.cart;
  SqlQuery(c,
           "INSERT INTO carts (organization_id, id, token_hash, customer_id, currency, status, shipping_method, "
           "shipping_address, coupon_code, email, version, created_at_ms, updated_at_ms, expires_at_ms) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .arg(cart.organizationId)
      .arg(cart.id)
      .arg(record.tokenHash)
      .arg(cart.customerId)
      .arg(cart.currency)
      .arg(cart.status)
      .arg(cart.shippingMethod)
      .arg(cart.shippingAddressJson)
      .arg(cart.couponCode)
      .arg(cart.email)
      .arg(cart.version)
      .arg(cart.createdAtMs)
      .arg(cart.updatedAtMs)
      .arg(cart.expiresAtMs)
      .exec();
}

bool updateHeader(Connection& c, const domain::Cart& cart, int64_t expectedVersion) {
  return SqlQuery(
             c,
             "UPDATE carts SET customer_id = ?, currency = ?, status = ?, shipping_method = ?, shipping_address = ?, "
             "coupon_code = ?, email = ?, version = ?, updated_at_ms = ?, expires_at_ms = ?, abandoned_at_ms = ? "
             "WHERE organization_id = ? AND id = ? AND version = ?")
             .arg(cart.customerId)
             .arg(cart.currency)
             .arg(cart.status)
             .arg(cart.shippingMethod)
             .arg(cart.shippingAddressJson)
             .arg(cart.couponCode)
             .arg(cart.email)
             .arg(cart.version)
             .arg(cart.updatedAtMs)
             .arg(cart.expiresAtMs)
             .arg(cart.abandonedAtMs)
             .arg(cart.organizationId)
             .arg(cart.id)
             .arg(expectedVersion)
             .exec() == 1;
}

void setRecoveryToken(Connection& c, const std::string& org, const std::string& id,
                      const std::optional<std::string>& tokenHash, std::optional<int64_t> abandonedAtMs) {
  SqlQuery(c, "UPDATE carts SET recovery_token_hash = ?, abandoned_at_ms = ? WHERE organization_id = ? AND id = ?")
      .arg(tokenHash)
      .arg(abandonedAtMs)
      .arg(org)
      .arg(id)
      .exec();
}

void setGuestTokenHash(Connection& c, const std::string& org, const std::string& id, const std::string& tokenHash) {
  SqlQuery(c, "UPDATE carts SET token_hash = ? WHERE organization_id = ? AND id = ?")
      .arg(tokenHash)
      .arg(org)
      .arg(id)
      .exec();
}

bool expireIfActive(Connection& c, const std::string& org, const std::string& id, int64_t nowMs) {
  return SqlQuery(c,
                  "UPDATE carts SET status = 'expired', version = version + 1, updated_at_ms = ? "
                  "WHERE organization_id = ? AND id = ? AND status = 'active'")
             .arg(nowMs)
             .arg(org)
             .arg(id)
             .exec() > 0;
}

void insertItem(Connection& c, const std::string& org, const std::string& cartId, const domain::CartItem& item) {
  SqlQuery(c,
           "INSERT INTO cart_items (organization_id, cart_id, id, variant_id, sku, name, tax_class, unit_price_minor, "
           "quantity, weight_grams, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .arg(org)
      .arg(cartId)
      .arg(item.id)
      .arg(item.variantId)
      .arg(item.sku)
      .arg(item.name)
      .arg(item.taxClass)
      .arg(item.unitPriceMinor)
      .arg(item.quantity)
      .arg(static_cast<int64_t>(item.weightGrams))
      .arg(item.createdAtMs)
      .exec();
}

void updateItem(Connection& c, const std::string& org, const std::string& cartId, const domain::CartItem& item) {
  SqlQuery(
      c,
      "UPDATE cart_items SET quantity = ?, unit_price_minor = ?, name = ?, sku = ?, tax_class = ?, weight_grams = ? "
      "WHERE organization_id = ? AND cart_id = ? AND id = ?")
      .arg(item.quantity)
      .arg(item.unitPriceMinor)
      .arg(item.name)
      .arg(item.sku)
      .arg(item.taxClass)
      .arg(static_cast<int64_t>(item.weightGrams))
      .arg(org)
      .arg(cartId)
      .arg(item.id)
      .exec();
}

void deleteItem(Connection& c, const std::string& org, const std::string& cartId, const std::string& itemId) {
  SqlQuery(c, "DELETE FROM cart_items WHERE organization_id = ? AND cart_id = ? AND id = ?")
      .arg(org)
      .arg(cartId)
      .arg(itemId)
      .exec();
}

std::vector<std::pair<std::string, std::string>> claimIdle(Connection& c, int64_t idleBeforeMs, int limit) {
  const std::string sql =
      "SELECT organization_id, id FROM carts WHERE status = 'active' AND abandoned_at_ms IS NULL AND updated_at_ms < ? "
      "AND EXISTS (SELECT 1 FROM cart_items i WHERE i.organization_id = carts.organization_id AND i.cart_id = "
      "carts.id) "
      "ORDER BY updated_at_ms LIMIT ?" +
      std::string(c.dialect().forUpdateSkipLocked());
  return textPairs(SqlQuery(c, sql).arg(idleBeforeMs).arg(static_cast<int64_t>(limit)).rows());
}

std::vector<std::pair<std::string, std::string>> claimExpired(Connection& c, int64_t nowMs, int limit) {
  const std::string sql =
      "SELECT organization_id, id FROM carts WHERE status = 'active' AND expires_at_ms < ? "
      "ORDER BY expires_at_ms LIMIT ?" +
      std::string(c.dialect().forUpdateSkipLocked());
  return textPairs(SqlQuery(c, sql).arg(nowMs).arg(static_cast<int64_t>(limit)).rows());
}

}  // namespace ordersvc::storage::cart_store
