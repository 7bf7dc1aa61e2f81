#pragma once

#include "kernel/clock.h"
#include "platform/http/authenticator.h"
#include "platform/http/http_types.h"
#include "platform/http/rate_limiter.h"

namespace ordersvc::api {

struct RateLimits {
  RateLimit perClient;        // RATE_LIMIT_CLIENT_PER_MINUTE / _BURST
  RateLimit perOrganization;  // RATE_LIMIT_ORG_PER_MINUTE / _BURST
};

// Wraps a handler with two token buckets: one per client (the token's subject within
// its organization, or the IP address of an anonymous caller) and one per organization
// (the token's org_id, or the X-Organization-Id a guest names). Either empty bucket
// answers 429 with Retry-After before the handler runs. The buckets live in the limiter
// (in process, or in Redis so several processes share them).
// `clock` times the buckets.
Handler rateLimited(RateLimiter& limiter, const Authenticator& authenticator, const RateLimits& limits, Clock clock,
                    Handler handler);

}  // namespace ordersvc::api
