#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "kernel/result.h"
#include "platform/storage/database.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::storage {

// One transaction as a use case sees it: what its repositories write through, and what
// to do once, and only if, it commits (erase cache entries, wake the outbox relay).
// Repository ports take a UnitOfWork& (DESIGN.md: "Ports take a UnitOfWork, not a raw
// connection"); use cases get units from UnitsOfWork. Both are interfaces so a use case
// can be unit-tested with fake repositories and fake units; the SQL adapters below are
// what the service runs. The modules written before this still pass Connection& to
// free-function stores and move to it one module at a time.
//
// Thread-safety: a unit is used by one thread at a time.
class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;  // rolls back unless commit() succeeded

  // Work to run after the commit, in the order added (never when the unit rolls back).
  virtual void afterCommit(std::function<void()> work) = 0;

  // Commits, then runs the after-commit work. Errors: what the store said (Unavailable
  // when the connection was lost, Conflict on a unique key, Internal); nothing was
  // written then, and the after-commit work does not run. Commit once.
  virtual Status commit() = 0;

  // What the store threw while working in this unit, as an Error: Unavailable when the
  // store went away (the unit is then unusable), Conflict (with `conflictMessage`) on a
  // unique key, Internal otherwise. Repositories throw; use cases catch and ask here.
  virtual Error errorOf(const std::exception& thrown, const std::string& conflictMessage) = 0;
};

// Where use cases get their units. Thread-safety: any thread.
class UnitsOfWork {
 public:
  virtual ~UnitsOfWork() = default;
  // Errors: Unavailable when the store cannot be reached in its time-out.
  virtual Result<std::unique_ptr<UnitOfWork>> begin() = 0;
};

// The SQL unit: a pooled connection in a transaction.
class SqlUnitOfWork final : public UnitOfWork {
 public:
  // Borrows a pooled connection and begins a transaction.
  // Errors: Unavailable when no connection can be had in the pool's time-out.
  static Result<std::unique_ptr<SqlUnitOfWork>> begin(Database& database);
  // A unit inside a transaction the caller owns on `connection` (borrowed; must outlive
  // the unit), for code written before UnitOfWork that hands its transaction to a
  // repository port. The owner commits: commit() here is Internal, and afterCommit()
  // throws std::logic_error (nothing would run it).
  static std::unique_ptr<SqlUnitOfWork> joining(Connection& connection);

  ~SqlUnitOfWork() override;
  SqlUnitOfWork(const SqlUnitOfWork&) = delete;
  SqlUnitOfWork& operator=(const SqlUnitOfWork&) = delete;

  void afterCommit(std::function<void()> work) override;
  Status commit() override;
  Error errorOf(const std::exception& thrown, const std::string& conflictMessage) override;

  // For SQL repositories; valid until this unit is destroyed.
  Connection& connection() { return *connection_; }

 private:
  SqlUnitOfWork() = default;

  std::optional<Connection> owned_;  // a pooled connection of begin(); none when joining
  Connection* connection_ = nullptr;
  std::unique_ptr<Transaction> transaction_;
  std::vector<std::function<void()>> afterCommit_;
  bool committed_ = false;
};

// The connection of a unit for a SQL repository. Throws std::logic_error when `unit`
// is not an SqlUnitOfWork (a fake unit handed to a SQL repository: a wiring bug).
Connection& sqlConnectionOf(UnitOfWork& unit);

// UnitsOfWork over the service's database.
class SqlUnitsOfWork final : public UnitsOfWork {
 public:
  explicit SqlUnitsOfWork(Database& database) : database_(database) {}
  Result<std::unique_ptr<UnitOfWork>> begin() override;

 private:
  Database& database_;
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
