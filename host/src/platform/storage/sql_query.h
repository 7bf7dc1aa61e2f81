#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include "platform/storage/database.h"

namespace ordersvc::storage {

// One SQL statement with positional `?` arguments, bound by value (so temporaries are
// fine) and rewritten for the connection's dialect. Keeps repository code to the SQL
// and the columns it reads.
//
//   SqlQuery(conn, "SELECT id FROM orders WHERE organization_id = ? AND id = ?")
//       .arg(org).arg(id).rows();
//
// Exceptions from Poco::Data propagate; repositories translate them at their edge.
class SqlQuery {
 public:
  SqlQuery(Connection& connection, std::string_view portableSql);

  SqlQuery& arg(const std::string& value);
  SqlQuery& arg(const char* value) { return arg(std::string(value)); }
  SqlQuery& arg(int64_t value);
  SqlQuery& arg(int value) { return arg(static_cast<int64_t>(value)); }
  SqlQuery& arg(bool value) { return arg(static_cast<int64_t>(value ? 1 : 0)); }
  SqlQuery& arg(const std::optional<std::string>& value);
  SqlQuery& arg(const std::optional<int64_t>& value);

  // Runs the statement; returns the number of rows changed.
  std::size_t exec();
  // Runs a query and returns its rows.
  Poco::Data::RecordSet rows();

 private:
  Poco::Data::Statement statement_;
};

// Reading columns of a RecordSet row without repeating the conversions.
std::string textAt(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row);
std::optional<std::string> optionalTextAt(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row);
int64_t intAt(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row);
std::optional<int64_t> optionalIntAt(const Poco::Data::RecordSet& rows, std::size_t column, std::size_t row);

// The first two columns of every row as text: (organization_id, id) of claimed job rows.
std::vector<std::pair<std::string, std::string>> textPairs(const Poco::Data::RecordSet& rows);

// A write transaction on one connection: begun on construction, rolled back on
// destruction unless commit() ran. Every multi-step change goes through one, so a
// failure half-way leaves nothing behind.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace ordersvc::storage
