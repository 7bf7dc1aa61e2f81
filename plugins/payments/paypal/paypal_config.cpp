#include "payments/paypal/paypal_config.h"

#include "common/json_reader.h"

namespace ordersvc::plugins::paypal {

using common::Need;

namespace {

bool isAlphanumeric(std::string_view text) {
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string PaypalConfig::apiBase() const {
  return environment == "live" ? "https://api-m.paypal.com" : "https://api-m.sandbox.paypal.com";
}

std::optional<PaypalConfig> PaypalConfig::parse(std::string_view json, common::Problems& problems) {
  const Poco::JSON::Object::Ptr root = common::parseObject(json, problems);
  if (!root) return std::nullopt;
  const common::JsonObjectReader config(root, "", problems);
  config.rejectUnknown(
      {"client_id", "client_secret", "webhook_id", "environment", "brand_name", "webhook_tolerance_seconds"});

  PaypalConfig out;
  auto clientId = config.string("client_id", Need::Required, 1, 200);
  auto clientSecret = config.string("client_secret", Need::Required, 1, 200);
  auto webhookId = config.string("webhook_id", Need::Required, 1, 50);
  if (webhookId && !isAlphanumeric(*webhookId)) {
    problems.add(config.pathOf("webhook_id"), "must be letters and digits only, as PayPal writes webhook ids");
  }
  auto environment = config.oneOf("environment", Need::Required, {"sandbox", "live"});
  out.brandName = config.string("brand_name", Need::Optional, 1, 127);
  auto tolerance = config.integer("webhook_tolerance_seconds", Need::Optional, 60, 30 * 24 * 3600);
  if (!problems.empty()) return std::nullopt;

  out.clientId = *clientId;
  out.clientSecret = *clientSecret;
  out.webhookId = *webhookId;
  out.environment = *environment;
  if (tolerance) out.webhookToleranceSeconds = *tolerance;
  return out;
}

}  // namespace ordersvc::plugins::paypal
