// Reading the shared parts of carrier messages (plugin-api/schemas/common.json: party,
// parcel, tracking_event) into values the local carrier works with. Problems are
// reported at JSON pointers; the caller turns them into OSP_E_INVALID_ARGUMENT.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "carriers/local/rate_card.h"
#include "common/address.h"
#include "common/json_reader.h"

namespace ordersvc::plugins::local_carrier {

struct Party {
  std::string name;
  std::string company;
  common::Address address;
};

struct Parcels {
  int64_t count = 0;
  int64_t totalGrams = 0;  // what the brackets price
};

// Where the rate card looks for a zone.
Destination destinationOf(const common::Address& address);
// A party: {"contact": {"name", ...}, "address": street_address}.
std::optional<Party> readParty(const common::JsonObjectReader& parent, std::string_view key);
// 1 to 50 parcels, each with weight_grams and optional dimensions.
std::optional<Parcels> readParcels(const common::JsonObjectReader& parent, std::string_view key);

// The normalised tracking statuses of common.json#/$defs/tracking_status.
bool isTrackingStatus(std::string_view status);

// provider_data.events, each checked against tracking_event; an absent member is an empty
// array. nullopt (with problems) when any event is malformed.
std::optional<Poco::JSON::Array::Ptr> readTrackingEvents(const common::JsonObjectReader& providerData);

// {"status", "occurred_at", "description"}
Poco::JSON::Object::Ptr trackingEvent(const std::string& status, const std::string& occurredAt,
                                      const std::string& description);

}  // namespace ordersvc::plugins::local_carrier
