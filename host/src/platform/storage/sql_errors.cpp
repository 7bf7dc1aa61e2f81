#include "platform/storage/sql_errors.h"

#include <Poco/Exception.h>

namespace ordersvc::storage {

Error translateDatabaseError(const std::exception& e, Connection& connection, const std::string& conflictMessage) {
  const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
  const std::string text = poco != nullptr ? poco->displayText() : e.what();
  if (isConnectionFailure(e)) {
    connection.markBroken();
    return Error::unavailable("database unavailable: " + text);
  }
  // SQLite: "UNIQUE constraint failed"; PostgreSQL: "duplicate key value violates unique constraint".
  if (text.find("UNIQUE constraint failed") != std::string::npos ||
      text.find("duplicate key value") != std::string::npos || text.find("unique constraint") != std::string::npos) {
    return Error::conflict(conflictMessage);
  }
  return Error::internal("database error: " + text);
}

}  // namespace ordersvc::storage
