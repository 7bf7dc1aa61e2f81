#pragma once

#include "api/authenticator.h"
#include "api/rate_limited.h"
#include "api/router.h"
#include "services/payment_service.h"
#include "storage/database.h"

namespace ordersvc::api {

struct PaymentDependencies {
  storage::Database& database;
  const Authenticator& authenticator;
  services::PaymentService& payments;
  RateLimiter& limiter;
  RateLimits limits;
};

// Payments, refunds, fraud review and provider webhooks under /api/v1:
//   POST /orders/{order_id}/payments                         pay (customer, or staff for them)
//   POST /orders/{order_id}/payments/{payment_id}/confirm    the customer is back from the provider
//   POST /orders/{order_id}/payments/{payment_id}/capture    capture an authorization (operator)
//   POST /orders/{order_id}/payments/{payment_id}/approve    release a payment held by fraud rules (operator)
//   POST /orders/{order_id}/payments/{payment_id}/reject     refuse it (operator)
//   POST /orders/{order_id}/refunds                          refund by amount or items (manager)
//   POST /webhooks/{org_id}/{instance_id}                    provider webhooks (signed, no token)
void addPaymentRoutes(Router& router, PaymentDependencies deps);

}  // namespace ordersvc::api
