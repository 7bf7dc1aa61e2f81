#include "domain/organization.h"

#include <algorithm>
#include <cctype>

namespace ordersvc::domain {

namespace {

bool allOf(const std::string& text, int (*predicate)(int)) {
  return std::all_of(text.begin(), text.end(), [predicate](unsigned char c) { return predicate(c) != 0; });
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

bool isSlug(const std::string& slug) {
  if (slug.size() < 2 || slug.size() > 63) return false;
  if (slug.front() == '-' || slug.back() == '-') return false;
  return std::all_of(slug.begin(), slug.end(),
                     [](unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace

Result<OrganizationDraft> validateOrganization(OrganizationDraft draft) {
  draft.name = trim(draft.name);
  draft.country = upper(draft.country);
  draft.defaultCurrency = upper(draft.defaultCurrency);
  if (!isSlug(draft.slug)) {
    return Error::invalidArgument("slug must be 2-63 characters of a-z, 0-9 and '-', not starting or ending with '-'");
  }
  if (draft.name.empty() || draft.name.size() > 200) return Error::invalidArgument("name must be 1-200 characters");
  if (draft.country.size() != 2 || !allOf(draft.country, std::isalpha)) {
    return Error::invalidArgument("country must be an ISO 3166-1 alpha-2 code such as CL");
  }
  if (draft.defaultCurrency.size() != 3 || !allOf(draft.defaultCurrency, std::isalpha)) {
    return Error::invalidArgument("default_currency must be an ISO 4217 code such as CLP");
  }
  if (draft.status != "active" && draft.status != "suspended") {
    return Error::invalidArgument("status must be active or suspended");
  }
  return draft;
}

}  // namespace ordersvc::domain
