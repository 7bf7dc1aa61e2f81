#include "modules/fraud/fraud_store.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "kernel/ids.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::storage::fraud_store {

namespace {

// The column each key is stored in; the names come from this switch only, never from
// input, so building the SQL from them is safe.
std::string_view columnOf(domain::VelocityKey key) {
  switch (key) {
    case domain::VelocityKey::Customer:
      return "customer_id";
    case domain::VelocityKey::Email:
      return "email_hash";
    case domain::VelocityKey::Ip:
      return "ip";
    case domain::VelocityKey::Card:
      return "card_fingerprint";
  }
  return "customer_id";
}

// What is stored for `value` under `key`.
std::string storedValue(domain::VelocityKey key, const std::string& value) {
  return key == domain::VelocityKey::Email ? emailHash(value) : value;
}

int64_t count(Connection& c, const std::string& org, domain::VelocityKey key, const std::string& value, int64_t sinceMs,
              bool failedOnly) {
  const std::string sql = "SELECT COUNT(*) FROM payment_risk_signals WHERE organization_id = ? AND " +
                          std::string(columnOf(key)) + " = ? AND at_ms >= ?" + (failedOnly ? " AND failed = 1" : "");
  auto rows = SqlQuery(c, sql).arg(org).arg(storedValue(key, value)).arg(sinceMs).rows();
  return intAt(rows, 0, 0);
}

}  // namespace

std::string emailHash(std::string_view email) {
  const auto first = email.find_first_not_of(" \t\r\n");
  const auto last = email.find_last_not_of(" \t\r\n");
  std::string normal(first == std::string_view::npos ? std::string_view() : email.substr(first, last - first + 1));
  std::transform(normal.begin(), normal.end(), normal.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return hashToken(normal);
}

StoredRules loadRules(Connection& c, const std::string& org) {
  auto rows = SqlQuery(c, "SELECT rules_json, version, updated_at_ms FROM fraud_rules WHERE organization_id = ?")
                  .arg(org)
                  .rows();
  StoredRules stored;
  if (rows.rowCount() == 0) return stored;
  auto rules = domain::parseFraudRules(textAt(rows, 0, 0));
  if (!rules) {
    throw std::runtime_error("stored fraud rules of " + org + " do not parse: " + rules.error().message + " " +
                             rules.error().detailsJson);
  }
  stored.rules = std::move(*rules);
  stored.version = intAt(rows, 1, 0);
  stored.updatedAtMs = intAt(rows, 2, 0);
  return stored;
}

bool saveRules(Connection& c, const std::string& org, const domain::FraudRules& rules, int64_t expectedVersion,
               int64_t nowMs) {
  const std::string text = domain::fraudRulesText(rules);
  if (expectedVersion == 0) {
    // The first save: a concurrent first save makes this insert nothing.
    return SqlQuery(c,
                    "INSERT INTO fraud_rules (organization_id, rules_json, version, updated_at_ms) VALUES (?, ?, 1, ?) "
                    "ON CONFLICT (organization_id) DO NOTHING")
               .arg(org)
               .arg(text)
               .arg(nowMs)
               .exec() == 1;
  }
  return SqlQuery(c,
                  "UPDATE fraud_rules SET rules_json = ?, version = version + 1, updated_at_ms = ? "
                  "WHERE organization_id = ? AND version = ?")
             .arg(text)
             .arg(nowMs)
             .arg(org)
             .arg(expectedVersion)
             .exec() == 1;
}

bool recordSignal(Connection& c, const std::string& org, const RiskSignal& s) {
  std::optional<std::string> hashedEmail;
  if (s.email) hashedEmail = emailHash(*s.email);
  return SqlQuery(c,
                  "INSERT INTO payment_risk_signals (organization_id, payment_id, order_id, at_ms, customer_id, "
                  "email_hash, ip, card_fingerprint, outcome, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (organization_id, payment_id) DO NOTHING")
             .arg(org)
             .arg(s.paymentId)
             .arg(s.orderId)
             .arg(s.atMs)
             .arg(s.customerId)
             .arg(hashedEmail)
             .arg(s.ip)
             .arg(s.cardFingerprint)
             .arg(std::string(domain::fraudOutcomeName(s.outcome)))
             .arg(s.failed)
             .exec() == 1;
}

bool markFailed(Connection& c, const std::string& org, const std::string& paymentId) {
  return SqlQuery(c, "UPDATE payment_risk_signals SET failed = 1 WHERE organization_id = ? AND payment_id = ?")
             .arg(org)
             .arg(paymentId)
             .exec() == 1;
}

int64_t countSince(Connection& c, const std::string& org, domain::VelocityKey key, const std::string& value,
                   int64_t sinceMs) {
  return count(c, org, key, value, sinceMs, false);
}

int64_t failedSince(Connection& c, const std::string& org, domain::VelocityKey key, const std::string& value,
                    int64_t sinceMs) {
  return count(c, org, key, value, sinceMs, true);
}

}  // namespace ordersvc::storage::fraud_store
