// The configuration of one PayPal instance (the "config_schema" of plugin.json.in).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/problems.h"

namespace ordersvc::plugins::paypal {

struct PaypalConfig {
  std::string clientId;
  std::string clientSecret;  // never logged, never put in a result
  std::string webhookId;
  std::string environment;  // "sandbox" or "live"
  std::optional<std::string> brandName;
  int64_t webhookToleranceSeconds = kDefaultWebhookToleranceSeconds;

  // PayPal redelivers an unacknowledged webhook for up to 3 days; a tighter default would
  // refuse genuine redeliveries whose transmission time is that of an earlier attempt.
  static constexpr int64_t kDefaultWebhookToleranceSeconds = 3 * 24 * 3600;

  // "https://api-m.sandbox.paypal.com" or "https://api-m.paypal.com", no trailing slash.
  std::string apiBase() const;

  // Reads and checks a configuration; on any problem returns nullopt with every problem
  // added to `problems` at its JSON pointer.
  static std::optional<PaypalConfig> parse(std::string_view json, common::Problems& problems);
};

}  // namespace ordersvc::plugins::paypal
