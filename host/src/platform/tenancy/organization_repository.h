#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/organization.h"
#include "kernel/result.h"

namespace ordersvc::services {

// Port: where organizations (tenants) are kept. Implemented by
// storage::SqlOrganizationRepository for SQLite and PostgreSQL; the same contract
// tests run against both.
//
// Thread-safety: implementations are safe to call from any thread.
class OrganizationRepository {
 public:
  virtual ~OrganizationRepository() = default;

  // Stores a new organization with the given id and creation time.
  // Errors: Conflict when the id or slug is taken; Unavailable when storage is down.
  virtual Result<domain::Organization> create(const std::string& id, const domain::OrganizationDraft& draft,
                                              const std::string& now) = 0;

  // Errors: NotFound when no organization has `id`.
  virtual Result<domain::Organization> findById(const std::string& id) = 0;
  virtual Result<domain::Organization> findBySlug(const std::string& slug) = 0;

  // Organizations ordered by id, at most `limit`, starting after `afterId` (cursor).
  virtual Result<std::vector<domain::Organization>> list(const std::optional<std::string>& afterId, int limit) = 0;

  // Replaces the mutable fields. Errors: NotFound, Conflict (slug taken).
  virtual Result<domain::Organization> update(const std::string& id, const domain::OrganizationDraft& draft,
                                              const std::string& now) = 0;
};

}  // namespace ordersvc::services
