#pragma once

#include <vector>

#include "platform/storage/migration.h"

namespace ordersvc::storage {

// The schema changes of the plugins' per-organization state and bindings, in version order. Released migrations never
// change: the Migrator records their checksums and refuses to start on an edited one.
const std::vector<Migration>& pluginMigrations();

}  // namespace ordersvc::storage
