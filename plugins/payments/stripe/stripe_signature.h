// Stripe-Signature verification (https://stripe.com/docs/webhooks#verify-manually).
//
// The header is "t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=<hex>]". Stripe signs
// "<t>.<raw body>" with HMAC-SHA256 under the endpoint's signing secret and sends one v1
// per active secret (two while a secret is being rolled), so the webhook is authentic when
// ANY v1 matches; v0 (test-mode legacy) and unknown schemes are ignored. Comparison is
// constant-time. The timestamp is checked after the signature, as Stripe's libraries do,
// so a forger learns nothing about the tolerance; it must lie within the tolerance of now
// either way (a replayed old event, or a clock far ahead).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ordersvc::plugins::stripe {

enum class SignatureCheck {
  Valid,
  Invalid,  // no header, no t or v1, a malformed t, or no v1 that matches
  Stale,    // authentic, but t is more than the tolerance away from now
};

SignatureCheck checkStripeSignature(const std::optional<std::string>& header, const std::string& rawBody,
                                    const std::string& signingSecret, int64_t nowUnixSeconds, int64_t toleranceSeconds);

}  // namespace ordersvc::plugins::stripe
