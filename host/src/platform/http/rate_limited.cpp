#include "platform/http/rate_limited.h"

#include <chrono>
#include "domain/commerce_settings.h"

namespace ordersvc::api {

namespace {

Response tooMany(const RateDecision& decision, const std::string& what) {
  Response response = errorResponse(Error::resourceExhausted("rate limit of the " + what + " reached; retry in " +
                                                             std::to_string(decision.retryAfterSeconds) + " s"));
  response.headers.emplace_back("Retry-After", std::to_string(decision.retryAfterSeconds));
  return response;
}

}  // namespace

Handler rateLimited(RateLimiter& limiter, const Authenticator& authenticator, const RateLimits& limits, Clock clock,
                    Handler handler) {
  return [&limiter, &authenticator, limits, clock = std::move(clock),
          handler = std::move(handler)](const Request& request) -> Response {
    std::string client = "ip:" + request.remoteAddress;
    std::string organization;
    if (request.headers.count("authorization")) {
      // An invalid token is rejected by the handler; here it counts against the IP.
      if (auto principal = authenticator.authenticate(request)) {
        organization = principal->organizationId;
        client = "sub:" + principal->organizationId + ":" + principal->subject;
      }
    }
    if (organization.empty()) {
      const auto named = request.headers.find("x-organization-id");
      if (named != request.headers.end()) organization = named->second;
    }
    const int64_t now = clock();
    const RateDecision forClient = limiter.take("client:" + client, limits.perClient, now);
    if (!forClient.allowed) return tooMany(forClient, "client");
    if (!organization.empty()) {
      const RateDecision forOrganization = limiter.take("org:" + organization, limits.perOrganization, now);
      if (!forOrganization.allowed) return tooMany(forOrganization, "organization");
    }
    return handler(request);
  };
}

}  // namespace ordersvc::api
