#include "modules/payments/payment_migrations.h"

namespace ordersvc::storage {

namespace {

constexpr std::string_view kPayments = R"sql(
ALTER TABLE payments ADD COLUMN capture_mode TEXT NOT NULL DEFAULT 'automatic';
ALTER TABLE payments ADD COLUMN captured_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN lease_until_ms BIGINT;
ALTER TABLE payments ADD COLUMN next_sync_at_ms BIGINT;
ALTER TABLE payments ADD COLUMN sync_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN fraud_outcome TEXT;
ALTER TABLE payments ADD COLUMN fraud_reasons TEXT;
ALTER TABLE payments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
UPDATE payments SET status = 'captured', captured_minor = amount_minor WHERE status = 'succeeded';
UPDATE payments SET captured_minor = amount_minor WHERE status IN ('refunded', 'partially_refunded');
CREATE INDEX payments_reference_idx ON payments (organization_id, instance_id, provider_reference);
CREATE INDEX payments_sync_idx ON payments (next_sync_at_ms);
CREATE TABLE payment_refunds (
  organization_id TEXT NOT NULL,
  id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  items TEXT,
  provider_reference TEXT,
  provider_data TEXT,
  failure_reason TEXT,
  next_sync_at_ms BIGINT,
  sync_attempts INTEGER NOT NULL DEFAULT 0,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX payment_refunds_order_idx ON payment_refunds (organization_id, order_id);
CREATE INDEX payment_refunds_sync_idx ON payment_refunds (next_sync_at_ms);
CREATE TABLE webhook_inbox (
  organization_id TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  event_types TEXT NOT NULL,
  PRIMARY KEY (organization_id, instance_id, event_id)
)
)sql";

}  // namespace

const std::vector<Migration>& paymentMigrations() {
  static const std::vector<Migration> migrations = {
      {6, "payments state machine, refunds and webhook inbox", kPayments, kPayments},
  };
  return migrations;
}

}  // namespace ordersvc::storage
