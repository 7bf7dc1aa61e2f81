#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/fraud_rules.h"
#include "platform/storage/unit_of_work.h"

namespace ordersvc::services {

// An organization's fraud rules as stored.
struct StoredFraudRules {
  domain::FraudRules rules;            // the defaults when the organization never saved any
  int64_t version = 0;                 // 0 = never saved; 1 after the first save, +1 per save
  std::optional<int64_t> updatedAtMs;  // when saved; nullopt for the defaults
};

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

// The fraud module's storage: the organization's rules and the risk signals of its
// payment attempts. Every call works in the caller's unit, so the writes of one payment
// attempt share its transaction, and is scoped by organization.
// Errors are exceptions of the store (the use case translates them at its edge).
// Thread-safety: any thread; a unit is used by one thread at a time.
class FraudRepository {
 public:
  virtual ~FraudRepository() = default;

  // The organization's rules, or the defaults with version 0. Throws std::runtime_error
  // when the stored document no longer parses (written by saveRules: a bug or a hand edit).
  virtual StoredFraudRules loadRules(storage::UnitOfWork& unit, const std::string& org) = 0;

  // Writes `rules` as version `expectedVersion` + 1, only if the stored version is still
  // `expectedVersion` (0: nothing stored yet). False: another save won, or the caller's
  // version was stale; nothing was written.
  virtual bool saveRules(storage::UnitOfWork& unit, const std::string& org, const domain::FraudRules& rules,
                         int64_t expectedVersion, int64_t nowMs) = 0;

  // Records the attempt. False (nothing written) when the payment id was recorded
  // already, so assessing one payment twice neither fails the caller nor counts twice.
  virtual bool recordSignal(storage::UnitOfWork& unit, const std::string& org, const RiskSignal& signal) = 0;

  // Marks the payment's attempt as failed (declined by the gateway). False when no signal
  // of that payment exists in the organization.
  virtual bool markFailed(storage::UnitOfWork& unit, const std::string& org, const std::string& paymentId) = 0;

  // Attempts (countSince) and failed attempts (failedSince) whose `key` equals `value`, at
  // or after `sinceMs`. For VelocityKey::Email `value` is the address itself.
  virtual int64_t countSince(storage::UnitOfWork& unit, const std::string& org, domain::VelocityKey key,
                             const std::string& value, int64_t sinceMs) = 0;
  virtual int64_t failedSince(storage::UnitOfWork& unit, const std::string& org, domain::VelocityKey key,
                              const std::string& value, int64_t sinceMs) = 0;
};

// SHA-256 hex of the address trimmed and in lower case, so "Ana@Example.com " and
// "ana@example.com" count as one shopper (how stores keep and compare emails).
std::string emailHash(std::string_view email);

}  // namespace ordersvc::services
