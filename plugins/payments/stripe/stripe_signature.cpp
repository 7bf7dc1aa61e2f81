#include "payments/stripe/stripe_signature.h"

#include <string_view>
#include <vector>

#include "common/hmac.h"

namespace ordersvc::plugins::stripe {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

struct ParsedHeader {
  std::optional<int64_t> timestamp;
  std::string timestampText;  // exactly as sent: it is what Stripe signed
  std::vector<std::string> v1;
};

// Unix seconds of at most 12 digits (a year far beyond any real webhook), nothing else.
std::optional<int64_t> parseSeconds(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

ParsedHeader parse(std::string_view header) {
  ParsedHeader out;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    const std::string_view element = trim(header.substr(start, end - start));
    const std::size_t equals = element.find('=');
    if (equals != std::string_view::npos) {
      const std::string_view key = element.substr(0, equals);
      const std::string_view value = element.substr(equals + 1);
      if (key == "t") {
        out.timestamp = parseSeconds(value);  // a second "t" overrides, as in Stripe's libraries
        out.timestampText = std::string(value);
      } else if (key == "v1" && !value.empty()) {
        out.v1.emplace_back(value);
      }
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

SignatureCheck checkStripeSignature(const std::optional<std::string>& header, const std::string& rawBody,
                                    const std::string& signingSecret, int64_t nowUnixSeconds,
                                    int64_t toleranceSeconds) {
  if (!header) return SignatureCheck::Invalid;
  const ParsedHeader parsed = parse(*header);
  if (!parsed.timestamp || parsed.v1.empty()) return SignatureCheck::Invalid;
  const std::string expected = common::hmacSha256Hex(signingSecret, parsed.timestampText + "." + rawBody);
  bool matched = false;
  // Every candidate is compared, matched or not, so the time taken does not say which.
  for (const std::string& candidate : parsed.v1) matched = common::constantTimeEquals(expected, candidate) || matched;
  if (!matched) return SignatureCheck::Invalid;
  const int64_t age = nowUnixSeconds - *parsed.timestamp;
  if (age > toleranceSeconds || -age > toleranceSeconds) return SignatureCheck::Stale;
  return SignatureCheck::Valid;
}

}  // namespace ordersvc::plugins::stripe
