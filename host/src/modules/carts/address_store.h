#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/storage/database.h"

namespace ordersvc::storage::address_store {

struct StoredAddress {
  std::string id;  // "addr_…"
  std::string customerId;
  std::string bodyJson;  // the validated address object
  int64_t createdAtMs = 0;
};

// A customer's saved addresses; a lookup names the customer, so nobody reads another's.
void insert(Connection& c, const std::string& org, const StoredAddress& address);
std::optional<StoredAddress> find(Connection& c, const std::string& org, const std::string& customerId,
                                  const std::string& id);
std::vector<StoredAddress> list(Connection& c, const std::string& org, const std::string& customerId);
bool remove(Connection& c, const std::string& org, const std::string& customerId, const std::string& id);

}  // namespace ordersvc::storage::address_store
