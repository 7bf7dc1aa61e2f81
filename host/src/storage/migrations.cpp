#include "storage/migration.h"

namespace ordersvc::storage {

namespace {

constexpr std::string_view kOrganizationsSqlite = R"sql(
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  country TEXT NOT NULL CHECK (length(country) = 2),
  default_currency TEXT NOT NULL CHECK (length(default_currency) = 3),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX organizations_status_idx ON organizations (status)
)sql";

constexpr std::string_view kOrganizationsPostgres = R"sql(
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  country CHAR(2) NOT NULL,
  default_currency CHAR(3) NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX organizations_status_idx ON organizations (status)
)sql";

// Host-kept state of plugins ("osp.kv/1"), scoped by organization and plugin id. The
// value is base64 text (bytes, portable across both backends); counters live in
// int_value so increments are one atomic statement. expires_at_ms -1 = never.
constexpr std::string_view kPluginStateSqlite = R"sql(
CREATE TABLE plugin_state (
  organization_id TEXT NOT NULL,
  plugin_id TEXT NOT NULL,
  state_key TEXT NOT NULL,
  value TEXT,
  int_value INTEGER,
  version INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (organization_id, plugin_id, state_key)
)
)sql";

constexpr std::string_view kPluginStatePostgres = R"sql(
CREATE TABLE plugin_state (
  organization_id TEXT NOT NULL,
  plugin_id TEXT NOT NULL,
  state_key TEXT NOT NULL,
  value TEXT,
  int_value BIGINT,
  version BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, plugin_id, state_key)
)
)sql";

// An organization's plugin instances. Secret configuration fields are stored only
// sealed (AES-256-GCM, see plugins/secret_box.h); public_config holds the rest.
constexpr std::string_view kPluginBindingsSqlite = R"sql(
CREATE TABLE plugin_bindings (
  instance_id TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  plugin_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  version_range TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  public_config TEXT NOT NULL,
  sealed_secrets TEXT,
  base_url_override TEXT,
  revision INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (organization_id, instance_id)
)
)sql";

constexpr std::string_view kPluginBindingsPostgres = R"sql(
CREATE TABLE plugin_bindings (
  instance_id TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  plugin_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  version_range TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  public_config TEXT NOT NULL,
  sealed_secrets TEXT,
  base_url_override TEXT,
  revision BIGINT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, instance_id)
)
)sql";

// The commerce schema: catalog, stock, carts, coupons, addresses, orders, idempotency.
// One text for both backends on purpose: times are epoch milliseconds in BIGINT
// columns (the job queries compare them with a bound number, identically on SQLite
// and PostgreSQL, and no time-zone conversion happens in the database), money is a
// BIGINT count of the currency's minor unit, flags are INTEGER 0/1, and structured
// snapshots (addresses) are JSON text. Every table leads with organization_id, and
// every key and index does too, so no query can be written that spans tenants by
// accident and every lookup is an index hit within one tenant.
constexpr std::string_view kCommerce = R"sql(
CREATE TABLE products (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  tax_class TEXT NOT NULL DEFAULT 'standard',
  active INTEGER NOT NULL DEFAULT 1,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE TABLE variants (
  organization_id TEXT NOT NULL,
  id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  weight_grams INTEGER NOT NULL DEFAULT 0,
  length_mm INTEGER NOT NULL DEFAULT 0,
  width_mm INTEGER NOT NULL DEFAULT 0,
  height_mm INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, sku),
  FOREIGN KEY (organization_id, product_id) REFERENCES products (organization_id, id)
);
CREATE TABLE variant_prices (
  organization_id TEXT NOT NULL,
  variant_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  PRIMARY KEY (organization_id, variant_id, currency),
  FOREIGN KEY (organization_id, variant_id) REFERENCES variants (organization_id, id)
);
CREATE TABLE stock_levels (
  organization_id TEXT NOT NULL,
  variant_id TEXT NOT NULL,
  warehouse_id TEXT NOT NULL,
  on_hand BIGINT NOT NULL CHECK (on_hand >= 0),
  reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, variant_id, warehouse_id),
  CHECK (reserved <= on_hand)
);
CREATE TABLE stock_reservations (
  organization_id TEXT NOT NULL,
  id TEXT NOT NULL,
  reference TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'confirmed', 'released')),
  expires_at_ms BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE TABLE stock_reservation_lines (
  organization_id TEXT NOT NULL,
  reservation_id TEXT NOT NULL,
  variant_id TEXT NOT NULL,
  warehouse_id TEXT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (organization_id, reservation_id, variant_id, warehouse_id)
);
CREATE TABLE carts (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  id TEXT NOT NULL,
  token_hash TEXT,
  customer_id TEXT,
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'checked_out', 'merged', 'expired')),
  shipping_method TEXT,
  shipping_address TEXT,
  coupon_code TEXT,
  email TEXT,
  version BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  abandoned_at_ms BIGINT,
  recovery_token_hash TEXT,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX carts_customer_idx ON carts (organization_id, customer_id, status);
