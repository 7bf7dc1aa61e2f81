#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/result.h"
#include "platform/storage/database.h"
#include "platform/storage/outbox_store.h"

namespace ordersvc::storage {

// The outbox as a feed an organization reads (GET /api/v1/events, for deployments
// without a broker): its events after a cursor, oldest first.
// Thread-safety: safe from any thread (one pooled connection per call).
class EventFeed {
 public:
  explicit EventFeed(Database& database) : database_(database) {}

  // Errors: Unavailable when no connection can be had.
  Result<std::vector<OutboxEvent>> after(const std::string& organizationId, int64_t afterSeq, int limit,
                                         const std::optional<std::string>& type);

 private:
  Database& database_;
};

}  // namespace ordersvc::storage
