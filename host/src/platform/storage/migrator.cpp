#include "platform/storage/migrator.h"

#include <map>

#include <Poco/Data/RecordSet.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "platform/storage/clock_text.h"

namespace ordersvc::storage {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace {

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " checksum TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

std::string checksumOf(std::string_view sql) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(sql.data(), static_cast<unsigned>(sql.size()));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

std::vector<std::string_view> splitStatements(std::string_view sql) {
  std::vector<std::string_view> out;
  while (!sql.empty()) {
    const auto end = sql.find(";\n");
    std::string_view statement = sql.substr(0, end);
    const auto first = statement.find_first_not_of(" \n\t");
    if (first != std::string_view::npos) out.push_back(statement.substr(first));
    if (end == std::string_view::npos) break;
    sql.remove_prefix(end + 2);
  }
  return out;
}

// version -> checksum, as recorded in schema_migrations.
std::map<int, std::string> readApplied(Poco::Data::Session& session) {
  std::map<int, std::string> applied;
  Poco::Data::Statement select(session);
  select << "SELECT version, checksum FROM schema_migrations";
  select.execute();
  Poco::Data::RecordSet rows(select);
  for (std::size_t i = 0; i < rows.rowCount(); ++i) {
    applied[rows.value(0, i).convert<int>()] = rows.value(1, i).convert<std::string>();
  }
  return applied;
}

std::string describe(const std::exception& e) {
  const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
  return poco != nullptr ? poco->displayText() : e.what();
}

}  // namespace

Result<MigrationReport> Migrator::migrate() {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  Poco::Data::Session& session = connection->session();
  const Dialect& dialect = connection->dialect();
  MigrationReport report;
  bool locked = false;
  try {
    dialect.lockMigrations(session);
    locked = true;
    session << std::string(kCreateMigrationsTable), now;
    for (const Migration& migration : migrations_) {
      const std::string_view sql = dialect.backend() == Backend::Postgres ? migration.postgres : migration.sqlite;
      const std::string checksum = checksumOf(sql);
      dialect.begin(session);
      try {
        const auto applied = readApplied(session);
        const auto found = applied.find(migration.version);
        if (found != applied.end()) {
          dialect.rollback(session);
          if (found->second != checksum) {
            throw std::runtime_error("migration " + std::to_string(migration.version) + " (" +
                                     std::string(migration.name) +
                                     ") differs from the one applied to this database; released migrations must "
                                     "never change, add a new version instead");
          }
          continue;
        }
        for (std::string_view statement : splitStatements(sql)) {
          session << std::string(statement), now;
        }
        int version = migration.version;
        std::string name(migration.name);
        std::string appliedAt = utcNowText();
        session << dialect.sql(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)"),
            use(version), use(name), use(const_cast<std::string&>(checksum)), use(appliedAt), now;
        dialect.commit(session);
        report.applied.push_back(migration.version);
      } catch (...) {
        try {
          if (session.isTransaction() || dialect.backend() == Backend::Sqlite) dialect.rollback(session);
        } catch (...) {
          // The transaction may already be gone; the original error matters.
        }
        throw;
      }
    }
    const auto applied = readApplied(session);
    report.current = applied.empty() ? 0 : applied.rbegin()->first;
    dialect.unlockMigrations(session);
  } catch (const std::exception& e) {
    if (isConnectionFailure(e)) {
      connection->markBroken();
      return Error::unavailable("database lost during migrations: " + describe(e));
    }
    if (locked) {
      try {
        dialect.unlockMigrations(session);
      } catch (...) {
      }
    }
    return Error::internal("schema migration failed: " + describe(e));
  }
  return report;
}

Result<MigrationStatus> Migrator::status() {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  MigrationStatus status;
  for (const Migration& migration : migrations_) status.latestKnown = std::max(status.latestKnown, migration.version);
  try {
    const auto applied = readApplied(connection->session());
    status.current = applied.empty() ? 0 : applied.rbegin()->first;
    for (const Migration& migration : migrations_) {
      if (applied.count(migration.version) == 0) ++status.pending;
    }
  } catch (const std::exception& e) {
    if (isConnectionFailure(e)) {
      connection->markBroken();
      return Error::unavailable("database unreachable: " + describe(e));
    }
    // No schema_migrations table yet: nothing applied.
    status.current = 0;
    status.pending = static_cast<int>(migrations_.size());
  }
  return status;
}

}  // namespace ordersvc::storage
