// One cash instance: payment.sale, payment.refund and payment.sync for one organization's
// configuration. Messages follow plugin-api/schemas/payment/.
//
// Cash needs no provider: the "provider" is the till. The plugin keeps no state; what it
// recorded about a payment travels in provider_data, which the host stores and hands back.
//
// Threading: [any-thread]. Immutable after construction, so concurrent calls are safe.
#pragma once

#include <string_view>

#include "osp/sdk/plugin.hpp"
#include "payments/cash/cash_config.h"

namespace ordersvc::plugins::cash {

class CashInstance final : public osp::sdk::Instance {
 public:
  explicit CashInstance(CashConfig config) : config_(std::move(config)) {}

  // Takes amount_tendered for amount (rounded to the smallest coin): "succeeded" with the
  // change, or "declined" with gateway_error "insufficient_tender". The reference is
  // "cash_<idempotency key>", so a retry gets the same one.
  osp::sdk::Result sale(const osp::sdk::Call& call, std::string_view request) override;

  // Gives back up to captured_amount - refunded_amount; more is OSP_E_INVALID_ARGUMENT
  // (code "refund.exceeds_captured"). Always "succeeded" otherwise: the till pays out.
  osp::sdk::Result refund(const osp::sdk::Call& call, std::string_view request) override;

  // Reports the state recorded in provider_data by sale or refund.
  osp::sdk::Result sync(const osp::sdk::Call& call, std::string_view request) override;

 private:
  const CashConfig config_;
};

}  // namespace ordersvc::plugins::cash
