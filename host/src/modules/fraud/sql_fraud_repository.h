#pragma once

#include "modules/fraud/fraud_repository.h"

namespace ordersvc::services {

// FraudRepository on the tables of migration 7 (fraud_rules, payment_risk_signals),
// columns read by name. Stateless: one instance serves every unit.
class SqlFraudRepository final : public FraudRepository {
 public:
  StoredFraudRules loadRules(storage::UnitOfWork& unit, const std::string& org) override;
  bool saveRules(storage::UnitOfWork& unit, const std::string& org, const domain::FraudRules& rules,
                 int64_t expectedVersion, int64_t nowMs) override;
  bool recordSignal(storage::UnitOfWork& unit, const std::string& org, const RiskSignal& signal) override;
  bool markFailed(storage::UnitOfWork& unit, const std::string& org, const std::string& paymentId) override;
  int64_t countSince(storage::UnitOfWork& unit, const std::string& org, domain::VelocityKey key,
                     const std::string& value, int64_t sinceMs) override;
  int64_t failedSince(storage::UnitOfWork& unit, const std::string& org, domain::VelocityKey key,
                      const std::string& value, int64_t sinceMs) override;
};

}  // namespace ordersvc::services
