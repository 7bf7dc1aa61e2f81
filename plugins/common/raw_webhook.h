// The raw webhook request the host hands to payment.webhook_identify and
// payment.webhook_verify_and_parse (common.json#/$defs/raw_webhook), decoded for
// signature checks: the body bytes exactly as received, headers found case-insensitively.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/problems.h"

namespace ordersvc::plugins::common {

struct RawWebhook {
  std::string method;
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  std::string body;                                          // decoded from body_base64

  // The first header of that name, compared case-insensitively.
  std::optional<std::string> header(std::string_view name) const;
  // The value of `name` in the query string (not percent-decoded: providers send ids).
  std::optional<std::string> queryParameter(std::string_view name) const;
};

// Reads the request JSON; a malformed one adds problems and returns nullopt.
std::optional<RawWebhook> parseRawWebhook(std::string_view requestJson, Problems& problems);

}  // namespace ordersvc::plugins::common
