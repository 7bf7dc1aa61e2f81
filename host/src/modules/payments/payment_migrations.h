#pragma once

#include <vector>

#include "platform/storage/migration.h"

namespace ordersvc::storage {

// The schema changes of the payment state machine, refunds and the webhook inbox, in version order. Released migrations
// never change: the Migrator records their checksums and refuses to start on an edited one.
const std::vector<Migration>& paymentMigrations();

}  // namespace ordersvc::storage
