#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>

#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include "kernel/result.h"
#include "platform/storage/database_url.h"
#include "platform/storage/dialect.h"

namespace ordersvc::storage {

struct DatabaseOptions {
  int poolSize = 10;                               // DATABASE_POOL_SIZE: connections kept
  int maxOverflow = 5;                             // DATABASE_MAX_OVERFLOW: extra under load
  std::chrono::milliseconds acquireTimeout{5000};  // DATABASE_POOL_TIMEOUT_SECONDS
};

struct PoolStats {
  int inUse = 0;
  int idle = 0;
  int capacity = 0;
};

// A connection borrowed from the Database. Returns itself to the pool when destroyed.
// Not thread-safe: one request uses it at a time.
class Connection {
 public:
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;
  ~Connection();

  Poco::Data::Session& session() { return *session_; }
  const Dialect& dialect() const { return *dialect_; }

  // Marks the connection as broken (the server went away mid-query): it is closed
  // instead of going back to the pool, so the next borrower gets a fresh one.
  void markBroken() { broken_ = true; }

 private:
  friend class Database;
  Connection(Poco::Data::Session session, const Dialect* dialect, std::counting_semaphore<>* permits);

  std::optional<Poco::Data::Session> session_;
  const Dialect* dialect_;
  std::counting_semaphore<>* permits_;
  bool broken_ = false;
};

// The service's database: a Poco::Data session pool of DATABASE_POOL_SIZE connections
// that may grow by DATABASE_MAX_OVERFLOW, plus the dialect of its backend.
//
// Thread-safety: acquire(), ping() and stats() may be called from any thread.
class Database {
 public:
  Database(DatabaseUrl url, DatabaseOptions options);
  ~Database();

  // Borrows a connection, waiting up to the acquire time-out for one to free up.
  // Errors: Unavailable when the pool stays exhausted or the server cannot be reached.
  Result<Connection> acquire();

  // One round trip (SELECT 1). Returns the latency or Unavailable with the reason.
  Result<std::chrono::microseconds> ping();

  PoolStats stats() const;
  const Dialect& dialect() const { return *dialect_; }
  const DatabaseUrl& url() const { return url_; }

  // Closes every pooled connection; acquire() fails afterwards.
  void shutdown();

 private:
  DatabaseUrl url_;
  DatabaseOptions options_;
  std::unique_ptr<Dialect> dialect_;
  std::unique_ptr<Poco::Data::SessionPool> pool_;
  std::counting_semaphore<> permits_;
  int capacity_;
};

// A connection a use case gives back to the pool around a slow outside call (a payment
// gateway) and takes again afterwards, so no pooled connection waits on the network.
// The object stays in place, so references from operator* remain valid across a
// release/acquire cycle. Not thread-safe.
class HeldConnection {
 public:
  explicit HeldConnection(Database& database) : database_(database) {}
  Status acquire();
  void release() { connection_.reset(); }
  Connection& operator*() { return *connection_; }

 private:
  Database& database_;
  std::optional<Connection> connection_;
};

// True when `e` (thrown by Poco::Data) means the connection itself is unusable
// (server gone, socket closed) rather than a bad statement.
bool isConnectionFailure(const std::exception& e);

// Registers the SQLite and PostgreSQL connectors with Poco::Data (idempotent).
void registerDatabaseConnectors();

}  // namespace ordersvc::storage
