#include "modules/carts/address_store.h"

#include "platform/storage/sql_query.h"

namespace ordersvc::storage::address_store {

namespace {
StoredAddress read(const Poco::Data::RecordSet& r, std::size_t i) {
  return StoredAddress{textAt(r, 0, i), textAt(r, 1, i), textAt(r, 2, i), intAt(r, 3, i)};
}
}  // namespace

void insert(Connection& c, const std::string& org, const StoredAddress& a) {
  SqlQuery(c, "INSERT INTO addresses (organization_id, id, customer_id, body, created_at_ms) VALUES (?, ?, ?, ?, ?)")
      .arg(org)
      .arg(a.id)
      .arg(a.customerId)
      .arg(a.bodyJson)
      .arg(a.createdAtMs)
      .exec();
}

std::optional<StoredAddress> find(Connection& c, const std::string& org, const std::string& customerId,
                                  const std::string& id) {
  auto rows = SqlQuery(c,
                       "SELECT id, customer_id, body, created_at_ms FROM addresses "
                       "WHERE organization_id = ? AND customer_id = ? AND id = ?")
                  .arg(org)
                  .arg(customerId)
                  .arg(id)
                  .rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return read(rows, 0);
}

std::vector<StoredAddress> list(Connection& c, const std::string& org, const std::string& customerId) {
  auto rows = SqlQuery(c,
                       "SELECT id, customer_id, body, created_at_ms FROM addresses "
                       "WHERE organization_id = ? AND customer_id = ? ORDER BY created_at_ms, id")
                  .arg(org)
                  .arg(customerId)
                  .rows();
  std::vector<StoredAddress> out;
  for (std::size_t i = 0; i < rows.rowCount(); ++i) out.push_back(read(rows, i));
  return out;
}

bool remove(Connection& c, const std::string& org, const std::string& customerId, const std::string& id) {
  return SqlQuery(c, "DELETE FROM addresses WHERE organization_id = ? AND customer_id = ? AND id = ?")
             .arg(org)
             .arg(customerId)
             .arg(id)
             .exec() == 1;
}

}  // namespace ordersvc::storage::address_store
