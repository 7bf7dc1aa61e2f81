#include "modules/fraud/fraud_service.h"

#include <array>

#include "kernel/ids.h"

namespace ordersvc::services {

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

Result<StoredFraudRules> FraudService::rules(const Actor& actor) {
  if (!actor.manager) return notAManager();
  auto unit = units_.begin();
  if (!unit) return unit.error();
  try {
    return repository_.loadRules(**unit, actor.organizationId);
  } catch (const std::exception& e) {
    return (*unit)->errorOf(e, "");
  }
}

Result<StoredFraudRules> FraudService::replaceRules(const Actor& actor, const domain::FraudRules& rules,
                                                    int64_t expectedVersion) {
  if (!actor.manager) return notAManager();
  auto begun = units_.begin();
  if (!begun) return begun.error();
  storage::UnitOfWork& unit = **begun;
  try {
    // The save and the read-back in one unit: the answer is what this save wrote.
    if (!repository_.saveRules(unit, actor.organizationId, rules, expectedVersion, clock_())) {
      const auto current = repository_.loadRules(unit, actor.organizationId);
      return Error::conflict("fraud rules are at version " + std::to_string(current.version) + ", not " +
                             std::to_string(expectedVersion) + "; read them again and retry");
    }
    auto stored = repository_.loadRules(unit, actor.organizationId);
    if (auto committed = unit.commit(); !committed) return committed.error();
    return stored;
  } catch (const std::exception& e) {
    return unit.errorOf(e, "fraud rules changed meanwhile; read them again");
  }
}

Result<domain::FraudDecision> FraudService::assess(storage::UnitOfWork& unit, const std::string& org,
                                                   const FraudInput& input, int64_t nowMs) const {
  try {
    const domain::FraudRules rules = repository_.loadRules(unit, org).rules;
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
        signals.attemptsFor(key) = repository_.countSince(unit, org, key, *value, since) + 1;  // + this attempt
      }
      if (customer) {
        const int64_t since = nowMs - rules.failedByCustomer.windowMinutes * kMsPerMinute;
        signals.failedAttemptsByCustomer =
            repository_.failedSince(unit, org, domain::VelocityKey::Customer, *customer, since);
      }
    }
    domain::FraudDecision decision = domain::evaluate(rules, signals);

    RiskSignal signal;
    signal.paymentId = input.paymentId;
    signal.orderId = input.orderId;
    signal.atMs = nowMs;
    signal.customerId = customer;
    signal.email = keys[static_cast<std::size_t>(domain::VelocityKey::Email)];
    signal.ip = keys[static_cast<std::size_t>(domain::VelocityKey::Ip)];
    signal.cardFingerprint = keys[static_cast<std::size_t>(domain::VelocityKey::Card)];
    signal.outcome = decision.outcome;
    repository_.recordSignal(unit, org, signal);
    return decision;
  } catch (const std::exception& e) {
    return unit.errorOf(e, "");
  }
}

Result<FraudVerdict> FraudService::screen(storage::UnitOfWork& unit, const std::string& organizationId,
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
  auto decision = assess(unit, organizationId, in, nowMs);
  if (!decision) return decision.error();
  FraudVerdict verdict;
  verdict.outcome = std::string(domain::fraudOutcomeName(decision->outcome));
  for (const auto& reason : decision->reasons) verdict.reasons.emplace_back(reason.code, reason.message);
  return verdict;
}

void FraudService::recordFailure(storage::UnitOfWork& unit, const std::string& organizationId,
                                 const std::string& paymentId) {
  repository_.markFailed(unit, organizationId, paymentId);
}

}  // namespace ordersvc::services
