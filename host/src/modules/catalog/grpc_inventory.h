#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "modules/catalog/inventory_port.h"

namespace ordersvc::integrations {

// InventoryPort over the Inventory service's gRPC API (host/proto/inventory.proto,
// ordersvc.inventory.v1.InventoryService). The remote owns the stock and the
// reservations: transactional() is false, the `transaction` arguments are ignored, and
// `nowMs` is ignored too (expiry follows the remote's clock; Reservation.expiresAtMs is
// the remote's answer).
//
// Lines of one variant are summed here before they are sent, so the port's no-oversell
// rule holds whatever the remote does with repeated lines.
//
// Errors, beyond the port's contract: InvalidArgument for an empty organization,
// reference or variant id, a quantity or ttl below 1, or reserve() without lines (checked
// before any call); Conflict when the reference already holds an active reservation for
// other lines, or when a released or expired reservation is confirmed; Internal when
// the remote answers outside its contract. Unprocessable carries the shortages in
// Error.detailsJson as [{"variantId","sku","requested","available"}]; a remote that does
// not name them (no InsufficientStock trailer) gets every requested line listed, without
// "available". Unavailable messages read "inventory service at host:port unavailable: ...".
//
// reserve() is safe to retry with the same reference after DeadlineExceeded: the remote
// answers with the reservation the first attempt made, if it made one.
//
// Thread-safety: safe to call from any thread; all calls share one channel.
// gRPC headers stay in the .cpp (they are costly to compile).
class GrpcInventory final : public services::InventoryPort {
 public:
  // host:port of the Inventory service (INVENTORY_GRPC_HOST, INVENTORY_GRPC_PORT) and the
  // deadline of each call (GRPC_CALL_TIMEOUT_MS). Does not connect: the first call does.
  // Throws std::invalid_argument for an empty host, a bad port or a timeout <= 0.
  GrpcInventory(std::string host, int port, std::chrono::milliseconds callTimeout);
  ~GrpcInventory() override;
  GrpcInventory(const GrpcInventory&) = delete;
  GrpcInventory& operator=(const GrpcInventory&) = delete;

  bool transactional() const override { return false; }

  // One Availability per distinct variant, in order of first appearance.
  Result<std::vector<services::Availability>> checkAvailability(const std::string& organizationId,
                                                                const std::vector<services::StockLine>& lines) override;

  Result<services::Reservation> reserve(storage::Connection& transaction, const std::string& organizationId,
                                        const std::string& reference, const std::vector<services::StockLine>& lines,
                                        int64_t ttlSeconds, int64_t nowMs) override;

  Status release(storage::Connection& transaction, const std::string& organizationId, const std::string& reservationId,
                 int64_t nowMs) override;

  Status confirm(storage::Connection& transaction, const std::string& organizationId, const std::string& reservationId,
                 int64_t nowMs) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordersvc::integrations
