#include "modules/fraud/fraud_migrations.h"

namespace ordersvc::storage {

namespace {

constexpr std::string_view kFraud = R"sql(
CREATE TABLE fraud_rules (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  rules_json TEXT NOT NULL,
  version BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id)
);
CREATE TABLE payment_risk_signals (
  organization_id TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  customer_id TEXT,
  email_hash TEXT,
  ip TEXT,
  card_fingerprint TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('allow', 'review', 'deny')),
  failed INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (organization_id, payment_id)
);
CREATE INDEX payment_risk_signals_customer_idx ON payment_risk_signals (organization_id, customer_id, at_ms);
CREATE INDEX payment_risk_signals_email_idx ON payment_risk_signals (organization_id, email_hash, at_ms);
CREATE INDEX payment_risk_signals_ip_idx ON payment_risk_signals (organization_id, ip, at_ms);
CREATE INDEX payment_risk_signals_card_idx ON payment_risk_signals (organization_id, card_fingerprint, at_ms)
)sql";

}  // namespace

const std::vector<Migration>& fraudMigrations() {
  static const std::vector<Migration> migrations = {
      {7, "create fraud_rules and payment_risk_signals", kFraud, kFraud},
  };
  return migrations;
}

}  // namespace ordersvc::storage
