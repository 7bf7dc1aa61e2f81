#pragma once

#include <exception>
#include <string>

#include "kernel/error.h"
#include "platform/storage/database.h"

namespace ordersvc::storage {

// Converts an exception thrown by Poco::Data at a repository's edge into an Error:
// a lost connection becomes Unavailable (and the connection is not reused), a
// unique-key violation Conflict (with `conflictMessage`), anything else Internal.
Error translateDatabaseError(const std::exception& e, Connection& connection, const std::string& conflictMessage);

}  // namespace ordersvc::storage
