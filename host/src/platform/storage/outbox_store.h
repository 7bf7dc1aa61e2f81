#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/storage/database.h"

namespace ordersvc::storage {

struct OutboxEvent {
  int64_t seq = 0;
  std::string id;  // "evt_…"
  std::string organizationId;
  std::string type;  // "order.created"
  int64_t occurredAtMs = 0;
  std::string dataJson;
  std::optional<int64_t> sentAtMs;
};

namespace outbox_store {

// Adds an event in the caller's transaction, so it exists exactly when the change does.
void append(Connection& c, const std::string& org, const std::string& type, const std::string& dataJson, int64_t nowMs);
// An organization's events after `afterSeq`, oldest first (the API's cursor).
std::vector<OutboxEvent> list(Connection& c, const std::string& org, int64_t afterSeq, int limit,
                              const std::optional<std::string>& type);

}  // namespace outbox_store
}  // namespace ordersvc::storage
