#pragma once

#include <vector>

#include "kernel/result.h"
#include "platform/storage/database.h"
#include "platform/storage/migration.h"

namespace ordersvc::storage {

struct MigrationReport {
  std::vector<int> applied;  // versions this call applied
  int current = 0;           // highest version recorded afterwards
};

struct MigrationStatus {
  int latestKnown = 0;  // highest version this binary has
  int current = 0;      // highest version recorded in the database
  int pending = 0;      // known versions not yet recorded
};

// Applies versioned migrations and reports their state.
//
// Each migration runs in its own transaction together with its row in
// schema_migrations, so a failure leaves the database at the previous version.
// Concurrent runs (two processes starting at once) are serialised: on PostgreSQL by
// an advisory lock, on SQLite by BEGIN IMMEDIATE; each re-reads the applied versions
// inside its lock, so every migration is applied exactly once.
//
// Thread-safety: stateless; concurrent calls are serialised by the database.
class Migrator {
 public:
  Migrator(Database& database, const std::vector<Migration>& migrations)
      : database_(database), migrations_(migrations) {}

  // Errors: Unavailable (database down), Internal (a migration failed, or an applied
  // migration's checksum differs from this binary's: someone edited a released one).
  Result<MigrationReport> migrate();

  Result<MigrationStatus> status();

 private:
  Database& database_;
  const std::vector<Migration>& migrations_;
};

}  // namespace ordersvc::storage
