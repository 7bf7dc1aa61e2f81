#include "platform/storage/sql_query.h"

#include <Poco/Data/Binding.h>
#include <Poco/Nullable.h>

namespace ordersvc::storage {

using Poco::Data::Keywords::bind;

SqlQuery::SqlQuery(Connection& connection, std::string_view portableSql) : statement_(connection.session()) {
  statement_ << connection.dialect().sql(portableSql);
}

SqlQuery& SqlQuery::arg(const std::string& value) {
  statement_.addBind(bind(value));
  return *this;
}

SqlQuery& SqlQuery::arg(int64_t value) {
  statement_.addBind(bind(static_cast<Poco::Int64>(value)));
  return *this;
}

SqlQuery& SqlQuery::arg(const std::optional<std::string>& value) {
  Poco::Nullable<std::string> nullable;
  if (value) nullable = *value;
  statement_.addBind(bind(nullable));
  return *this;
}

SqlQuery& SqlQuery::arg(const std::optional<int64_t>& value) {
  Poco::Nullable<Poco::Int64> nullable;
  if (value) nullable = static_cast<Poco::Int64>(*value);
  statement_.addBind(bind(nullable));
  return *this;
}

std::size_t SqlQuery::exec() {
  return statement_.execute();
}

Poco::Data::RecordSet SqlQuery::rows() {
  statement_.execute();
  return Poco::Data::RecordSet(statement_);
}

std::string textAt(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row) {
  const auto& value = rows.value(column, row);
  return value.isEmpty() ? std::string() : value.convert<std::string>();
}

std::optional<std::string> optionalTextAt(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row) {
  const auto& value = rows.value(column, row);
  if (value.isEmpty()) return std::nullopt;
  return value.convert<std::string>();
}

int64_t intAt(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row) {
  const auto& value = rows.value(column, row);
  return value.isEmpty() ? 0 : value.convert<Poco::Int64>();
}

std::optional<int64_t> optionalIntAt(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row) {
  const auto& value = rows.value(column, row);
  if (value.isEmpty()) return std::nullopt;
  return value.convert<Poco::Int64>();
}

std::vector<std::pair<std::string, std::string>> textPairs(const Poco::Data::RecordSet& rows) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < rows.rowCount(); ++i) out.emplace_back(textAt(rows, 0, i), textAt(rows, 1, i));
  return out;
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.dialect().begin(connection_.session());
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    connection_.dialect().rollback(connection_.session());
  } catch (...) {
    // The connection is unusable; it must not go back to the pool mid-transaction.
    connection_.markBroken();
  }
}

void Transaction::commit() {
  connection_.dialect().commit(connection_.session());
  done_ = true;
}

}  // namespace ordersvc::storage
