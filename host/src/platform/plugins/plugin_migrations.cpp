#include "platform/plugins/plugin_migrations.h"

namespace ordersvc::storage {

namespace {

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

const std::vector<Migration>& pluginMigrations() {
  static const std::vector<Migration> migrations = {
      {2, "create plugin_state", kPluginStateSqlite, kPluginStatePostgres},
      {3, "create plugin_bindings", kPluginBindingsSqlite, kPluginBindingsPostgres},
  };
  return migrations;
}

}  // namespace ordersvc::storage