CREATE INDEX carts_idle_idx ON carts (status, updated_at_ms);
CREATE TABLE cart_items (
  organization_id TEXT NOT NULL,
  cart_id TEXT NOT NULL,
  id TEXT NOT NULL,
  variant_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  tax_class TEXT NOT NULL,
  unit_price_minor BIGINT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  weight_grams INTEGER NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, cart_id, id),
  UNIQUE (organization_id, cart_id, variant_id)
);
CREATE TABLE coupons (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  code TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('percentage', 'fixed_amount', 'free_shipping')),
  percent_basis_points INTEGER NOT NULL DEFAULT 0,
  amount_minor BIGINT NOT NULL DEFAULT 0,
  currency TEXT,
  min_subtotal_minor BIGINT NOT NULL DEFAULT 0,
  starts_at_ms BIGINT,
  ends_at_ms BIGINT,
  usage_limit BIGINT,
  per_customer_limit BIGINT,
  times_used BIGINT NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, code)
);
CREATE TABLE coupon_redemptions (
  organization_id TEXT NOT NULL,
  code TEXT NOT NULL,
  order_id TEXT NOT NULL,
  customer_id TEXT,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, code, order_id)
);
CREATE INDEX coupon_redemptions_customer_idx ON coupon_redemptions (organization_id, code, customer_id);
CREATE TABLE addresses (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX addresses_customer_idx ON addresses (organization_id, customer_id);
CREATE TABLE order_number_sequences (
  organization_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  last_value BIGINT NOT NULL,
  PRIMARY KEY (organization_id, year)
);
CREATE TABLE orders (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  id TEXT NOT NULL,
  order_number TEXT NOT NULL,
  cart_id TEXT,
  customer_id TEXT,
  placed_by TEXT NOT NULL,
  order_type TEXT NOT NULL CHECK (order_type IN ('online', 'pos', 'phone', 'b2b', 'subscription')),
  status TEXT NOT NULL,
  currency TEXT NOT NULL,
  subtotal_minor BIGINT NOT NULL,
  discount_minor BIGINT NOT NULL,
  shipping_minor BIGINT NOT NULL,
  tax_minor BIGINT NOT NULL,
  total_minor BIGINT NOT NULL,
  paid_minor BIGINT NOT NULL DEFAULT 0,
  refunded_minor BIGINT NOT NULL DEFAULT 0,
  prices_include_tax INTEGER NOT NULL,
  items_count BIGINT NOT NULL,
  shipping_method TEXT NOT NULL,
  shipping_address TEXT NOT NULL,
  billing_address TEXT NOT NULL,
  coupon_code TEXT,
  payment_method TEXT,
  email TEXT,
  reservation_id TEXT,
  reservation_expires_at_ms BIGINT,
  b2b_details TEXT,
  payment_attempts INTEGER NOT NULL DEFAULT 0,
  payment_failed_at_ms BIGINT,
  version BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, id),
  UNIQUE (organization_id, order_number),
  UNIQUE (organization_id, cart_id)
);
CREATE INDEX orders_list_idx ON orders (organization_id, created_at_ms, id);
CREATE INDEX orders_customer_idx ON orders (organization_id, customer_id, created_at_ms);
CREATE INDEX orders_status_idx ON orders (status, reservation_expires_at_ms);
CREATE TABLE order_items (
  organization_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  line_no INTEGER NOT NULL,
  variant_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  tax_class TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price_minor BIGINT NOT NULL,
  discount_minor BIGINT NOT NULL,
  tax_minor BIGINT NOT NULL,
  total_minor BIGINT NOT NULL,
  PRIMARY KEY (organization_id, order_id, line_no)
);
CREATE TABLE order_timeline (
  organization_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  note TEXT,
  PRIMARY KEY (organization_id, order_id, seq)
);
CREATE TABLE payments (
  organization_id TEXT NOT NULL,
  id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  payment_method TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  provider_reference TEXT,
  provider_data TEXT,
  refunded_minor BIGINT NOT NULL DEFAULT 0,
  failure_reason TEXT,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE INDEX payments_order_idx ON payments (organization_id, order_id);
CREATE TABLE idempotency_keys (
  organization_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
  status_code INTEGER,
  response_body TEXT,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, scope, idempotency_key)
)
)sql";

