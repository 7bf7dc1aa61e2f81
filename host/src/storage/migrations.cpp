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

}  // namespace

const std::vector<Migration>& allMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "create organizations", kOrganizationsSqlite, kOrganizationsPostgres},
      {2, "create plugin_state", kPluginStateSqlite, kPluginStatePostgres},
      {3, "create plugin_bindings", kPluginBindingsSqlite, kPluginBindingsPostgres},
  };
  return migrations;
}

}  // namespace ordersvc::storage
