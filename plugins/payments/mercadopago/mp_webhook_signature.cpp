#include "payments/mercadopago/mp_webhook_signature.h"

#include <cctype>

#include "common/hmac.h"

namespace ordersvc::plugins::mercadopago {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool isAlphanumeric(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct SignatureParts {
  std::string ts;
  std::string v1;
};

// "ts=1704908010,v1=618c…": comma-separated key=value pairs in any order; both required.
std::optional<SignatureParts> parseSignatureHeader(std::string_view header) {
  SignatureParts parts;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    const std::string_view pair = header.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos) {
      const std::string_view key = trim(pair.substr(0, equals));
      const std::string_view value = trim(pair.substr(equals + 1));
      if (key == "ts") parts.ts = std::string(value);
      if (key == "v1") parts.v1 = std::string(value);
    }
    start = end + 1;
  }
  if (parts.ts.empty() || parts.v1.empty()) return std::nullopt;
  return parts;
}

}  // namespace

std::string signedManifest(const std::optional<std::string>& dataId, const std::optional<std::string>& requestId,
                           std::string_view ts) {
  std::string manifest;
  if (dataId && !dataId->empty()) manifest += "id:" + (isAlphanumeric(*dataId) ? lowerAscii(*dataId) : *dataId) + ";";
  if (requestId && !requestId->empty()) manifest += "request-id:" + *requestId + ";";
  manifest += "ts:" + std::string(ts) + ";";
  return manifest;
}

std::optional<int64_t> signatureTimeMs(std::string_view ts) {
  if (ts.empty() || ts.size() > 16) return std::nullopt;
  int64_t value = 0;
  for (char c : ts) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value >= 100'000'000'000 ? value : value * 1000;
}

SignatureCheck checkSignature(std::string_view secret, const std::optional<std::string>& signatureHeader,
                              const std::optional<std::string>& dataId, const std::optional<std::string>& requestId,
                              int64_t nowMs, int64_t toleranceSeconds) {
  if (!signatureHeader) return SignatureCheck::Invalid;
  const auto parts = parseSignatureHeader(*signatureHeader);
  if (!parts) return SignatureCheck::Invalid;
  const std::string expected = common::hmacSha256Hex(secret, signedManifest(dataId, requestId, parts->ts));
  if (expected.empty() || !common::constantTimeEquals(expected, lowerAscii(parts->v1))) return SignatureCheck::Invalid;
  // ts is judged only once the signature is genuine: a tampered ts is a bad signature.
  const auto signedAt = signatureTimeMs(parts->ts);
  if (!signedAt) return SignatureCheck::Invalid;
  const int64_t skew = *signedAt > nowMs ? *signedAt - nowMs : nowMs - *signedAt;
  return skew > toleranceSeconds * 1000 ? SignatureCheck::Stale : SignatureCheck::Valid;
}

}  // namespace ordersvc::plugins::mercadopago
