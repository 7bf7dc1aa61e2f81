#include "modules/catalog/local_inventory.h"

#include <map>

#include "kernel/ids.h"
#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::integrations {

using storage::intAt;
using storage::SqlQuery;
using storage::textAt;

namespace {

// Quantities per variant, summed over lines, so two lines of one SKU are checked together.
std::map<std::string, std::pair<std::string, int64_t>> summed(const std::vector<services::StockLine>& lines) {
  std::map<std::string, std::pair<std::string, int64_t>> out;
  for (const auto& line : lines) {
    auto& entry = out[line.variantId];
    entry.first = line.sku;
    entry.second += line.quantity;
  }
  return out;
}

}  // namespace

Result<std::vector<services::Availability>> LocalInventory::checkAvailability(
    const std::string& org, const std::vector<services::StockLine>& lines) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    std::vector<services::Availability> out;
    for (const auto& [variantId, wanted] : summed(lines)) {
      auto rows =
          SqlQuery(*connection,
                   "SELECT COALESCE(SUM(on_hand - reserved), 0) FROM stock_levels WHERE organization_id = ? AND "
                   "variant_id = ?")
              .arg(org)
              .arg(variantId)
              .rows();
      out.push_back({variantId, wanted.second, intAt(rows, 0, 0)});
    }
    return out;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<services::Reservation> LocalInventory::reserve(storage::Connection& c, const std::string& org,
                                                      const std::string& reference,
                                                      const std::vector<services::StockLine>& lines, int64_t ttlSeconds,
                                                      int64_t nowMs) {
  const std::string reservationId = newId("res");
  std::string shortOf;
  struct Take {
    std::string variantId, warehouseId;
    int64_t quantity;
  };
  std::vector<Take> takes;
  for (const auto& [variantId, wanted] : summed(lines)) {
    // Lock this variant's stock rows: concurrent checkouts of the same SKU queue here.
    auto rows = SqlQuery(c,
                         "SELECT warehouse_id, on_hand - reserved FROM stock_levels WHERE organization_id = ? AND "
                         "variant_id = ? ORDER BY on_hand - reserved DESC, warehouse_id" +
                             std::string(c.dialect().forUpdate()))
                    .arg(org)
                    .arg(variantId)
                    .rows();
    int64_t left = wanted.second;
    for (std::size_t i = 0; i < rows.rowCount() && left > 0; ++i) {
      const int64_t free = intAt(rows, 1, i);
      if (free <= 0) continue;
      const int64_t take = std::min(free, left);
      takes.push_back({variantId, textAt(rows, 0, i), take});
      left -= take;
    }
    if (left > 0) {
      shortOf += (shortOf.empty() ? "" : ", ") + wanted.first + " (" + std::to_string(wanted.second - left) + " of " +
                 std::to_string(wanted.second) + " available)";
    }
  }
  if (!shortOf.empty()) return Error::unprocessable("not enough stock: " + shortOf);
  const int64_t expiresAt = nowMs + ttlSeconds * 1000;
  SqlQuery(c,
           "INSERT INTO stock_reservations (organization_id, id, reference, status, expires_at_ms, created_at_ms, "
           "updated_at_ms) VALUES (?, ?, ?, 'active', ?, ?, ?)")
      .arg(org)
      .arg(reservationId)
      .arg(reference)
      .arg(expiresAt)
      .arg(nowMs)
      .arg(nowMs)
      .exec();
  for (const auto& take : takes) {
    SqlQuery(c,
             "UPDATE stock_levels SET reserved = reserved + ?, updated_at_ms = ? WHERE organization_id = ? AND "
             "variant_id = ? AND warehouse_id = ?")
        .arg(take.quantity)
        .arg(nowMs)
        .arg(org)
        .arg(take.variantId)
        .arg(take.warehouseId)
        .exec();
    SqlQuery(
        c,
        "INSERT INTO stock_reservation_lines (organization_id, reservation_id, variant_id, warehouse_id, quantity) "
        "VALUES (?, ?, ?, ?, ?)")
        .arg(org)
        .arg(reservationId)
        .arg(take.variantId)
        .arg(take.warehouseId)
        .arg(take.quantity)
        .exec();
  }
  return services::Reservation{reservationId, expiresAt};
}

