#pragma once

#include <optional>
#include <string>

#include "platform/storage/database.h"
#include "platform/tenancy/organization_repository.h"

namespace ordersvc::storage {

// OrganizationRepository over Poco::Data, for SQLite and PostgreSQL alike; the
// dialect supplies what differs.
//
// Thread-safety: each call borrows its own connection; safe from any thread.
class SqlOrganizationRepository final : public services::OrganizationRepository {
 public:
  explicit SqlOrganizationRepository(Database& database) : database_(database) {}

  Result<domain::Organization> create(const std::string& id, const domain::OrganizationDraft& draft,
                                      const std::string& now) override;
  Result<domain::Organization> findById(const std::string& id) override;
  Result<domain::Organization> findBySlug(const std::string& slug) override;
  Result<std::vector<domain::Organization>> list(const std::optional<std::string>& afterId, int limit) override;
  Result<domain::Organization> update(const std::string& id, const domain::OrganizationDraft& draft,
                                      const std::string& now) override;

  // The organization's country, read on the caller's connection (inside its transaction:
  // taking a second pooled connection while holding one could starve the pool).
  // nullopt for an unknown organization. Throws what Poco::Data throws.
  static std::optional<std::string> countryOf(Connection& connection, const std::string& id);

 private:
  Result<domain::Organization> findOne(const std::string& column, const std::string& value);
  Database& database_;
};

}  // namespace ordersvc::storage
