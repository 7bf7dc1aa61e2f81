#pragma once

#include "kernel/clock.h"
#include "platform/http/authenticator.h"
#include "platform/http/http_types.h"
#include "platform/storage/database.h"

namespace ordersvc::api {

// Wraps a POST handler with Idempotency-Key semantics: the first request with a key
// runs and its response is kept for 24 h; a repeat with the same key and body gets that
// response again (with Idempotent-Replayed: true); the same key with another body is
// 422; a repeat while the first still runs is 409. Keys are scoped by organization and
// caller (token subject, or the guest's cart token), so callers cannot collide.
// Responses with 5xx are not kept: the request may be retried with the same key.
// `clock` stamps the records (kept 24 h).
Handler idempotent(storage::Database& database, const Authenticator& authenticator, Clock clock, Handler handler);

}  // namespace ordersvc::api
