#include "platform/http/access.h"

#include <chrono>

#include "domain/commerce_settings.h"
#include "kernel/ids.h"
#include "platform/http/idempotency.h"
#include "platform/logging/log.h"
#include "platform/storage/idempotency_store.h"
#include "platform/storage/sql_errors.h"

namespace ordersvc::api {

namespace {
constexpr int64_t kRetentionMs = 24LL * 3600 * 1000;
}  // namespace

Handler idempotent(storage::Database& database, const Authenticator& authenticator, Clock clock, Handler handler) {
  return [&database, &authenticator, clock = std::move(clock),
          handler = std::move(handler)](const Request& request) -> Response {
    const auto keyHeader = request.headers.find("idempotency-key");
    if (keyHeader == request.headers.end()) return handler(request);
    const std::string& key = keyHeader->second;
    if (key.empty() || key.size() > 255) {
      return errorResponse(Error::invalidArgument("Idempotency-Key: 1 to 255 characters"));
    }
    auto actor = actorFor(authenticator, request, true);
    if (!actor) return handler(request);  // the handler answers the auth error itself
    const std::string scope = !actor->subject.empty() ? "sub:" + actor->subject
                              : actor->cartTokenHash  ? "cart:" + *actor->cartTokenHash
                                                      : "guest";
    const std::string hash = hashToken(request.method + " " + request.path + "\n" + request.body);
    // The claim, the handler and the completion each use their own connection: holding
    // one across the handler (which takes its own) could starve the pool under load.
    const int64_t now = clock();
    {
      auto connection = database.acquire();
      if (!connection) return errorResponse(connection.error());
      try {
        if (!storage::idempotency_store::claim(*connection, actor->organizationId, scope, key, hash, now)) {
          auto existing = storage::idempotency_store::find(*connection, actor->organizationId, scope, key);
          if (existing && existing->createdAtMs < now - kRetentionMs) {
            storage::idempotency_store::forget(*connection, actor->organizationId, scope, key);
            return errorResponse(Error::conflict("that Idempotency-Key expired; retry once more"));
          }
          if (!existing) return errorResponse(Error::conflict("Idempotency-Key in use; retry"));
          if (existing->requestHash != hash) {
            return errorResponse(
                Error::unprocessable("Idempotency-Key was already used with a different request; use a new key"));
          }
          if (existing->state != "done") {
            return errorResponse(Error::conflict("a request with this Idempotency-Key is still being processed"));
          }
          Response replay;
          replay.status = existing->statusCode;
          replay.body = existing->responseBody;
          replay.headers.emplace_back("Idempotent-Replayed", "true");
          return replay;
        }
      } catch (const std::exception& e) {
        return errorResponse(storage::translateDatabaseError(e, *connection, ""));
      }
    }
    Response response = handler(request);
    auto connection = database.acquire();
    if (!connection) {
      // The claim stays in progress; a retry after the retention ends runs again. Say so.
      logging::warn("idempotency key not completed", {{"request_id", request.requestId}});
      return response;
    }
    try {
      if (response.status >= 500) {
        storage::idempotency_store::forget(*connection, actor->organizationId, scope, key);
      } else {
        storage::idempotency_store::complete(*connection, actor->organizationId, scope, key, response.status,
                                             response.body);
      }
    } catch (const std::exception& e) {
      logging::warn("idempotency key not completed", {{"request_id", request.requestId}, {"reason", e.what()}});
    }
    return response;
  };
}

}  // namespace ordersvc::api
