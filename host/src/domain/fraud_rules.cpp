#include "domain/fraud_rules.h"

#include <algorithm>
#include <cctype>

#include "domain/money.h"

namespace ordersvc::domain {

std::string_view fraudOutcomeName(FraudOutcome outcome) {
  switch (outcome) {
    case FraudOutcome::Allow:
      return "allow";
    case FraudOutcome::Review:
      return "review";
    case FraudOutcome::Deny:
      return "deny";
  }
  return "deny";
}

std::optional<FraudOutcome> parseFraudOutcome(std::string_view name) {
  for (FraudOutcome outcome : {FraudOutcome::Allow, FraudOutcome::Review, FraudOutcome::Deny}) {
    if (fraudOutcomeName(outcome) == name) return outcome;
  }
  return std::nullopt;
}

std::string_view velocityKeyName(VelocityKey key) {
  switch (key) {
    case VelocityKey::Customer:
      return "customer";
    case VelocityKey::Email:
      return "email";
    case VelocityKey::Ip:
      return "ip";
    case VelocityKey::Card:
      return "card";
  }
  return "customer";
}

namespace {

// The level `value` reaches under `limits` and the threshold it went past; deny is
// checked first so a value past both reports the deny limit.
struct Hit {
  FraudOutcome outcome;
  int64_t limit;
};

std::optional<Hit> check(const FraudLimits& limits, int64_t value) {
  if (limits.denyAbove && value > *limits.denyAbove) return Hit{FraudOutcome::Deny, *limits.denyAbove};
  if (limits.reviewAbove && value > *limits.reviewAbove) return Hit{FraudOutcome::Review, *limits.reviewAbove};
  return std::nullopt;
}

// How a velocity reason starts: "customer made 6 payment attempts ...".
std::string velocitySubject(VelocityKey key) {
  switch (key) {
    case VelocityKey::Customer:
      return "customer made";
    case VelocityKey::Email:
      return "email address was used for";
    case VelocityKey::Ip:
      return "IP address was used for";
    case VelocityKey::Card:
      return "card was used for";
  }
  return "";
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

class Verdict {
 public:
  void add(std::string code, FraudOutcome outcome, std::string message) {
    decision_.outcome = std::max(decision_.outcome, outcome);
    decision_.reasons.push_back({std::move(code), outcome, std::move(message)});
  }
  FraudDecision take() { return std::move(decision_); }

 private:
  FraudDecision decision_;
};

}  // namespace

FraudDecision evaluate(const FraudRules& rules, const FraudSignals& signals) {
  Verdict verdict;
  if (!rules.enabled) return verdict.take();

  for (VelocityKey key : kVelocityKeys) {
    const WindowedLimits& rule = rules.velocityFor(key);
    const int64_t attempts = signals.attemptsFor(key);
    if (const auto hit = check(rule.limits, attempts)) {
      verdict.add("velocity." + std::string(velocityKeyName(key)), hit->outcome,
                  velocitySubject(key) + " " + std::to_string(attempts) + " payment attempts in " +
                      std::to_string(rule.windowMinutes) + " minutes (limit " + std::to_string(hit->limit) + ")");
    }
  }

  const auto threshold = rules.amountThresholds.find(signals.currency);
  if (threshold != rules.amountThresholds.end()) {
    if (const auto hit = check(threshold->second, signals.amountMinor)) {
      verdict.add("amount", hit->outcome,
                  "amount " + formatMajorUnits(signals.amountMinor, signals.currency) + " " + signals.currency +
                      " is above " + formatMajorUnits(hit->limit, signals.currency) + " " + signals.currency);
    }
  }

  const std::string billing = upper(signals.billingCountry);
  const std::string shipping = upper(signals.shippingCountry);
  if (rules.countryMismatch != FraudOutcome::Allow && !billing.empty() && !shipping.empty() && billing != shipping) {
    verdict.add("country_mismatch", rules.countryMismatch,
                "billing country " + billing + " differs from shipping country " + shipping);
  }

  if (const auto hit = check(rules.failedOnOrder, signals.failedAttemptsOnOrder)) {
    verdict.add("failed_attempts.order", hit->outcome,
                "order has " + std::to_string(signals.failedAttemptsOnOrder) + " failed payment attempts (limit " +
                    std::to_string(hit->limit) + ")");
  }
  if (const auto hit = check(rules.failedByCustomer.limits, signals.failedAttemptsByCustomer)) {
    verdict.add("failed_attempts.customer", hit->outcome,
                "customer had " + std::to_string(signals.failedAttemptsByCustomer) + " failed payment attempts in " +
                    std::to_string(rules.failedByCustomer.windowMinutes) + " minutes (limit " +
                    std::to_string(hit->limit) + ")");
  }
  return verdict.take();
}

}  // namespace ordersvc::domain
