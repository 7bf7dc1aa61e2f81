#include "carriers/local/local_instance.h"

#include <algorithm>
#include <string>

#include "carriers/local/carrier_messages.h"
#include "carriers/local/label_document.h"
#include "carriers/local/rate_card.h"
#include "carriers/local/tracking_numbers.h"
#include "common/json_writer.h"
#include "common/sdk_glue.h"

namespace ordersvc::plugins::local_carrier {

using common::JsonObjectReader;
using common::Need;
using osp::sdk::Result;

namespace {

std::optional<JsonObjectReader> readRequest(std::string_view request, common::Problems& problems) {
  Poco::JSON::Object::Ptr root = common::parseObject(request, problems);
  if (!root) return std::nullopt;
  return JsonObjectReader(root, "", problems);
}

Poco::JSON::Object::Ptr dayRangeJson(const DayRange& days) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("min", static_cast<Poco::Int64>(days.min));
  out->set("max", static_cast<Poco::Int64>(days.max));
  return out;
}

std::string unavailableMessage(QuoteOutcome outcome, const Quote& quote, int64_t weightGrams) {
  switch (outcome) {
    case QuoteOutcome::DestinationNotServed:
      return "no zone of this carrier covers the destination";
    case QuoteOutcome::ServiceNotOffered:
      return "the service is not offered in zone \"" + quote.zone->name + "\"";
    case QuoteOutcome::WeightOutOfRange:
      return "no weight bracket in zone \"" + quote.zone->name + "\" covers " + std::to_string(weightGrams) + " g";
    case QuoteOutcome::Priced:
      break;
  }
  return {};
}

Poco::JSON::Object::Ptr unavailableJson(std::string_view code, std::string_view reason, const std::string& message) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("service_code", std::string(code));
  out->set("reason", std::string(reason));
  out->set("message", message);
  return out;
}

// The recorded events, or, before the fleet has reported anything, the one event every
// booked shipment has: its label was created when it was booked.
void addLabelCreatedIfEmpty(Poco::JSON::Array::Ptr events, const std::optional<JsonObjectReader>& data,
                            const osp::sdk::Call& call) {
  if (events->size() != 0) return;
  std::string createdAt;
  if (data && data->raw()->has("created_at")) createdAt = data->raw()->get("created_at").toString();
  if (createdAt.empty()) createdAt = common::formatUtc(call.nowUnixMs());
  events->add(trackingEvent("label_created", createdAt, "Label created"));
}

// Parcels that have moved can no longer be cancelled at the counter.
bool hasMoved(const Poco::JSON::Array::Ptr& events) {
  for (std::size_t i = 0; i < events->size(); ++i) {
    const std::string status = events->getObject(static_cast<unsigned>(i))->getValue<std::string>("status");
    if (status != "label_created" && status != "cancelled") return true;
  }
  return false;
}

}  // namespace

Result LocalCarrierInstance::listServices(const osp::sdk::Call&, std::string_view request) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({});
  if (!problems.empty()) return common::invalidRequest(problems);

  Poco::JSON::Array::Ptr services = common::makeArray();
  for (const Service& service : config_.services) {
    bool domestic = false;
    bool international = false;
    for (const Zone& zone : config_.zones) {
      if (zone.rates.count(service.code) == 0) continue;
      for (const std::string& country : zone.countries) {
        (country == config_.originCountry ? domestic : international) = true;
      }
    }
    Poco::JSON::Object::Ptr entry = common::makeObject();
    entry->set("code", service.code);
    entry->set("name", service.name);
    entry->set("domestic", domestic);
    entry->set("international", international);
    entry->set("returns", false);
    if (service.estimatedDays) entry->set("estimated_days", dayRangeJson(*service.estimatedDays));
    services->add(entry);
  }
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("services", services);
  return Result::ok(common::toJson(out));
}

