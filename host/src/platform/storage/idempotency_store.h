#pragma once

#include <optional>
#include <string>

#include "platform/storage/database.h"

namespace ordersvc::storage {

struct IdempotencyRecord {
  std::string requestHash;
  std::string state;  // in_progress, done
  int statusCode = 0;
  std::string responseBody;
  int64_t createdAtMs = 0;
};

namespace idempotency_store {

// Claims (organization, scope, key) for a request; false when the key already exists
// (the unique key makes two concurrent claims end with exactly one winner).
bool claim(Connection& c, const std::string& org, const std::string& scope, const std::string& key,
           const std::string& requestHash, int64_t nowMs);
std::optional<IdempotencyRecord> find(Connection& c, const std::string& org, const std::string& scope,
                                      const std::string& key);
void complete(Connection& c, const std::string& org, const std::string& scope, const std::string& key, int statusCode,
              const std::string& body);
// Forgets a claim whose request failed before changing anything, so a retry can run.
void forget(Connection& c, const std::string& org, const std::string& scope, const std::string& key);
// Deletes keys older than `beforeMs` (kept 24 h).
std::size_t purge(Connection& c, int64_t beforeMs);

}  // namespace idempotency_store
}  // namespace ordersvc::storage
