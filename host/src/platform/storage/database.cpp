#include "platform/storage/database.h"

#include <thread>

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>

namespace ordersvc::storage {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

namespace {

// The pool creates sessions lazily; every new one gets the dialect's settings.
class ConfiguredSessionPool final : public Poco::Data::SessionPool {
 public:
  ConfiguredSessionPool(const DatabaseUrl& url, const Dialect& dialect, int minSessions, int maxSessions,
                        int busyTimeoutSeconds)
      : SessionPool(url.connector, url.connectionString, minSessions, maxSessions, 60),
        dialect_(dialect),
        busyTimeoutSeconds_(busyTimeoutSeconds) {}

 protected:
  void customizeSession(Poco::Data::Session& session) override {
    dialect_.prepareSession(session, busyTimeoutSeconds_);
  }

 private:
  const Dialect& dialect_;
  int busyTimeoutSeconds_;
};

}  // namespace

void registerDatabaseConnectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

bool isConnectionFailure(const std::exception& e) {
  if (dynamic_cast<const Poco::Data::PostgreSQL::ConnectionException*>(&e) != nullptr) return true;
  if (dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e) != nullptr) return true;
  if (dynamic_cast<const Poco::Data::NotConnectedException*>(&e) != nullptr) return true;
  if (dynamic_cast<const Poco::Data::SessionUnavailableException*>(&e) != nullptr) return true;
  // libpq reports a dropped server through statement errors whose text says so.
  const std::string what = e.what();
  const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
  const std::string text = poco != nullptr ? poco->displayText() : what;
  for (const char* marker :
       {"server closed the connection", "connection to server", "no connection to the server", "terminating connection",
        "could not connect", "Connection refused", "connection is bad", "SSL SYSCALL error", "could not send data"}) {
    if (text.find(marker) != std::string::npos) return true;
  }
  return false;
}

Connection::Connection(Poco::Data::Session session, const Dialect* dialect, std::counting_semaphore<>* permits)
    : session_(std::move(session)), dialect_(dialect), permits_(permits) {}

Connection::Connection(Connection&& other) noexcept
    : session_(std::move(other.session_)), dialect_(other.dialect_), permits_(other.permits_), broken_(other.broken_) {
  other.session_.reset();
  other.permits_ = nullptr;
}

Connection::~Connection() {
  if (session_) {
    try {
      if (broken_) {
        // Closing a pooled session drops its connection; the pool then forgets it.
        session_->close();
      }
    } catch (...) {
      // A dead connection may throw while closing; it is gone either way.
    }
    session_.reset();
  }
  if (permits_ != nullptr) permits_->release();
}

Database::Database(DatabaseUrl url, DatabaseOptions options)
    : url_(std::move(url)),
      options_(options),
      dialect_(Dialect::create(url_.backend)),
      permits_(options.poolSize + options.maxOverflow),
      capacity_(options.poolSize + options.maxOverflow) {
  registerDatabaseConnectors();
  const int busyTimeout = std::max(1, static_cast<int>(options_.acquireTimeout.count() / 1000));
  pool_ = std::make_unique<ConfiguredSessionPool>(url_, *dialect_, options_.poolSize, capacity_, busyTimeout);
}

Database::~Database() {
  shutdown();
}

Result<Connection> Database::acquire() {
  if (!pool_ || !pool_->isActive()) return Error::unavailable("database is shut down");
  if (!permits_.try_acquire_for(options_.acquireTimeout)) {
    return Error::unavailable("database pool exhausted: all " + std::to_string(capacity_) + " connections busy");
  }
  // A new SQLite connection switches the file to WAL, which needs a moment of exclusive
  // access; when other connections (or processes) are busy with the file SQLite answers
  // "database is locked" at once rather than waiting. That is contention, not an outage,
  // so it is retried until the acquire time-out.
  const auto deadline = std::chrono::steady_clock::now() + options_.acquireTimeout;
  while (true) {
    try {
      Poco::Data::Session session = pool_->get();
      return Connection(std::move(session), dialect_.get(), &permits_);
    } catch (const Poco::Exception& e) {
      const bool contention = url_.backend == Backend::Sqlite && e.displayText().find("locked") != std::string::npos;
      if (contention && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      permits_.release();
      return Error::unavailable("database unreachable (" + url_.displayUrl + "): " + e.displayText());
    } catch (const std::exception& e) {
      permits_.release();
      return Error::unavailable(std::string("database unreachable: ") + e.what());
    }
  }
}

Result<std::chrono::microseconds> Database::ping() {
  const auto started = std::chrono::steady_clock::now();
  auto connection = acquire();
  if (!connection) return connection.error();
  try {
    int one = 0;
    connection->session() << "SELECT 1", into(one), now;
    if (one != 1) return Error::unavailable("database answered SELECT 1 with " + std::to_string(one));
  } catch (const std::exception& e) {
    connection->markBroken();
    const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
    return Error::unavailable("database query failed: " +
                              (poco != nullptr ? poco->displayText() : std::string(e.what())));
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
}

PoolStats Database::stats() const {
  if (!pool_ || !pool_->isActive()) return {0, 0, capacity_};
  return PoolStats{pool_->used(), pool_->idle(), capacity_};
}

void Database::shutdown() {
  if (pool_ && pool_->isActive()) pool_->shutdown();
}

Status HeldConnection::acquire() {
  connection_.reset();
  auto acquired = database_.acquire();
  if (!acquired) return acquired.error();
  connection_.emplace(std::move(*acquired));
  return Status::ok();
}

}  // namespace ordersvc::storage
