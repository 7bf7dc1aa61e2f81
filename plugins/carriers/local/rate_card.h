// Pricing from a LocalCarrierConfig: which zone serves a destination, and what a service
// costs there for a weight. Pure functions of the configuration; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "carriers/local/local_config.h"

namespace ordersvc::plugins::local_carrier {

struct Destination {
  std::string country;
  std::string region;      // "" when the address has none
  std::string postalCode;  // "" when the address has none
};

enum class QuoteOutcome {
  Priced,
  DestinationNotServed,  // no zone matches the destination
  ServiceNotOffered,     // the zone has no rates for the service
  WeightOutOfRange,      // no bracket of the service covers the weight
};

struct Quote {
  QuoteOutcome outcome = QuoteOutcome::DestinationNotServed;
  const Zone* zone = nullptr;              // set unless DestinationNotServed
  const WeightBracket* bracket = nullptr;  // set when Priced
};

// The first zone, in configured order, whose countries contain the destination's and
// whose regions and postal-code prefixes (when the zone lists any) match it; or nullptr.
// A zone that lists regions does not match an address without one; same for postal codes.
const Zone* findZone(const LocalCarrierConfig& config, const Destination& destination);

// The price of `serviceCode` for parcels weighing `weightGrams` together.
// Pointers in the result point into `config`.
Quote quoteService(const LocalCarrierConfig& config, const Destination& destination, std::string_view serviceCode,
                   int64_t weightGrams);

// The machine reason a quote was not priced, as quote_rates reports it under
// "unavailable" ("destination_not_served", ...); "" for Priced.
std::string_view reasonCode(QuoteOutcome outcome);

}  // namespace ordersvc::plugins::local_carrier
