// The configuration of one local-carrier instance (the "config_schema" of plugin.json.in):
// services, and zones that price each service by weight bracket.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/money.h"
#include "common/problems.h"

namespace ordersvc::plugins::local_carrier {

struct DayRange {
  int64_t min = 0;
  int64_t max = 0;
};

struct Service {
  std::string code;  // stable id used in requests ("standard")
  std::string name;
  std::optional<DayRange> estimatedDays;
};

// Summed parcel weights from minGrams to maxGrams, both inclusive, cost price.
struct WeightBracket {
  int64_t minGrams = 0;
  int64_t maxGrams = 0;
  common::Money price;
};

struct Zone {
  std::string name;
  std::vector<std::string> countries;           // ISO 3166-1 alpha-2
  std::vector<std::string> regions;             // empty: any region
  std::vector<std::string> postalCodePrefixes;  // empty: any postal code; normalised (see normalisePostalCode)
  std::map<std::string, std::vector<WeightBracket>, std::less<>> rates;  // service code → brackets
};

struct LocalCarrierConfig {
  std::string originCountry;
  bool pricesIncludeTax = true;
  std::vector<Service> services;  // in configured order
  std::vector<Zone> zones;        // tried in order; the first match prices a destination

  // The service with `code`, or nullptr.
  const Service* service(std::string_view code) const;

  // Reads and checks a configuration: the schema's rules plus what a schema cannot say
  // (brackets of one service that overlap, min above max, duplicate codes or zone names,
  // rates for services not declared). Returns nullopt with every problem added at its
  // JSON pointer.
  static std::optional<LocalCarrierConfig> parse(std::string_view json, common::Problems& problems);
};

// Upper case without spaces and hyphens, so "832-0000" and "8320000" compare equal.
std::string normalisePostalCode(std::string_view code);

}  // namespace ordersvc::plugins::local_carrier
