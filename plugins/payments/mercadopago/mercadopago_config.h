// The configuration of one MercadoPago instance (the "config_schema" of plugin.json.in).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/problems.h"

namespace ordersvc::plugins::mercadopago {

struct MercadoPagoConfig {
  std::string accessToken;    // secret: only ever sent in the Authorization header
  std::string webhookSecret;  // secret: the HMAC key of x-signature
  std::optional<std::string> statementDescriptor;
  std::optional<std::string> notificationUrl;
  int64_t webhookToleranceSeconds = 300;
  std::optional<std::string> userId;  // the account's MercadoPago user id, for webhook_identify

  // Reads and checks a configuration; on any problem returns nullopt with every problem
  // added to `problems` at its JSON pointer. Problem messages never quote secret values.
  static std::optional<MercadoPagoConfig> parse(std::string_view json, common::Problems& problems);
};

}  // namespace ordersvc::plugins::mercadopago
