#include "platform/tenancy/tenancy_migrations.h"

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

}  // namespace

const std::vector<Migration>& tenancyMigrations() {
  static const std::vector<Migration> migrations = {
      {1, "create organizations", kOrganizationsSqlite, kOrganizationsPostgres},
  };
  return migrations;
}

}  // namespace ordersvc::storage
