// One local-carrier instance: the carrier operations for one organization's rate card.
// Messages follow plugin-api/schemas/carrier/.
//
// The carrier has no API: prices come from the configuration, tracking numbers from the
// host's key/value store, labels are generated here, and tracking is what the host
// records in provider_data ("events") as the fleet reports it.
//
// Threading: [any-thread]. Immutable after construction, so concurrent calls are safe.
#pragma once

#include <string_view>

#include "carriers/local/local_config.h"
#include "osp/sdk/plugin.hpp"

namespace ordersvc::plugins::local_carrier {

class LocalCarrierInstance final : public osp::sdk::Instance {
 public:
  explicit LocalCarrierInstance(LocalCarrierConfig config) : config_(std::move(config)) {}

  // The configured services; domestic/international from the zones that price them.
  osp::sdk::Result listServices(const osp::sdk::Call& call, std::string_view request) override;
  // Prices each service for the summed parcel weight in the destination's zone; services
  // that cannot serve it are listed under "unavailable" with a reason.
  osp::sdk::Result quoteRates(const osp::sdk::Call& call, std::string_view request) override;
  // Books: a tracking number (see tracking_numbers.h) and a PDF or text label. A
  // destination or weight the rate card does not serve is "declined", not an error.
  osp::sdk::Result createShipment(const osp::sdk::Call& call, std::string_view request) override;
  // Cancels unless provider_data records that the parcel has moved.
  osp::sdk::Result cancelShipment(const osp::sdk::Call& call, std::string_view request) override;
  // The events recorded in each shipment's provider_data, or one "label_created" event.
  osp::sdk::Result track(const osp::sdk::Call& call, std::string_view request) override;

 private:
  const LocalCarrierConfig config_;
};

}  // namespace ordersvc::plugins::local_carrier
