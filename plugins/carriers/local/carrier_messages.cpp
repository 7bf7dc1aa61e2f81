#include "carriers/local/carrier_messages.h"

#include "common/json_writer.h"

namespace ordersvc::plugins::local_carrier {

using common::JsonObjectReader;
using common::Need;

namespace {

constexpr std::string_view kTrackingStatuses[] = {"label_created",    "picked_up",          "in_transit",
                                                  "out_for_delivery", "delivered",          "delivery_failed",
                                                  "exception",        "returned_to_sender", "cancelled"};

}  // namespace

Destination destinationOf(const common::Address& address) {
  return Destination{address.country, address.region, address.postalCode};
}

std::optional<Party> readParty(const JsonObjectReader& parent, std::string_view key) {
  auto in = parent.object(key, Need::Required);
  if (!in) return std::nullopt;
  in->rejectUnknown({"contact", "address"});
  Party out;
  bool ok = true;
  if (auto contact = in->object("contact", Need::Required)) {
    contact->rejectUnknown({"name", "company", "phone", "email"});
    auto name = contact->string("name", Need::Required, 1, 200);
    out.company = contact->string("company", Need::Optional, 0, 200).value_or("");
    contact->string("phone", Need::Optional, 0, 40);
    contact->string("email", Need::Optional, 0, 254);
    ok = ok && name.has_value();
    out.name = name.value_or("");
  } else {
    ok = false;
  }
  auto address = common::readAddress(*in, "address", Need::Required, true);
  if (!ok || !address) return std::nullopt;
  out.address = std::move(*address);
  return out;
}

std::optional<Parcels> readParcels(const JsonObjectReader& parent, std::string_view key) {
  auto in = parent.array(key, Need::Required, 1, 50);
  if (!in) return std::nullopt;
  Parcels out;
  bool ok = true;
  for (std::size_t i = 0; i < in->size(); ++i) {
    auto parcel = in->object(i);
    if (!parcel) {
      ok = false;
      continue;
    }
    parcel->rejectUnknown({"weight_grams", "length_mm", "width_mm", "height_mm"});
    // Bounds of the schema keep the sum of 50 parcels far from overflow.
    auto weight = parcel->integer("weight_grams", Need::Required, 1, 10000000);
    for (const char* dimension : {"length_mm", "width_mm", "height_mm"}) {
      parcel->integer(dimension, Need::Optional, 1, 100000);
    }
    if (!weight) {
      ok = false;
      continue;
    }
    out.count += 1;
    out.totalGrams += *weight;
  }
  if (!ok) return std::nullopt;
  return out;
}

bool isTrackingStatus(std::string_view status) {
  for (std::string_view s : kTrackingStatuses) {
    if (s == status) return true;
  }
  return false;
}

std::optional<Poco::JSON::Array::Ptr> readTrackingEvents(const JsonObjectReader& providerData) {
  Poco::JSON::Array::Ptr out = common::makeArray();
  auto events = providerData.array("events", Need::Optional);
  if (!events) {
    if (providerData.has("events")) return std::nullopt;  // present but not an array
    return out;
  }
  const std::size_t before = providerData.problems().list().size();
  for (std::size_t i = 0; i < events->size(); ++i) {
    auto event = events->object(i);
    if (!event) continue;
    event->rejectUnknown({"status", "occurred_at", "description", "location"});
    if (auto status = event->string("status", Need::Required); status && !isTrackingStatus(*status)) {
      event->problems().add(event->pathOf("status"), "is not a tracking status");
    }
    event->string("occurred_at", Need::Required, 1, 40);
    event->string("description", Need::Optional, 0, 500);
    if (auto location = event->object("location", Need::Optional)) {
      location->rejectUnknown({"city", "region", "country"});
      location->string("city", Need::Optional, 0, 100);
      location->string("region", Need::Optional, 0, 100);
      if (auto country = location->string("country", Need::Optional); country && !common::isCountryCode(*country)) {
        location->problems().add(location->pathOf("country"), "must be an ISO 3166-1 alpha-2 code in upper case");
      }
    }
    out->add(event->raw());
  }
  if (providerData.problems().list().size() != before) return std::nullopt;
  return out;
}

Poco::JSON::Object::Ptr trackingEvent(const std::string& status, const std::string& occurredAt,
                                      const std::string& description) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("status", status);
  out->set("occurred_at", occurredAt);
  out->set("description", description);
  return out;
}

}  // namespace ordersvc::plugins::local_carrier
