// HMAC-SHA256 and constant-time comparison for webhook signatures (Stripe's v1,
// MercadoPago's x-signature) through OpenSSL. A plugin that uses these lists
// ../../common/hmac.cpp in its SOURCES and links OpenSSL::Crypto.
#pragma once

#include <string>
#include <string_view>

namespace ordersvc::plugins::common {

// Lower-case hex of HMAC-SHA256(key, message).
std::string hmacSha256Hex(std::string_view key, std::string_view message);

// Lower-case hex of SHA-256(data).
std::string sha256Hex(std::string_view data);

// Equal contents, in time that depends only on the lengths (CRYPTO_memcmp), so a forger
// learns nothing from how long a wrong signature took to refuse.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ordersvc::plugins::common
