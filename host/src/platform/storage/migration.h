#pragma once

#include <string_view>
#include <vector>

#include "kernel/result.h"

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

// Checks that `migrations` is one list in version order, 1, 2, 3, ... with no gap and
// no version twice (each owner declares its own; together they must be the one history).
// Errors: Internal naming the first version out of place.
Status checkMigrationOrder(const std::vector<Migration>& migrations);

}  // namespace ordersvc::storage
