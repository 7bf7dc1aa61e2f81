#include "modules/carts/address_book.h"

#include "kernel/ids.h"

namespace ordersvc::services {

Result<std::vector<storage::address_store::StoredAddress>> AddressBook::list(const Actor& actor) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  return storage::address_store::list(*connection, actor.organizationId, actor.subject);
}

Result<storage::address_store::StoredAddress> AddressBook::save(const Actor& actor, const std::string& addressJson) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  storage::address_store::StoredAddress address{newId("addr"), actor.subject, addressJson, clock_()};
  storage::address_store::insert(*connection, actor.organizationId, address);
  return address;
}

Status AddressBook::remove(const Actor& actor, const std::string& addressId) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  if (!storage::address_store::remove(*connection, actor.organizationId, actor.subject, addressId)) {
    return Error::notFound("address " + addressId + " not found");
  }
  return Status::ok();
}

}  // namespace ordersvc::services
