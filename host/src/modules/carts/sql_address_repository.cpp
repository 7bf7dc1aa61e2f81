#include "modules/carts/address_repository.h"

#include "platform/storage/sql_query.h"

namespace ordersvc::services {

namespace {

using storage::Row;
using storage::SqlQuery;

constexpr const char* kColumns = "SELECT id, customer_id, body, created_at_ms FROM addresses ";

SavedAddress addressOf(const Row& row) {
  return SavedAddress{row.text("id"), row.text("customer_id"), row.text("body"), row.integer("created_at_ms")};
}

}  // namespace

void SqlAddressRepository::insert(storage::UnitOfWork& unit, const std::string& org, const SavedAddress& a) {
  SqlQuery(storage::sqlConnectionOf(unit),
           "INSERT INTO addresses (organization_id, id, customer_id, body, created_at_ms) VALUES (?, ?, ?, ?, ?)")
      .arg(org)
      .arg(a.id)
      .arg(a.customerId)
      .arg(a.bodyJson)
      .arg(a.createdAtMs)
      .exec();
}

std::optional<SavedAddress> SqlAddressRepository::find(storage::UnitOfWork& unit, const std::string& org,
                                                       const std::string& customerId, const std::string& id) {
  auto rows = SqlQuery(storage::sqlConnectionOf(unit),
                       std::string(kColumns) + "WHERE organization_id = ? AND customer_id = ? AND id = ?")
                  .arg(org)
                  .arg(customerId)
                  .arg(id)
                  .rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return addressOf(Row(rows, 0));
}

std::vector<SavedAddress> SqlAddressRepository::list(storage::UnitOfWork& unit, const std::string& org,
                                                     const std::string& customerId) {
  auto rows =
      SqlQuery(storage::sqlConnectionOf(unit),
               std::string(kColumns) + "WHERE organization_id = ? AND customer_id = ? ORDER BY created_at_ms, id")
          .arg(org)
          .arg(customerId)
          .rows();
  std::vector<SavedAddress> out;
  for (const Row& row : storage::rowsOf(rows)) out.push_back(addressOf(row));
  return out;
}

bool SqlAddressRepository::remove(storage::UnitOfWork& unit, const std::string& org, const std::string& customerId,
                                  const std::string& id) {
  return SqlQuery(storage::sqlConnectionOf(unit),
                  "DELETE FROM addresses WHERE organization_id = ? AND customer_id = ? AND id = ?")
             .arg(org)
             .arg(customerId)
             .arg(id)
             .exec() == 1;
}

}  // namespace ordersvc::services
