#include "modules/carts/address_book.h"

#include "kernel/ids.h"

namespace ordersvc::services {

Result<std::vector<SavedAddress>> AddressBook::list(const Actor& actor) {
  auto unit = units_.begin();
  if (!unit) return unit.error();
  try {
    return addresses_.list(**unit, actor.organizationId, actor.subject);
  } catch (const std::exception& e) {
    return (*unit)->errorOf(e, "");
  }
}

Result<SavedAddress> AddressBook::save(const Actor& actor, const std::string& addressJson) {
  auto unit = units_.begin();
  if (!unit) return unit.error();
  SavedAddress address{newId("addr"), actor.subject, addressJson, clock_()};
  try {
    addresses_.insert(**unit, actor.organizationId, address);
  } catch (const std::exception& e) {
    return (*unit)->errorOf(e, "");
  }
  if (auto committed = (*unit)->commit(); !committed) return committed.error();
  return address;
}

Status AddressBook::remove(const Actor& actor, const std::string& addressId) {
  auto unit = units_.begin();
  if (!unit) return unit.error();
  try {
    if (!addresses_.remove(**unit, actor.organizationId, actor.subject, addressId)) {
      return Error::notFound("address " + addressId + " not found");
    }
  } catch (const std::exception& e) {
    return (*unit)->errorOf(e, "");
  }
  return (*unit)->commit();
}

std::optional<std::string> AddressBook::savedAddress(storage::UnitOfWork& unit, const std::string& organizationId,
                                                     const std::string& customerId, const std::string& addressId) {
  auto found = addresses_.find(unit, organizationId, customerId, addressId);
  if (!found) return std::nullopt;
  return found->bodyJson;
}

}  // namespace ordersvc::services
