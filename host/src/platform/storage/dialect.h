#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <Poco/Data/Session.h>

#include "platform/storage/database_url.h"

namespace ordersvc::storage {

// Every difference between SQLite and PostgreSQL that the repositories see lives in
// the two implementations of this class (dialect.cpp). Repositories write SQL with `?`
// placeholders and portable types, and ask the dialect for the rest.
//
// Thread-safety: stateless; safe from any thread.
class Dialect {
 public:
  virtual ~Dialect() = default;

  static std::unique_ptr<Dialect> create(Backend backend);

  virtual Backend backend() const = 0;
  virtual std::string_view name() const = 0;

  // Rewrites `?` placeholders (outside quoted text) into the backend's syntax:
  // unchanged for SQLite, $1, $2, ... for PostgreSQL (Poco passes SQL through).
  virtual std::string sql(std::string_view portableSql) const = 0;

  // An expression that reads a timestamp column as RFC 3339 UTC text with
  // milliseconds ("2026-11-25T15:48:45.123Z"), the form the repositories bind.
  virtual std::string timestampText(std::string_view column) const = 0;

  // Row-lock suffixes for a SELECT inside a write transaction. PostgreSQL locks the rows
  // (SKIP LOCKED lets several processes share a job queue without waiting on each
  // other); SQLite needs none because BEGIN IMMEDIATE already holds the write lock.
  virtual std::string_view forUpdate() const = 0;
  virtual std::string_view forUpdateSkipLocked() const = 0;

  // Settings applied to every new connection (pragmas, time zone).
  virtual void prepareSession(Poco::Data::Session& session, int busyTimeoutSeconds) const = 0;

  // Starts a transaction that will write. SQLite takes the write lock up front
  // (BEGIN IMMEDIATE) so two writers queue on the busy timeout instead of failing
  // on lock upgrade.
  virtual void begin(Poco::Data::Session& session) const = 0;
  virtual void commit(Poco::Data::Session& session) const = 0;
  virtual void rollback(Poco::Data::Session& session) const = 0;

  // Serialises schema migrations across processes sharing one database. PostgreSQL
  // holds a session-level advisory lock; SQLite relies on BEGIN IMMEDIATE inside each
  // migration, so these do nothing there.
  virtual void lockMigrations(Poco::Data::Session& session) const = 0;
  virtual void unlockMigrations(Poco::Data::Session& session) const = 0;
};

}  // namespace ordersvc::storage
