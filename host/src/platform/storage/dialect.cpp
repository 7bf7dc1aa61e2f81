#include "platform/storage/dialect.h"

namespace ordersvc::storage {

using Poco::Data::Keywords::now;

namespace {

// Any fixed number works; it names "ordersvc schema migrations" among advisory locks.
constexpr long long kMigrationLockKey = 0x6f72646572737663;  // "ordersvc"

class SqliteDialect final : public Dialect {
 public:
  Backend backend() const override { return Backend::Sqlite; }
  std::string_view name() const override { return "sqlite"; }
  std::string sql(std::string_view portableSql) const override { return std::string(portableSql); }
  std::string timestampText(std::string_view column) const override { return std::string(column); }
  void prepareSession(Poco::Data::Session& session, int busyTimeoutSeconds) const override {
    // WAL lets readers run beside the one writer; the busy timeout makes writers
    // queue instead of failing with SQLITE_BUSY.
    session.setConnectionTimeout(static_cast<std::size_t>(busyTimeoutSeconds));
    session << "PRAGMA journal_mode=WAL", now;
    session << "PRAGMA synchronous=NORMAL", now;
    session << "PRAGMA foreign_keys=ON", now;
  }

  // The write lock BEGIN IMMEDIATE takes already serialises writers: no row locks.
  std::string_view forUpdate() const override { return ""; }
  std::string_view forUpdateSkipLocked() const override { return ""; }

  void begin(Poco::Data::Session& session) const override { session << "BEGIN IMMEDIATE", now; }
  void commit(Poco::Data::Session& session) const override { session << "COMMIT", now; }
  void rollback(Poco::Data::Session& session) const override { session << "ROLLBACK", now; }
  void lockMigrations(Poco::Data::Session&) const override {}
  void unlockMigrations(Poco::Data::Session&) const override {}
};

class PostgresDialect final : public Dialect {
 public:
  Backend backend() const override { return Backend::Postgres; }
  std::string_view name() const override { return "postgresql"; }

  std::string sql(std::string_view portableSql) const override {
    std::string out;
    out.reserve(portableSql.size() + 16);
    int next = 1;
    char quote = 0;
    for (char c : portableSql) {
      if (quote != 0) {
        if (c == quote) quote = 0;
        out.push_back(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        out.push_back(c);
      } else if (c == '?') {
        out += "$" + std::to_string(next++);
      } else {
        out.push_back(c);
      }
    }
    return out;
  }

  std::string timestampText(std::string_view column) const override {
    return "to_char(" + std::string(column) + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
  }

  void prepareSession(Poco::Data::Session& session, int) const override {
    session << "SET TIME ZONE 'UTC'", now;
    session << "SET client_min_messages TO warning", now;  // no NOTICE noise on stderr
  }

  std::string_view forUpdate() const override { return " FOR UPDATE"; }
  std::string_view forUpdateSkipLocked() const override { return " FOR UPDATE SKIP LOCKED"; }

  void begin(Poco::Data::Session& session) const override { session.begin(); }
  void commit(Poco::Data::Session& session) const override { session.commit(); }
  void rollback(Poco::Data::Session& session) const override { session.rollback(); }

  void lockMigrations(Poco::Data::Session& session) const override {
    session << "SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")", now;
  }
  void unlockMigrations(Poco::Data::Session& session) const override {
    session << "SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")", now;
  }
};

}  // namespace

std::unique_ptr<Dialect> Dialect::create(Backend backend) {
  if (backend == Backend::Postgres) return std::make_unique<PostgresDialect>();
  return std::make_unique<SqliteDialect>();
}

}  // namespace ordersvc::storage
