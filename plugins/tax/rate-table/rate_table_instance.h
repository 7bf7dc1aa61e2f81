// One rate-table instance: tax.calculate, tax.commit and tax.void for one organization's
// rate table. Messages follow plugin-api/schemas/tax/.
//
// Threading: [any-thread]. Immutable after construction, so concurrent calls are safe.
#pragma once

#include <string_view>

#include "osp/sdk/plugin.hpp"
#include "tax/rate-table/rate_table_config.h"

namespace ordersvc::plugins::rate_table {

class RateTableInstance final : public osp::sdk::Instance {
 public:
  explicit RateTableInstance(RateTableConfig config) : config_(std::move(config)) {}

  // Tax per line and for shipping by the rule in tax_math.h, with totals. A tax class
  // without a rate for the destination is OSP_E_CONFIG, code "tax.no_rate": the table,
  // not the request, is what needs fixing.
  osp::sdk::Result calculateTax(const osp::sdk::Call& call, std::string_view request) override;
  // Acknowledges: "succeeded", echoing transaction_reference. Nothing is recorded.
  osp::sdk::Result commitTax(const osp::sdk::Call& call, std::string_view request) override;
  // Acknowledges: "succeeded", echoing transaction_reference. Nothing is recorded.
  osp::sdk::Result voidTax(const osp::sdk::Call& call, std::string_view request) override;

 private:
  const RateTableConfig config_;
};

}  // namespace ordersvc::plugins::rate_table
