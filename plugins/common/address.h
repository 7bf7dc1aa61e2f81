// The address of plugin-api/schemas/common.json ($defs/address and street_address),
// read strictly. Used by carriers (destinations, labels) and tax (jurisdiction).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_reader.h"

namespace ordersvc::plugins::common {

struct Address {
  std::string line1, line2, city, region, postalCode;  // "" when absent
  std::string country;                                 // ISO 3166-1 alpha-2, always present

  // Printable lines: street, second line, "postal city region", country.
  std::vector<std::string> lines() const;
};

// Reads parent[key] as an address; `forDelivery` also requires line1 and city (the
// schema's street_address). nullopt, with problems at JSON pointers, when absent and
// required or when malformed.
std::optional<Address> readAddress(const JsonObjectReader& parent, std::string_view key, Need need, bool forDelivery);

// ASCII upper case, for comparing region codes ("rm" and "RM").
std::string upperAscii(std::string_view text);

}  // namespace ordersvc::plugins::common
