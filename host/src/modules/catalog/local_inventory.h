#pragma once

#include "modules/catalog/inventory_port.h"
#include "platform/storage/database.h"

namespace ordersvc::integrations {

// Stock in the service's own tables: on_hand and reserved per (variant, warehouse).
// A reservation takes units from the warehouses with the most free stock first and
// records where it took them, so release and confirm put back exactly that.
class LocalInventory final : public services::InventoryPort {
 public:
  explicit LocalInventory(storage::Database& database) : database_(database) {}

  bool transactional() const override { return true; }
  Result<std::vector<services::Availability>> checkAvailability(const std::string& organizationId,
                                                                const std::vector<services::StockLine>& lines) override;
  Result<services::Reservation> reserve(storage::Connection& transaction, const std::string& organizationId,
                                        const std::string& reference, const std::vector<services::StockLine>& lines,
                                        int64_t ttlSeconds, int64_t nowMs) override;
  Status release(storage::Connection& transaction, const std::string& organizationId, const std::string& reservationId,
                 int64_t nowMs) override;
  Status confirm(storage::Connection& transaction, const std::string& organizationId, const std::string& reservationId,
                 int64_t nowMs) override;

  // Admin: sets on_hand of a variant in a warehouse. Errors: Unprocessable when below
  // what is reserved there now.
  Status setStock(const std::string& organizationId, const std::string& variantId, const std::string& warehouseId,
                  int64_t onHand, int64_t nowMs);

 private:
  storage::Database& database_;
};

}  // namespace ordersvc::integrations
