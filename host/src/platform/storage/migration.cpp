#include "platform/storage/migration.h"

#include <string>

namespace ordersvc::storage {

Status checkMigrationOrder(const std::vector<Migration>& migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (migrations[i].version != expected) {
      return Error::internal("migration " + std::to_string(migrations[i].version) + " (" +
                             std::string(migrations[i].name) + ") stands where version " + std::to_string(expected) +
                             " belongs: versions must run 1, 2, 3, ... with none missing or repeated");
    }
  }
  return Status::ok();
}

}  // namespace ordersvc::storage