// The outbox: events written in the transaction of the change that caused them.
// `seq` orders them for the relay and for the API's cursor; sent_at_ms marks what the
// relay has handed to RabbitMQ with a publisher confirm.
constexpr std::string_view kOutboxSqlite = R"sql(
CREATE TABLE outbox_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  organization_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  occurred_at_ms BIGINT NOT NULL,
  data TEXT NOT NULL,
  sent_at_ms BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX outbox_events_org_idx ON outbox_events (organization_id, seq);
CREATE INDEX outbox_events_unsent_idx ON outbox_events (sent_at_ms, seq)
)sql";

constexpr std::string_view kOutboxPostgres = R"sql(
CREATE TABLE outbox_events (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  organization_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  occurred_at_ms BIGINT NOT NULL,
  data TEXT NOT NULL,
  sent_at_ms BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX outbox_events_org_idx ON outbox_events (organization_id, seq);
CREATE INDEX outbox_events_unsent_idx ON outbox_events (seq) WHERE sent_at_ms IS NULL
)sql";

// Payments as the host's own state machine (issue 5): capture mode and captured money,
// a lease while one process talks to the gateway about a payment, the reconciliation
// schedule for outcomes not known yet, fraud verdicts; refunds as rows of their own; the
// webhook inbox that makes each provider event count once. provider_data is sealed at
// rest from now on; rows written before hold plaintext JSON, which the store still reads.
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

// Fraud checks before payment attempts (domain/fraud_rules.h, storage/fraud_store.h).
// One text for both backends, in the style of migration 4 (epoch ms in BIGINT, flags as
// INTEGER 0/1, organization_id first in every key and index).
// fraud_rules: an organization's rules document; no row means the built-in defaults.
// `version` starts at 1 and grows by one per save (optimistic concurrency).
// payment_risk_signals: one row per assessed payment attempt, counted by the velocity
// rules. The email address is kept only as a SHA-256 hash (counting needs no PII); the
// card fingerprint is what the payment path passes (a hash of instance and gateway token).
// Each counted key has an index ending in at_ms, so a count is one range scan per tenant.
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

const std::vector<Migration>& allMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "create organizations", kOrganizationsSqlite, kOrganizationsPostgres},
      {2, "create plugin_state", kPluginStateSqlite, kPluginStatePostgres},
      {3, "create plugin_bindings", kPluginBindingsSqlite, kPluginBindingsPostgres},
      {4, "create commerce tables", kCommerce, kCommerce},
      {5, "create outbox_events", kOutboxSqlite, kOutboxPostgres},
      {6, "payments state machine, refunds and webhook inbox", kPayments, kPayments},
      {7, "create fraud_rules and payment_risk_signals", kFraud, kFraud},
  };
  return migrations;
}

}  // namespace ordersvc::storage