namespace {

// Moves an active reservation to `target`. Each line leaves `reserved`; when the
// reservation is confirmed (sold) it leaves `on_hand` too.
Status finish(storage::Connection& c, const std::string& org, const std::string& reservationId, int64_t nowMs,
              const std::string& target) {
  const bool sold = target == "confirmed";
  auto rows = SqlQuery(c, "SELECT status FROM stock_reservations WHERE organization_id = ? AND id = ?" +
                              std::string(c.dialect().forUpdate()))
                  .arg(org)
                  .arg(reservationId)
                  .rows();
  if (rows.rowCount() == 0) return Error::notFound("reservation " + reservationId + " does not exist");
  const std::string status = textAt(rows, 0, 0);
  if (status == target) return Status::ok();  // idempotent
  if (status != "active") return Error::conflict("reservation " + reservationId + " is already " + status);
  auto lines = SqlQuery(c,
                        "SELECT variant_id, warehouse_id, quantity FROM stock_reservation_lines WHERE "
                        "organization_id = ? AND reservation_id = ?")
                   .arg(org)
                   .arg(reservationId)
                   .rows();
  for (std::size_t i = 0; i < lines.rowCount(); ++i) {
    const int64_t quantity = intAt(lines, 2, i);
    SqlQuery update(c, std::string("UPDATE stock_levels SET ") +
                           (sold ? "on_hand = on_hand - ?, reserved = reserved - ?" : "reserved = reserved - ?") +
                           ", updated_at_ms = ? WHERE organization_id = ? AND variant_id = ? AND warehouse_id = ?");
    if (sold) update.arg(quantity);
    update.arg(quantity).arg(nowMs).arg(org).arg(textAt(lines, 0, i)).arg(textAt(lines, 1, i)).exec();
  }
  SqlQuery(c, "UPDATE stock_reservations SET status = ?, updated_at_ms = ? WHERE organization_id = ? AND id = ?")
      .arg(target)
      .arg(nowMs)
      .arg(org)
      .arg(reservationId)
      .exec();
  return Status::ok();
}

}  // namespace

Status LocalInventory::release(storage::Connection& c, const std::string& org, const std::string& reservationId,
                               int64_t nowMs) {
  return finish(c, org, reservationId, nowMs, "released");
}

Status LocalInventory::confirm(storage::Connection& c, const std::string& org, const std::string& reservationId,
                               int64_t nowMs) {
  return finish(c, org, reservationId, nowMs, "confirmed");
}

Status LocalInventory::setStock(const std::string& org, const std::string& variantId, const std::string& warehouseId,
                                int64_t onHand, int64_t nowMs) {
  if (onHand < 0) return Error::invalidArgument("on_hand: must not be negative");
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    storage::Transaction tx(c);
    auto exists =
        SqlQuery(c, "SELECT 1 FROM variants WHERE organization_id = ? AND id = ?").arg(org).arg(variantId).rows();
    if (exists.rowCount() == 0) return Error::notFound("variant " + variantId + " does not exist");
    auto rows = SqlQuery(c,
                         "SELECT reserved FROM stock_levels WHERE organization_id = ? AND variant_id = ? AND "
                         "warehouse_id = ?" +
                             std::string(c.dialect().forUpdate()))
                    .arg(org)
                    .arg(variantId)
                    .arg(warehouseId)
                    .rows();
    if (rows.rowCount() == 0) {
      SqlQuery(c,
               "INSERT INTO stock_levels (organization_id, variant_id, warehouse_id, on_hand, reserved, updated_at_ms) "
               "VALUES (?, ?, ?, ?, 0, ?)")
          .arg(org)
          .arg(variantId)
          .arg(warehouseId)
          .arg(onHand)
          .arg(nowMs)
          .exec();
    } else {
      const int64_t reserved = intAt(rows, 0, 0);
      if (onHand < reserved) {
        return Error::unprocessable("on_hand " + std::to_string(onHand) + " is below the " + std::to_string(reserved) +
                                    " units reserved in " + warehouseId);
      }
      SqlQuery(c,
               "UPDATE stock_levels SET on_hand = ?, updated_at_ms = ? WHERE organization_id = ? AND variant_id = ? "
               "AND warehouse_id = ?")
          .arg(onHand)
          .arg(nowMs)
          .arg(org)
          .arg(variantId)
          .arg(warehouseId)
          .exec();
    }
    tx.commit();
    return Status::ok();
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

}  // namespace ordersvc::integrations
