#include "payments/mercadopago/mercadopago_config.h"

#include "common/json_reader.h"

namespace ordersvc::plugins::mercadopago {

using common::Need;

namespace {

bool allDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::optional<MercadoPagoConfig> MercadoPagoConfig::parse(std::string_view json, common::Problems& problems) {
  const Poco::JSON::Object::Ptr root = common::parseObject(json, problems);
  if (!root) return std::nullopt;
  const common::JsonObjectReader config(root, "", problems);
  config.rejectUnknown({"access_token", "webhook_secret", "statement_descriptor", "notification_url",
                        "webhook_tolerance_seconds", "user_id"});

  MercadoPagoConfig out;
  auto accessToken = config.string("access_token", Need::Required, 1, 500);
  auto webhookSecret = config.string("webhook_secret", Need::Required, 1, 500);
  out.statementDescriptor = config.string("statement_descriptor", Need::Optional, 1, 22);
  out.notificationUrl = config.string("notification_url", Need::Optional, 9, 499);
  // MercadoPago calls notification_url from the internet: plain http would expose the
  // notifications, and the host serves webhooks over https anyway.
  if (out.notificationUrl && out.notificationUrl->rfind("https://", 0) != 0) {
    problems.add(config.pathOf("notification_url"), "must be an https:// URL");
  }
  out.webhookToleranceSeconds = config.integer("webhook_tolerance_seconds", Need::Optional, 1, 86400).value_or(300);
  out.userId = config.string("user_id", Need::Optional, 1, 30);
  if (out.userId && !allDigits(*out.userId)) problems.add(config.pathOf("user_id"), "must be digits");
  if (!problems.empty()) return std::nullopt;
  out.accessToken = std::move(*accessToken);
  out.webhookSecret = std::move(*webhookSecret);
  return out;
}

}  // namespace ordersvc::plugins::mercadopago
