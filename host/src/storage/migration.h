#pragma once

#include <string_view>
#include <vector>

namespace ordersvc::storage {

// One versioned schema change. SQL is given per backend because DDL types differ
// (TEXT timestamps in SQLite, TIMESTAMPTZ in PostgreSQL); statements are separated by
// ";\n". Never edit a migration once released: its checksum is recorded and a change
// stops start-up. Add a new version instead.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sqlite;
  std::string_view postgres;
};

// Every migration, in version order (migrations.cpp).
const std::vector<Migration>& allMigrations();

}  // namespace ordersvc::storage
