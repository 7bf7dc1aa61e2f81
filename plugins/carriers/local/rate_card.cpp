#include "carriers/local/rate_card.h"

#include <algorithm>

#include "common/address.h"

namespace ordersvc::plugins::local_carrier {

namespace {

bool matches(const Zone& zone, const Destination& destination) {
  if (std::find(zone.countries.begin(), zone.countries.end(), destination.country) == zone.countries.end())
    return false;
  if (!zone.regions.empty()) {
    // Zone regions were upper-cased when the configuration was read.
    if (std::find(zone.regions.begin(), zone.regions.end(), common::upperAscii(destination.region)) ==
        zone.regions.end()) {
      return false;
    }
  }
  if (!zone.postalCodePrefixes.empty()) {
    const std::string postal = normalisePostalCode(destination.postalCode);
    const bool any = std::any_of(zone.postalCodePrefixes.begin(), zone.postalCodePrefixes.end(),
                                 [&](const std::string& prefix) { return postal.rfind(prefix, 0) == 0; });
    if (postal.empty() || !any) return false;
  }
  return true;
}

}  // namespace

const Zone* findZone(const LocalCarrierConfig& config, const Destination& destination) {
  for (const Zone& zone : config.zones) {
    if (matches(zone, destination)) return &zone;
  }
  return nullptr;
}

Quote quoteService(const LocalCarrierConfig& config, const Destination& destination, std::string_view serviceCode,
                   int64_t weightGrams) {
  Quote out;
  out.zone = findZone(config, destination);
  if (out.zone == nullptr) return out;  // DestinationNotServed
  const auto rates = out.zone->rates.find(serviceCode);
  if (rates == out.zone->rates.end()) {
    out.outcome = QuoteOutcome::ServiceNotOffered;
    return out;
  }
  // Brackets of one service never overlap (the configuration is rejected otherwise), so
  // at most one covers the weight.
  for (const WeightBracket& bracket : rates->second) {
    if (weightGrams >= bracket.minGrams && weightGrams <= bracket.maxGrams) {
      out.outcome = QuoteOutcome::Priced;
      out.bracket = &bracket;
      return out;
    }
  }
  out.outcome = QuoteOutcome::WeightOutOfRange;
  return out;
}

std::string_view reasonCode(QuoteOutcome outcome) {
  switch (outcome) {
    case QuoteOutcome::Priced:
      return "";
    case QuoteOutcome::DestinationNotServed:
      return "destination_not_served";
    case QuoteOutcome::ServiceNotOffered:
      return "service_not_offered";
    case QuoteOutcome::WeightOutOfRange:
      return "weight_out_of_range";
  }
  return "";
}

}  // namespace ordersvc::plugins::local_carrier
