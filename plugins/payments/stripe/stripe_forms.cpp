#include "payments/stripe/stripe_forms.h"

#include <algorithm>
#include <cctype>

#include "common/json_writer.h"
#include "common/sdk_glue.h"

namespace ordersvc::plugins::stripe {

bool addMetadata(common::FormBody& form, const std::vector<std::pair<std::string, std::string>>& own,
                 const Metadata& host, std::string* why) {
  std::vector<std::string> used;
  for (const auto& [key, value] : own) {
    if (value.empty()) continue;
    form.add("metadata[" + key + "]", value);
    used.push_back(key);
  }
  for (const auto& [key, value] : host) {
    if (std::find(used.begin(), used.end(), key) != used.end()) continue;
    if (key.find_first_of("[]") != std::string::npos) {
      if (why) *why = "metadata key \"" + key + "\" contains [ or ], which Stripe does not allow";
      return false;
    }
    form.add("metadata[" + key + "]", value);
    used.push_back(key);
  }
  if (used.size() > 50) {
    if (why)
      *why = "metadata: Stripe takes at most 50 keys, and with the plugin's own there would be " +
             std::to_string(used.size());
    return false;
  }
  return true;
}

std::optional<std::string> stripeReason(const std::optional<std::string>& text,
                                        std::initializer_list<std::string_view> allowed) {
  if (!text) return std::nullopt;
  std::string normalised;
  for (const char c : *text) {
    if (c == ' ' || c == '-') {
      normalised.push_back('_');
    } else {
      normalised.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  for (std::string_view reason : allowed) {
    if (reason == normalised) return normalised;
  }
  return std::nullopt;
}

std::string idempotencyKeyFor(const osp::sdk::Call& call, std::string_view operation, const std::string& hostId) {
  return common::idempotencyBasis(call, std::string(operation) + "-" + hostId);
}

Poco::JSON::Object::Ptr paymentFallbackData(const IntentContext& context, const std::optional<std::string>& intent,
                                            const std::optional<common::Money>& amount,
                                            const std::optional<std::string>& captureMethod) {
  Poco::JSON::Object::Ptr data = common::makeObject();
  if (intent) data->set("payment_intent", *intent);
  data->set("operation", std::string(operationName(context.operation)));
  if (captureMethod) data->set("capture_method", *captureMethod);
  data->set("payment_id", context.paymentId);
  if (amount) data->set("amount", common::moneyJson(*amount));
  if (context.paymentMethod) data->set("payment_method", *context.paymentMethod);
  return data;
}

std::string searchLiteral(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace ordersvc::plugins::stripe