Result LocalCarrierInstance::quoteRates(const osp::sdk::Call&, std::string_view request) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"ship_from", "ship_to", "parcels", "services", "declared_value"});
  common::readAddress(*req, "ship_from", Need::Optional, false);
  auto shipTo = common::readAddress(*req, "ship_to", Need::Required, false);
  auto parcels = readParcels(*req, "parcels");
  req->money("declared_value", Need::Optional, 0);
  std::vector<std::string> wanted;
  if (auto services = req->array("services", Need::Optional)) {
    for (std::size_t i = 0; i < services->size(); ++i) {
      if (auto code = services->string(i, 1, 32)) wanted.push_back(*code);
    }
  }
  if (!problems.empty()) return common::invalidRequest(problems);

  const Destination destination = destinationOf(*shipTo);
  Poco::JSON::Array::Ptr rates = common::makeArray();
  Poco::JSON::Array::Ptr unavailable = common::makeArray();
  for (const Service& service : config_.services) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), service.code) == wanted.end()) continue;
    const Quote quote = quoteService(config_, destination, service.code, parcels->totalGrams);
    if (quote.outcome != QuoteOutcome::Priced) {
      unavailable->add(unavailableJson(service.code, reasonCode(quote.outcome),
                                       unavailableMessage(quote.outcome, quote, parcels->totalGrams)));
      continue;
    }
    // Enough to book exactly this price later, and to explain it.
    Poco::JSON::Object::Ptr data = common::makeObject();
    data->set("zone", quote.zone->name);
    data->set("billable_weight_grams", static_cast<Poco::Int64>(parcels->totalGrams));

    Poco::JSON::Object::Ptr rate = common::makeObject();
    rate->set("service_code", service.code);
    rate->set("service_name", service.name);
    rate->set("amount", common::moneyJson(quote.bracket->price));
    rate->set("tax_inclusive", config_.pricesIncludeTax);
    if (service.estimatedDays) rate->set("estimated_days", dayRangeJson(*service.estimatedDays));
    rate->set("provider_data", data);
    rates->add(rate);
  }
  for (const std::string& code : wanted) {
    if (config_.service(code) == nullptr) {
      unavailable->add(unavailableJson(code, "unknown_service", "this carrier has no service \"" + code + "\""));
    }
  }
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("rates", rates);
  out->set("unavailable", unavailable);
  return Result::ok(common::toJson(out));
}

Result LocalCarrierInstance::createShipment(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"shipment_id", "order_id", "service_code", "ship_from", "ship_to", "parcels", "reference",
                      "label_format", "rate", "declared_value", "metadata"});
  auto shipmentId = req->string("shipment_id", Need::Required, 1, 200);
  req->string("order_id", Need::Optional, 1, 200);
  auto serviceCode = req->string("service_code", Need::Required, 1, 32);
  auto from = readParty(*req, "ship_from");
  auto to = readParty(*req, "ship_to");
  auto parcels = readParcels(*req, "parcels");
  auto reference = req->string("reference", Need::Optional, 0, 100);
  auto format = req->oneOf("label_format", Need::Optional, {"pdf", "text", "zpl", "png"});
  if (auto rate = req->object("rate", Need::Optional)) {
    rate->rejectUnknown({"amount", "provider_data"});
    rate->money("amount", Need::Required, 0);
    rate->object("provider_data", Need::Optional);
  }
  req->money("declared_value", Need::Optional, 0);
  common::checkMetadata(*req);
  if (!problems.empty()) return common::invalidRequest(problems);

  const Service* service = config_.service(*serviceCode);
  if (service == nullptr) {
    return Result::error(OSP_E_INVALID_ARGUMENT, "shipment.unknown_service",
                         "this carrier has no service \"" + *serviceCode + "\" (see carrier.list_services)");
  }
  const std::string labelFormat = format.value_or("pdf");
  if (labelFormat != "pdf" && labelFormat != "text") {
    return Result::error(OSP_E_UNSUPPORTED, "label.format_unsupported",
                         "the local carrier prints pdf and text labels, not " + labelFormat);
  }

  const Quote quote = quoteService(config_, destinationOf(to->address), service->code, parcels->totalGrams);
  if (quote.outcome != QuoteOutcome::Priced) {
    // Nothing is booked and no tracking number is spent.
    Poco::JSON::Object::Ptr data = common::makeObject();
    data->set("state", "not_booked");
    Poco::JSON::Object::Ptr out = common::makeObject();
    out->set("status", "declined");
    out->set("provider_error",
             common::providerErrorJson(std::string(reasonCode(quote.outcome)),
                                       unavailableMessage(quote.outcome, quote, parcels->totalGrams)));
    out->set("provider_data", data);
    return Result::ok(common::toJson(out));
  }

  std::string trackingNumber;
  Result allocated = allocateTrackingNumber(call, common::idempotencyBasis(call, *shipmentId), &trackingNumber);
  if (allocated.status != OSP_OK) return allocated;

  ShipmentLabel label;
  label.trackingNumber = trackingNumber;
  label.serviceName = service->name;
  for (const auto& [party, lines] : {std::pair{&*from, &label.from}, std::pair{&*to, &label.to}}) {
    lines->push_back(party->name);
    if (!party->company.empty()) lines->push_back(party->company);
    for (const std::string& line : party->address.lines()) lines->push_back(line);
  }
  label.parcelCount = parcels->count;
  label.weightGrams = parcels->totalGrams;
  label.reference = reference.value_or("");
  const LabelDocument document = renderLabel(label, labelFormat == "text" ? LabelFormat::Text : LabelFormat::Pdf);

  Poco::JSON::Object::Ptr labelJson = common::makeObject();
  labelJson->set("media_type", document.mediaType);
  labelJson->set("content_base64", base64Encode(document.bytes));
  labelJson->set("filename", document.filename);
  Poco::JSON::Array::Ptr labels = common::makeArray();
  labels->add(labelJson);

  // What track and cancel need later; the host adds "events" as the fleet reports them.
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("state", "booked");
  data->set("tracking_number", trackingNumber);
  data->set("service_code", service->code);
  data->set("zone", quote.zone->name);
  data->set("billable_weight_grams", static_cast<Poco::Int64>(parcels->totalGrams));
  data->set("created_at", common::formatUtc(call.nowUnixMs()));

  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("status", "succeeded");
  out->set("provider_reference", trackingNumber);
  out->set("tracking_number", trackingNumber);
  out->set("labels", labels);
  out->set("amount", common::moneyJson(quote.bracket->price));
  out->set("provider_data", data);
  return Result::ok(common::toJson(out));
}

