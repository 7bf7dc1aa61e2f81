#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/fraud_rules.h"
#include "platform/storage/database.h"

// An organization's fraud rules and the risk signals of its payment attempts (tables of
// migration 7). Every function takes the caller's connection, so the writes of one
// payment attempt share its transaction, and every query is scoped by organization.
// Exceptions from Poco::Data propagate; callers translate them at their edge
// (platform/storage/sql_errors.h).
namespace ordersvc::storage::fraud_store {

struct StoredRules {
  domain::FraudRules rules;            // the defaults when the organization never saved any
  int64_t version = 0;                 // 0 = never saved; 1 after the first save, +1 per save
  std::optional<int64_t> updatedAtMs;  // when saved; nullopt for the defaults
};

// The organization's rules, or the defaults with version 0. Throws std::runtime_error
// when the stored document no longer parses (it was written by saveRules, so that is a bug
// or a hand edit, not bad input).
StoredRules loadRules(Connection& c, const std::string& org);

// Writes `rules` as version `expectedVersion` + 1, only if the stored version is still
// `expectedVersion` (0: nothing stored yet). False means another save won the race, or the
// caller's version was stale; nothing was written then.
bool saveRules(Connection& c, const std::string& org, const domain::FraudRules& rules, int64_t expectedVersion,
               int64_t nowMs);

// One assessed payment attempt. Keys the attempt did not have are nullopt (a guest has no
// customer id) and are never counted.
struct RiskSignal {
  std::string paymentId;
  std::string orderId;
  int64_t atMs = 0;
  std::optional<std::string> customerId;
  std::optional<std::string> email;  // the address; stored only as emailHash()
  std::optional<std::string> ip;
  std::optional<std::string> cardFingerprint;  // stored as given
  domain::FraudOutcome outcome = domain::FraudOutcome::Allow;
  bool failed = false;
};

// Records the attempt. False (nothing written) when the payment id was recorded already,
// so assessing one payment twice neither fails the caller's transaction nor counts twice.
bool recordSignal(Connection& c, const std::string& org, const RiskSignal& signal);

// Marks the payment's attempt as failed (declined by the gateway). False when no signal
// of that payment exists in the organization.
bool markFailed(Connection& c, const std::string& org, const std::string& paymentId);

// Attempts (countSince) and failed attempts (failedSince) whose key `key` equals `value`,
// at or after `sinceMs`. For VelocityKey::Email `value` is the address itself (hashed
// here the way recordSignal stores it).
int64_t countSince(Connection& c, const std::string& org, domain::VelocityKey key, const std::string& value,
                   int64_t sinceMs);
int64_t failedSince(Connection& c, const std::string& org, domain::VelocityKey key, const std::string& value,
                    int64_t sinceMs);

// SHA-256 hex of the address trimmed and in lower case, so "Ana@Example.com " and
// "ana@example.com" count as one shopper.
std::string emailHash(std::string_view email);

}  // namespace ordersvc::storage::fraud_store
