#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "kernel/result.h"
#include "platform/storage/database.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::storage {

// One database transaction as a use case sees it: the connection its repositories
// write through, and what to do once, and only if, it commits (erase cache entries,
// wake the outbox relay). This is the shape repository ports take (DESIGN.md: "Ports take
// a UnitOfWork, not a raw connection"); the modules written before it still pass
// Connection& to free-function stores and move to it one module at a time.
//
// Thread-safety: one thread at a time; the connection is the pool's, borrowed for the
// unit's life.
class UnitOfWork {
 public:
  // Borrows a pooled connection and begins a transaction.
  // Errors: Unavailable when no connection can be had in the pool's time-out.
  static Result<std::unique_ptr<UnitOfWork>> begin(Database& database);

  // Rolls back unless commit() succeeded; the after-commit work then never runs.
  ~UnitOfWork();
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  // For the SQL adapters of repository ports; valid until this unit is destroyed.
  Connection& connection() { return connection_; }

  // Work to run after the commit, in the order added (never when the unit rolls back).
  void afterCommit(std::function<void()> work);

  // Commits, then runs the after-commit work. Errors: what the database said
  // (Unavailable when the connection was lost, Conflict on a unique key, Internal);
  // nothing was written then, and the after-commit work does not run. Commit once.
  Status commit();

 private:
  explicit UnitOfWork(Connection connection);

  Connection connection_;
  std::unique_ptr<Transaction> transaction_;
  std::vector<std::function<void()>> afterCommit_;
  bool committed_ = false;
};

// One row of a query's result with its columns read by name, so a SELECT list can change
// order without every reader moving in lockstep. An unknown column is a programming
// error: std::out_of_range (a store's edge turns it into Internal).
class Row {
 public:
  Row(const Poco::Data::RecordSet& rows, std::size_t index) : rows_(rows), index_(index) {}

  std::string text(const std::string& column) const;  // "" for NULL
  std::optional<std::string> optionalText(const std::string& column) const;
  int64_t integer(const std::string& column) const;  // 0 for NULL
  std::optional<int64_t> optionalInteger(const std::string& column) const;
  bool boolean(const std::string& column) const { return integer(column) != 0; }

 private:
  std::size_t position(const std::string& column) const;

  const Poco::Data::RecordSet& rows_;
  std::size_t index_;
};

// Every row of `rows`, for range-for: `for (const Row& row : rowsOf(result))`. The rows
// refer to `rows`, which must outlive them (a temporary cannot be passed).
std::vector<Row> rowsOf(const Poco::Data::RecordSet& rows);
std::vector<Row> rowsOf(const Poco::Data::RecordSet&& rows) = delete;

}  // namespace ordersvc::storage
