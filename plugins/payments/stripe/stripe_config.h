// The configuration of one Stripe instance (the "config_schema" of plugin.json.in).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/problems.h"

namespace ordersvc::plugins::stripe {

struct StripeConfig {
  std::string secretKey;      // sk_test_... / sk_live_...: the Bearer token. Never logged.
  std::string webhookSecret;  // whsec_...: the HMAC key of Stripe-Signature. Never logged.
  std::optional<std::string> statementDescriptor;
  int64_t webhookToleranceSeconds = 300;

  // Reads and checks a configuration against the rules of the manifest's config_schema;
  // on any problem returns nullopt with every problem added to `problems` at its JSON
  // pointer. Messages never repeat the secret values.
  static std::optional<StripeConfig> parse(std::string_view json, common::Problems& problems);
};

}  // namespace ordersvc::plugins::stripe
