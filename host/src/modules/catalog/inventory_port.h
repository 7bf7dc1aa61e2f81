#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernel/result.h"

namespace ordersvc::storage {
class Connection;
}

namespace ordersvc::services {

struct StockLine {
  std::string variantId;
  std::string sku;
  int64_t quantity = 0;
};

// Per requested variant: how many can be sold now (across warehouses).
struct Availability {
  std::string variantId;
  int64_t requested = 0;
  int64_t available = 0;
  bool sufficient() const { return available >= requested; }
};

struct Reservation {
  std::string reservationId;
  int64_t expiresAtMs = 0;
};

// Stock as the order service sees it. Two adapters: the service's own tables (local)
// and the Inventory service over gRPC.
//
// `transaction` is the caller's open database transaction. The local adapter writes its
// reservation rows in it, so an order and its reservation commit or roll back together;
// the gRPC adapter ignores it (the remote service owns its state, and the caller
// releases a remote reservation when its own transaction fails).
//
// Quantities for one variant are summed before checking, so two lines of one SKU
// cannot oversell (Medusa #16502).
//
// Errors: Unprocessable (naming the SKUs) when stock is insufficient; NotFound for an
// unknown reservation; Unavailable when the inventory cannot be reached (503);
// DeadlineExceeded on a time-out.
// Thread-safety: implementations are safe to call from any thread.
class InventoryPort {
 public:
  virtual ~InventoryPort() = default;

  // True when the adapter's writes join `transaction` (local); false when remote.
  virtual bool transactional() const = 0;

  virtual Result<std::vector<Availability>> checkAvailability(const std::string& organizationId,
                                                              const std::vector<StockLine>& lines) = 0;

  // Reserves every line or none; `reference` is the order id; ttl in seconds.
  virtual Result<Reservation> reserve(storage::Connection& transaction, const std::string& organizationId,
                                      const std::string& reference, const std::vector<StockLine>& lines,
                                      int64_t ttlSeconds, int64_t nowMs) = 0;

  // Gives the stock back. Releasing a released reservation succeeds (idempotent);
  // a confirmed one cannot be released (Conflict).
  virtual Status release(storage::Connection& transaction, const std::string& organizationId,
                         const std::string& reservationId, int64_t nowMs) = 0;

  // Turns the reservation into a sale: stock leaves on_hand. Idempotent.
  virtual Status confirm(storage::Connection& transaction, const std::string& organizationId,
                         const std::string& reservationId, int64_t nowMs) = 0;
};

}  // namespace ordersvc::services
