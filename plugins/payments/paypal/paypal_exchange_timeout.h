// How long one HTTP exchange with PayPal may take inside a call.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "osp/sdk/plugin.hpp"

namespace ordersvc::plugins::paypal {

// What is left of the call's deadline less a reserve (a quarter of it, at most 2 s), or 0
// (the host's default) for a call without one.
//
// Rationale: the host discards a result that arrives after the deadline ("an answer too
// late is no answer"), so an exchange bounded by the deadline alone would turn a slow
// PayPal into a bare deadline error. With the reserve, the plugin still answers "unknown"
// with the payment's reference and provider_data, which the host needs for payment.sync.
inline uint32_t exchangeTimeoutMs(const osp::sdk::Call& call) {
  const int64_t deadline = call.deadlineUnixMs();
  if (deadline <= 0) return 0;
  const int64_t left = deadline - call.nowUnixMs();
  const int64_t reserve = std::min<int64_t>(2000, left / 4);
  return static_cast<uint32_t>(std::clamp<int64_t>(left - reserve, 1, std::numeric_limits<uint32_t>::max()));
}

}  // namespace ordersvc::plugins::paypal
