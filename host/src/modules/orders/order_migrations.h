#pragma once

#include <vector>

#include "platform/storage/migration.h"

namespace ordersvc::storage {

// The schema changes of the commerce tables (catalog, stock, carts, coupons, orders, payments), created together in
// release 4, in version order. Released migrations never change: the Migrator records their checksums and refuses to
// start on an edited one.
const std::vector<Migration>& orderMigrations();

}  // namespace ordersvc::storage
