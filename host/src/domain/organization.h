#pragma once

#include <string>

#include "kernel/result.h"

namespace ordersvc::domain {

// A tenant: every other row in the service belongs to exactly one organization.
struct Organization {
  std::string id;               // "org_…", opaque
  std::string slug;             // unique, url-safe handle: [a-z0-9-]{2,63}
  std::string name;             // display name, 1..200 characters
  std::string country;          // ISO 3166-1 alpha-2, e.g. "CL"
  std::string defaultCurrency;  // ISO 4217, e.g. "CLP"
  std::string status;           // "active" or "suspended"
  std::string createdAt;        // RFC 3339 UTC
  std::string updatedAt;        // RFC 3339 UTC
};

// The fields a caller supplies to create or change an organization.
struct OrganizationDraft {
  std::string slug;
  std::string name;
  std::string country;
  std::string defaultCurrency;
  std::string status = "active";
};

// Checks a draft and normalises it (country and currency upper-cased, name trimmed).
// Errors: InvalidArgument naming the first bad field.
Result<OrganizationDraft> validateOrganization(OrganizationDraft draft);

}  // namespace ordersvc::domain
