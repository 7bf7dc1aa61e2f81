#include "modules/orders/order_migrations.h"

namespace ordersvc::storage {

namespace {

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

}  // namespace

const std::vector<Migration>& orderMigrations() {
  static const std::vector<Migration> migrations = {
      {4, "create commerce tables", kCommerce, kCommerce},
  };
  return migrations;
}

}  // namespace ordersvc::storage
