#include "platform/storage/unit_of_work.h"

#include <stdexcept>

#include "platform/storage/sql_errors.h"

namespace ordersvc::storage {

Result<std::unique_ptr<SqlUnitOfWork>> SqlUnitOfWork::begin(Database& database) {
  auto connection = database.acquire();
  if (!connection) return connection.error();
  std::unique_ptr<SqlUnitOfWork> unit(new SqlUnitOfWork());
  unit->owned_.emplace(std::move(*connection));
  unit->connection_ = &*unit->owned_;
  try {
    unit->transaction_ = std::make_unique<Transaction>(*unit->connection_);
  } catch (const std::exception& e) {
    return translateDatabaseError(e, *unit->connection_, "");
  }
  return unit;
}

std::unique_ptr<SqlUnitOfWork> SqlUnitOfWork::joining(Connection& connection) {
  std::unique_ptr<SqlUnitOfWork> unit(new SqlUnitOfWork());
  unit->connection_ = &connection;
  return unit;
}

SqlUnitOfWork::~SqlUnitOfWork() {
  // The transaction rolls back in its own destructor unless it committed; it must end
  // before the connection goes back to the pool.
  transaction_.reset();
}

void SqlUnitOfWork::afterCommit(std::function<void()> work) {
  if (!owned_) throw std::logic_error("a joined unit of work has no commit of its own to run work after");
  afterCommit_.push_back(std::move(work));
}

Status SqlUnitOfWork::commit() {
  if (!transaction_) return Error::internal("a joined unit of work is committed by the transaction's owner");
  if (committed_) return Error::internal("a unit of work commits once");
  try {
    transaction_->commit();
  } catch (const std::exception& e) {
    return translateDatabaseError(e, *connection_, "");
  }
  committed_ = true;
  for (auto& work : afterCommit_) work();
  afterCommit_.clear();
  return Status::ok();
}

Error SqlUnitOfWork::errorOf(const std::exception& thrown, const std::string& conflictMessage) {
  return translateDatabaseError(thrown, *connection_, conflictMessage);
}

Connection& sqlConnectionOf(UnitOfWork& unit) {
  auto* sql = dynamic_cast<SqlUnitOfWork*>(&unit);
  if (sql == nullptr) throw std::logic_error("a SQL repository was handed a unit of work that is not SQL");
  return sql->connection();
}

Result<std::unique_ptr<UnitOfWork>> SqlUnitsOfWork::begin() {
  auto unit = SqlUnitOfWork::begin(database_);
  if (!unit) return unit.error();
  return std::unique_ptr<UnitOfWork>(std::move(*unit));
}

std::size_t Row::position(const std::string& column) const {
  for (std::size_t i = 0; i < rows_.columnCount(); ++i) {
    if (rows_.columnName(i) == column) return i;
  }
  throw std::out_of_range("no column " + column + " in this result");
}

std::string Row::text(const std::string& column) const {
  return textAt(rows_, position(column), index_);
}

std::optional<std::string> Row::optionalText(const std::string& column) const {
  return optionalTextAt(rows_, position(column), index_);
}

int64_t Row::integer(const std::string& column) const {
  return intAt(rows_, position(column), index_);
}

std::optional<int64_t> Row::optionalInteger(const std::string& column) const {
  return optionalIntAt(rows_, position(column), index_);
}

std::vector<Row> rowsOf(const Poco::Data::RecordSet& rows) {
  std::vector<Row> out;
  out.reserve(rows.rowCount());
  for (std::size_t i = 0; i < rows.rowCount(); ++i) out.emplace_back(rows, i);
  return out;
}

}  // namespace ordersvc::storage
