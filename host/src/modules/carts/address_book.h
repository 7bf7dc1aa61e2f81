#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/actor.h"
#include "kernel/clock.h"
#include "kernel/result.h"
#include "modules/carts/address_repository.h"
#include "platform/storage/unit_of_work.h"

namespace ordersvc::services {

// A signed-in customer's saved addresses (GET/POST/DELETE /api/v1/addresses), always the
// caller's own within the caller's organization; checkout reads them through savedAddress.
// Thread-safety: safe from any thread.
class AddressBook {
 public:
  AddressBook(storage::UnitsOfWork& units, AddressRepository& addresses, Clock clock)
      : units_(units), addresses_(addresses), clock_(std::move(clock)) {}

  Result<std::vector<SavedAddress>> list(const Actor& actor);
  // `addressJson` is an address already validated by the API. Returns it as saved.
  Result<SavedAddress> save(const Actor& actor, const std::string& addressJson);
  // Errors: NotFound for an address that is not the caller's.
  Status remove(const Actor& actor, const std::string& addressId);

  // The JSON of `customerId`'s saved address `addressId`, read in the caller's unit (a
  // checkout's transaction); nullopt when the customer has no such address.
  std::optional<std::string> savedAddress(storage::UnitOfWork& unit, const std::string& organizationId,
                                          const std::string& customerId, const std::string& addressId);

 private:
  storage::UnitsOfWork& units_;
  AddressRepository& addresses_;
  Clock clock_;
};

}  // namespace ordersvc::services
