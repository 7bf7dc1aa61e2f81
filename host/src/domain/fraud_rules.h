#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include "kernel/result.h"

namespace ordersvc::domain {

// Fraud checks run before a payment attempt: an organization's rules (FraudRules), the
// facts about one attempt (FraudSignals, counts already taken from storage), and the
// verdict (FraudDecision). No I/O here: modules/fraud/fraud_service.h gathers the signals.

// The verdicts, in increasing strictness; the strictest triggered rule wins.
enum class FraudOutcome { Allow = 0, Review = 1, Deny = 2 };

std::string_view fraudOutcomeName(FraudOutcome outcome);               // "allow", "review", "deny"
std::optional<FraudOutcome> parseFraudOutcome(std::string_view name);  // exact, lower case

// What payment attempts are counted by for velocity rules.
enum class VelocityKey { Customer = 0, Email = 1, Ip = 2, Card = 3 };
inline constexpr std::array<VelocityKey, 4> kVelocityKeys = {VelocityKey::Customer, VelocityKey::Email, VelocityKey::Ip,
                                                             VelocityKey::Card};
std::string_view velocityKeyName(VelocityKey key);  // "customer", "email", "ip", "card"

// Two thresholds on one number: more than `reviewAbove` -> review, more than `denyAbove`
// -> deny. nullopt switches that level off (JSON null).
struct FraudLimits {
  std::optional<int64_t> reviewAbove;
  std::optional<int64_t> denyAbove;
};

// Thresholds on a count of events within the last `windowMinutes`.
struct WindowedLimits {
  int64_t windowMinutes = 60;
  FraudLimits limits;
};

// An organization's fraud configuration. The defaults are what an organization that
// never saved rules gets: velocity limits a shopper does not reach by accident, country
// mismatch sent to review, no amount thresholds (what a large basket is depends on the
// merchant, so a built-in number would either block real sales or catch nothing).
struct FraudRules {
  bool enabled = true;
  // Payment attempts per customer id, email address, client IP and card fingerprint,
  // indexed by VelocityKey. IPs are shared behind NAT, so their limits are higher;
  // cards are counted over a day, because card testing spreads attempts out.
  std::array<WindowedLimits, 4> velocity = {{
      {60, {5, 10}},    // customer
      {60, {5, 10}},    // email
      {60, {10, 20}},   // ip
      {1440, {5, 10}},  // card
  }};
  // Amount of the attempt in minor units, per ISO 4217 currency; a currency not listed
  // has no amount rule.
  std::map<std::string, FraudLimits> amountThresholds;
  // What a billing country different from the shipping country leads to (both known).
  FraudOutcome countryMismatch = FraudOutcome::Review;
  // Earlier failed payment attempts on the same order (no window: the order's life).
  FraudLimits failedOnOrder{2, 5};
  // Failed payment attempts of the customer within the window, on any order.
  WindowedLimits failedByCustomer{1440, {3, 8}};

  WindowedLimits& velocityFor(VelocityKey key) { return velocity[static_cast<std::size_t>(key)]; }
  const WindowedLimits& velocityFor(VelocityKey key) const { return velocity[static_cast<std::size_t>(key)]; }
};

// The facts about one payment attempt. Counts are taken by the caller over each rule's
// own window.
struct FraudSignals {
  int64_t amountMinor = 0;
  std::string currency;  // ISO 4217
  // Payment attempts within each velocity rule's window, this attempt included, indexed
  // by VelocityKey; 0 when the attempt has no such key (a guest has no customer id).
  std::array<int64_t, 4> attempts{};
  std::string billingCountry;            // ISO 3166-1 alpha-2; "" when unknown (then not compared)
  std::string shippingCountry;           // idem
  int64_t failedAttemptsOnOrder = 0;     // earlier failed attempts on this order
  int64_t failedAttemptsByCustomer = 0;  // within failedByCustomer's window; 0 for guests

  int64_t& attemptsFor(VelocityKey key) { return attempts[static_cast<std::size_t>(key)]; }
  int64_t attemptsFor(VelocityKey key) const { return attempts[static_cast<std::size_t>(key)]; }
};

// One triggered rule. `code` is stable (clients and dashboards key on it):
//   velocity.customer, velocity.email, velocity.ip, velocity.card, amount,
//   country_mismatch, failed_attempts.order, failed_attempts.customer
// `message` is for people and may change wording.
struct FraudReason {
  std::string code;
  FraudOutcome outcome = FraudOutcome::Review;
  std::string message;
};

struct FraudDecision {
  FraudOutcome outcome = FraudOutcome::Allow;
  std::vector<FraudReason> reasons;  // in rule order; empty when allowed
};

// Applies every rule to the signals. Disabled rules allow everything with no reasons.
FraudDecision evaluate(const FraudRules& rules, const FraudSignals& signals);

// --- JSON ---
// The document (GET/PUT /api/v1/fraud-rules "rules", and the stored text):
//   {"enabled": true,
//    "velocity": {"customer": {"window_minutes": 60, "review_above": 5, "deny_above": 10},
//                 "email": {...}, "ip": {...}, "card": {...}},
//    "amount_thresholds": {"CLP": {"review_above": 500000, "deny_above": null}},
//    "country_mismatch": "review",
//    "failed_attempts": {"order": {"review_above": 2, "deny_above": 5},
//                        "customer": {"window_minutes": 1440, "review_above": 3, "deny_above": 8}}}
// Reading is strict: an unknown field, a wrong type or a value out of range is a problem
// named by its dotted path. A field left out keeps its default (a currency entry's
// thresholds default to null); null switches a threshold off.

// Field path -> what is wrong with it, e.g. "velocity.ip.window_minutes" -> "must be an integer".
using FieldProblems = std::map<std::string, std::string>;

// Reads `value` as a rules document. Problems are added to `problems` under `path` (""
// for a top-level document, e.g. "rules" when it is nested in a request body); returns
// nullopt when there was any.
std::optional<FraudRules> readFraudRules(const Poco::Dynamic::Var& value, const std::string& path,
                                         FieldProblems& problems);

// Parses stored or received JSON text. Errors: InvalidArgument with details
// {"fields": {...}} (see invalidFields).
Result<FraudRules> parseFraudRules(std::string_view jsonText);

// The whole document, every field written (null for thresholds that are off).
Poco::JSON::Object::Ptr fraudRulesJson(const FraudRules& rules);
std::string fraudRulesText(const FraudRules& rules);

// InvalidArgument "some fields are invalid" with details {"fields": problems}: the 400 of
// the REST API.
Error invalidFields(const FieldProblems& problems);

}  // namespace ordersvc::domain
