// MercadoPago's webhook signature ("Validate notification origin", Your integrations >
// Webhooks, developers docs): the x-signature header carries "ts=<ts>,v1=<hex>", where v1
// is the lower-case hex HMAC-SHA256, keyed with the application's secret signature, of the
// manifest
//     id:<data.id from the URL's query>;request-id:<x-request-id header>;ts:<ts>;
// Parts whose value the notification lacks are left out, as the documentation says, and
// an alphanumeric data.id is signed in lower case. The body is not signed.
//
// ts: the documentation calls it milliseconds while its example ("ts=1704908010") is in
// seconds; both occur, so a ts of 12 digits or more is read as milliseconds (1e11 ms is
// 1973, 1e11 s is year 5138) and a shorter one as seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ordersvc::plugins::mercadopago {

enum class SignatureCheck {
  Valid,
  Invalid,  // no or malformed x-signature, or v1 does not match: webhook.signature_invalid
  Stale,    // v1 matches but ts is further than the tolerance from now: webhook.stale
};

// The manifest for the given parts (see above); `dataId` and `requestId` are omitted when
// nullopt or empty.
std::string signedManifest(const std::optional<std::string>& dataId, const std::optional<std::string>& requestId,
                           std::string_view ts);

// Unix milliseconds of a signature's ts, or nullopt when it is not 1 to 16 digits.
std::optional<int64_t> signatureTimeMs(std::string_view ts);

// Checks `signatureHeader` (the x-signature value, nullopt when absent) against the
// manifest of `dataId`, `requestId` and its ts, with `secret`, comparing in constant time;
// then that ts is within `toleranceSeconds` of `nowMs`, either way.
SignatureCheck checkSignature(std::string_view secret, const std::optional<std::string>& signatureHeader,
                              const std::optional<std::string>& dataId, const std::optional<std::string>& requestId,
                              int64_t nowMs, int64_t toleranceSeconds);

}  // namespace ordersvc::plugins::mercadopago
