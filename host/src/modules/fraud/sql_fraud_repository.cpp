#include "modules/fraud/sql_fraud_repository.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "kernel/ids.h"
#include "platform/storage/sql_query.h"
#include "platform/storage/unit_of_work.h"

namespace ordersvc::services {

using storage::Row;
using storage::SqlQuery;

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

int64_t count(storage::Connection& c, const std::string& org, domain::VelocityKey key, const std::string& value,
              int64_t sinceMs, bool failedOnly) {
  const std::string sql = "SELECT COUNT(*) AS attempts FROM payment_risk_signals WHERE organization_id = ? AND " +
                          std::string(columnOf(key)) + " = ? AND at_ms >= ?" + (failedOnly ? " AND failed = 1" : "");
  auto rows = SqlQuery(c, sql).arg(org).arg(storedValue(key, value)).arg(sinceMs).rows();
  return Row(rows, 0).integer("attempts");
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

StoredFraudRules SqlFraudRepository::loadRules(storage::UnitOfWork& unit, const std::string& org) {
  auto& c = storage::sqlConnectionOf(unit);
  auto rows = SqlQuery(c, "SELECT rules_json, version, updated_at_ms FROM fraud_rules WHERE organization_id = ?")
                  .arg(org)
                  .rows();
  StoredFraudRules stored;
  if (rows.rowCount() == 0) return stored;
  const Row row(rows, 0);
  auto rules = domain::parseFraudRules(row.text("rules_json"));
  if (!rules) {
    throw std::runtime_error("stored fraud rules of " + org + " do not parse: " + rules.error().message + " " +
                             rules.error().detailsJson);
  }
  stored.rules = std::move(*rules);
  stored.version = row.integer("version");
  stored.updatedAtMs = row.integer("updated_at_ms");
  return stored;
}

bool SqlFraudRepository::saveRules(storage::UnitOfWork& unit, const std::string& org, const domain::FraudRules& rules,
                                   int64_t expectedVersion, int64_t nowMs) {
  auto& c = storage::sqlConnectionOf(unit);
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

bool SqlFraudRepository::recordSignal(storage::UnitOfWork& unit, const std::string& org, const RiskSignal& s) {
  auto& c = storage::sqlConnectionOf(unit);
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

bool SqlFraudRepository::markFailed(storage::UnitOfWork& unit, const std::string& org, const std::string& paymentId) {
  auto& c = storage::sqlConnectionOf(unit);
  return SqlQuery(c, "UPDATE payment_risk_signals SET failed = 1 WHERE organization_id = ? AND payment_id = ?")
             .arg(org)
             .arg(paymentId)
             .exec() == 1;
}

int64_t SqlFraudRepository::countSince(storage::UnitOfWork& unit, const std::string& org, domain::VelocityKey key,
                                       const std::string& value, int64_t sinceMs) {
  return count(storage::sqlConnectionOf(unit), org, key, value, sinceMs, false);
}

int64_t SqlFraudRepository::failedSince(storage::UnitOfWork& unit, const std::string& org, domain::VelocityKey key,
                                        const std::string& value, int64_t sinceMs) {
  return count(storage::sqlConnectionOf(unit), org, key, value, sinceMs, true);
}

}  // namespace ordersvc::services
