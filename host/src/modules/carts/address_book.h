#pragma once

#include <string>
#include <vector>

#include "domain/actor.h"
#include "kernel/clock.h"
#include "kernel/result.h"
#include "modules/carts/address_store.h"
#include "platform/storage/database.h"

namespace ordersvc::services {

// A signed-in customer's saved addresses (GET/POST/DELETE /api/v1/addresses), always
// the caller's own within the caller's organization.
// Thread-safety: safe from any thread (one pooled connection per call).
class AddressBook {
 public:
  AddressBook(storage::Database& database, Clock clock) : database_(database), clock_(std::move(clock)) {}

  Result<std::vector<storage::address_store::StoredAddress>> list(const Actor& actor);
  // `addressJson` is an address already validated by the API. Returns it as saved.
  Result<storage::address_store::StoredAddress> save(const Actor& actor, const std::string& addressJson);
  // Errors: NotFound for an address that is not the caller's.
  Status remove(const Actor& actor, const std::string& addressId);

 private:
  storage::Database& database_;
  Clock clock_;
};

}  // namespace ordersvc::services
