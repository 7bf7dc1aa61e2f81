#pragma once

#include <vector>

#include "platform/storage/migration.h"

namespace ordersvc::storage {

// The schema changes of the outbox every module writes its events to, in version order. Released migrations never
// change: the Migrator records their checksums and refuses to start on an edited one.
const std::vector<Migration>& outboxMigrations();

}  // namespace ordersvc::storage