Result LocalCarrierInstance::cancelShipment(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"shipment_id", "tracking_number", "provider_reference", "provider_data", "reason"});
  req->string("shipment_id", Need::Required, 1, 200);
  req->string("tracking_number", Need::Required, 1, 200);
  req->string("provider_reference", Need::Optional, 1, 200);
  req->string("reason", Need::Optional, 0, 500);
  auto data = req->object("provider_data", Need::Required);
  std::optional<Poco::JSON::Array::Ptr> events;
  if (data) events = readTrackingEvents(*data);
  if (!problems.empty() || !events) return common::invalidRequest(problems);

  Poco::JSON::Object::Ptr out = common::makeObject();
  // Cancelling twice is not an error: the second call finds it done.
  if (data->raw()->has("state") && data->raw()->get("state").toString() == "cancelled") {
    out->set("status", "succeeded");
    out->set("provider_data", data->raw());
    return Result::ok(common::toJson(out));
  }
  if (hasMoved(*events)) {
    out->set("status", "declined");
    out->set("provider_data", data->raw());
    out->set("provider_error", common::providerErrorJson("already_picked_up",
                                                         "the parcel has left the counter; arrange a return instead"));
    return Result::ok(common::toJson(out));
  }
  const std::string now = common::formatUtc(call.nowUnixMs());
  Poco::JSON::Object::Ptr updated = new Poco::JSON::Object(*data->raw());
  addLabelCreatedIfEmpty(*events, data, call);
  (*events)->add(trackingEvent("cancelled", now, "Shipment cancelled"));
  updated->set("state", "cancelled");
  updated->set("cancelled_at", now);
  updated->set("events", *events);
  out->set("status", "succeeded");
  out->set("provider_data", updated);
  return Result::ok(common::toJson(out));
}

Result LocalCarrierInstance::track(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"shipments"});
  auto shipments = req->array("shipments", Need::Required, 1, 100);
  if (!shipments) return common::invalidRequest(problems);

  Poco::JSON::Array::Ptr results = common::makeArray();
  for (std::size_t i = 0; i < shipments->size(); ++i) {
    auto shipment = shipments->object(i);
    if (!shipment) continue;
    shipment->rejectUnknown({"tracking_number", "provider_reference", "provider_data"});
    auto number = shipment->string("tracking_number", Need::Required, 1, 200);
    shipment->string("provider_reference", Need::Optional, 1, 200);
    auto data = shipment->object("provider_data", Need::Optional);
    std::optional<Poco::JSON::Array::Ptr> events = common::makeArray();
    if (data) events = readTrackingEvents(*data);
    if (!number || !events) continue;

    addLabelCreatedIfEmpty(*events, data, call);
    const std::size_t last = (*events)->size() - 1;
    Poco::JSON::Object::Ptr entry = common::makeObject();
    entry->set("tracking_number", *number);
    entry->set("status", (*events)->getObject(static_cast<unsigned>(last))->getValue<std::string>("status"));
    entry->set("events", *events);
    results->add(entry);
  }
  if (!problems.empty()) return common::invalidRequest(problems);
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("shipments", results);
  return Result::ok(common::toJson(out));
}

}  // namespace ordersvc::plugins::local_carrier
