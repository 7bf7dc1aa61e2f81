#include "payments/stripe/stripe_config.h"

#include "common/json_reader.h"

namespace ordersvc::plugins::stripe {

using common::Need;

namespace {

// Printable ASCII without the space: what Stripe's keys are made of, and nothing that
// could end or split the Authorization header.
bool isPrintableToken(std::string_view text) {
  for (const char c : text) {
    if (c < '!' || c > '~') return false;
  }
  return !text.empty();
}

// Reads a secret that must start with one of `prefixes`; the message names the expected
// shape, never the value that was given.
std::optional<std::string> secret(const common::JsonObjectReader& config, std::string_view key,
                                  std::initializer_list<std::string_view> prefixes, std::string_view shape) {
  auto value = config.string(key, Need::Required, 1, 255);
  if (!value) return std::nullopt;
  for (std::string_view prefix : prefixes) {
    if (value->rfind(prefix, 0) == 0 && isPrintableToken(std::string_view(*value).substr(prefix.size()))) return value;
  }
  config.problems().add(config.pathOf(key), "must look like " + std::string(shape));
  return std::nullopt;
}

// Stripe's rules for a statement descriptor (besides its length): at least one letter,
// none of < > \ ' " *.
bool isStatementDescriptor(std::string_view text) {
  bool letter = false;
  for (const char c : text) {
    if (c == '<' || c == '>' || c == '\\' || c == '\'' || c == '"' || c == '*') return false;
    letter = letter || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
  return letter;
}

}  // namespace

std::optional<StripeConfig> StripeConfig::parse(std::string_view json, common::Problems& problems) {
  const Poco::JSON::Object::Ptr root = common::parseObject(json, problems);
  if (!root) return std::nullopt;
  const common::JsonObjectReader config(root, "", problems);
  config.rejectUnknown({"secret_key", "webhook_secret", "statement_descriptor", "webhook_tolerance_seconds"});

  StripeConfig out;
  if (auto key = secret(config, "secret_key", {"sk_test_", "sk_live_"}, "sk_test_... or sk_live_...")) {
    out.secretKey = *key;
  }
  if (auto key = secret(config, "webhook_secret", {"whsec_"}, "whsec_...")) out.webhookSecret = *key;
  out.statementDescriptor = config.string("statement_descriptor", Need::Optional, 5, 22);
  if (out.statementDescriptor && !isStatementDescriptor(*out.statementDescriptor)) {
    problems.add(config.pathOf("statement_descriptor"), "needs a letter and none of < > \\ ' \" *");
  }
  out.webhookToleranceSeconds = config.integer("webhook_tolerance_seconds", Need::Optional, 1, 3600).value_or(300);
  if (!problems.empty()) return std::nullopt;
  return out;
}

}  // namespace ordersvc::plugins::stripe
