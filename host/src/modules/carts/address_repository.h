#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/storage/unit_of_work.h"

namespace ordersvc::services {

struct SavedAddress {
  std::string id;  // "addr_…"
  std::string customerId;
  std::string bodyJson;  // the validated address object
  int64_t createdAtMs = 0;
};

// A customer's saved addresses. Every call names the organization and the customer, so
// nobody reads or removes another's. Errors are exceptions of the store (use cases
// translate them with UnitOfWork::errorOf). Thread-safety: any thread.
class AddressRepository {
 public:
  virtual ~AddressRepository() = default;
  virtual void insert(storage::UnitOfWork& unit, const std::string& org, const SavedAddress& address) = 0;
  virtual std::optional<SavedAddress> find(storage::UnitOfWork& unit, const std::string& org,
                                           const std::string& customerId, const std::string& id) = 0;
  // Oldest first.
  virtual std::vector<SavedAddress> list(storage::UnitOfWork& unit, const std::string& org,
                                         const std::string& customerId) = 0;
  // False when the customer has no such address.
  virtual bool remove(storage::UnitOfWork& unit, const std::string& org, const std::string& customerId,
                      const std::string& id) = 0;
};

// AddressRepository on the addresses table (migration 4), columns read by name.
class SqlAddressRepository final : public AddressRepository {
 public:
  void insert(storage::UnitOfWork& unit, const std::string& org, const SavedAddress& address) override;
  std::optional<SavedAddress> find(storage::UnitOfWork& unit, const std::string& org, const std::string& customerId,
                                   const std::string& id) override;
  std::vector<SavedAddress> list(storage::UnitOfWork& unit, const std::string& org,
                                 const std::string& customerId) override;
  bool remove(storage::UnitOfWork& unit, const std::string& org, const std::string& customerId,
              const std::string& id) override;
};

}  // namespace ordersvc::services
