#pragma once

#include "api/authenticator.h"
#include "api/rate_limited.h"
#include "api/router.h"
#include "services/fraud_service.h"

namespace ordersvc::api {

struct FraudRouteDependencies {
  const Authenticator& authenticator;
  services::FraudService& fraud;
  RateLimiter& limiter;
  RateLimits limits;
};

// The fraud rules of the caller's organization (order.manager or order.admin; customers
// and operators get 403). Rate limited like the commerce routes.
//   GET /api/v1/fraud-rules   {"version": 0, "updated_at": null, "rules": {...}}: the
//                             defaults at version 0 until the first save
//   PUT /api/v1/fraud-rules   {"version": <as read>, "rules": {...}} replaces them:
//                             200 with the stored rules at version + 1, 400 naming each
//                             bad field (error.details.fields), 409 when the version is
//                             not the stored one any more (someone saved meanwhile)
// The rules document is the one of domain/fraud_rules.h; fields left out keep defaults.
void addFraudRoutes(Router& router, FraudRouteDependencies deps);

}  // namespace ordersvc::api
