#include "modules/fraud/fraud_service.h"

#include <array>

#include "kernel/ids.h"
#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::services {

namespace fraud_store = storage::fraud_store;

namespace {

constexpr int64_t kMsPerMinute = 60'000;

Error notAManager() {
  return Error::permissionDenied("fraud rules are for managers and admins");
}

// An attempt is never counted under an empty key: every guest would share it.
std::optional<std::string> present(const std::optional<std::string>& value) {
  if (value && !value->empty()) return value;
  return std::nullopt;
}

}  // namespace

Result<fraud_store::StoredRules> FraudService::rules(const Actor& actor) {
  if (!actor.manager) return notAManager();
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    return fraud_store::loadRules(*connection, actor.organizationId);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<fraud_store::StoredRules> FraudService::replaceRules(const Actor& actor, const domain::FraudRules& rules,
                                                            int64_t expectedVersion) {
  if (!actor.manager) return notAManager();
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    // The save and the read-back in one transaction: the answer is what this save wrote.
    storage::Transaction tx(*connection);
    if (!fraud_store::saveRules(*connection, actor.organizationId, rules, expectedVersion, clock_())) {
      const auto current = fraud_store::loadRules(*connection, actor.organizationId);
      return Error::conflict("fraud rules are at version " + std::to_string(current.version) + ", not " +
                             std::to_string(expectedVersion) + "; read them again and retry");
    }
    auto stored = fraud_store::loadRules(*connection, actor.organizationId);
    tx.commit();
    return stored;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "fraud rules changed meanwhile; read them again");
  }
}

Result<domain::FraudDecision> FraudService::assess(storage::Connection& c, const std::string& org,
                                                   const FraudInput& input, int64_t nowMs) const {
  try {
    const domain::FraudRules rules = fraud_store::loadRules(c, org).rules;
    const std::optional<std::string> customer = present(input.customerId);
    // Indexed by VelocityKey.
    const std::array<std::optional<std::string>, 4> keys = {customer, present(input.email), present(input.ip),
                                                            present(input.cardFingerprint)};
    domain::FraudSignals signals;
    signals.amountMinor = input.amountMinor;
    signals.currency = input.currency;
    signals.billingCountry = input.billingCountry;
    signals.shippingCountry = input.shippingCountry;
    signals.failedAttemptsOnOrder = input.failedAttemptsOnOrder;
    if (rules.enabled) {
      for (domain::VelocityKey key : domain::kVelocityKeys) {
        const auto& value = keys[static_cast<std::size_t>(key)];
        if (!value) continue;
        const int64_t since = nowMs - rules.velocityFor(key).windowMinutes * kMsPerMinute;
        signals.attemptsFor(key) = fraud_store::countSince(c, org, key, *value, since) + 1;  // + this attempt
      }
      if (customer) {
        const int64_t since = nowMs - rules.failedByCustomer.windowMinutes * kMsPerMinute;
        signals.failedAttemptsByCustomer =
            fraud_store::failedSince(c, org, domain::VelocityKey::Customer, *customer, since);
      }
    }
    domain::FraudDecision decision = domain::evaluate(rules, signals);

    fraud_store::RiskSignal signal;
    signal.paymentId = input.paymentId;
    signal.orderId = input.orderId;
    signal.atMs = nowMs;
    signal.customerId = customer;
    signal.email = keys[static_cast<std::size_t>(domain::VelocityKey::Email)];
    signal.ip = keys[static_cast<std::size_t>(domain::VelocityKey::Ip)];
    signal.cardFingerprint = keys[static_cast<std::size_t>(domain::VelocityKey::Card)];
    signal.outcome = decision.outcome;
    fraud_store::recordSignal(c, org, signal);
    return decision;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<FraudVerdict> FraudService::screen(storage::Connection& c, const std::string& organizationId,
                                          const FraudScreenInput& input, int64_t nowMs) {
  FraudInput in;
  in.paymentId = input.paymentId;
  in.orderId = input.orderId;
  in.customerId = input.customerId;
  in.email = input.email;
  if (!input.clientIp.empty()) in.ip = input.clientIp;
  // Never the token itself: a hash of the instance and the gateway's token for the card.
  if (input.cardFingerprint) in.cardFingerprint = hashToken(*input.cardFingerprint);
  in.amountMinor = input.amountMinor;
  in.currency = input.currency;
  in.billingCountry = input.billingCountry;
  in.shippingCountry = input.shippingCountry;
  in.failedAttemptsOnOrder = input.failedAttemptsOnOrder;
  auto decision = assess(c, organizationId, in, nowMs);
  if (!decision) return decision.error();
  FraudVerdict verdict;
  verdict.outcome = std::string(domain::fraudOutcomeName(decision->outcome));
  for (const auto& reason : decision->reasons) verdict.reasons.emplace_back(reason.code, reason.message);
  return verdict;
}

void FraudService::recordFailure(storage::Connection& c, const std::string& organizationId,
                                 const std::string& paymentId) {
  storage::fraud_store::markFailed(c, organizationId, paymentId);
}

}  // namespace ordersvc::services
