#pragma once

#include <vector>

#include "modules/payments/payment_service.h"
#include "platform/http/route_table.h"

namespace ordersvc::api {

// Payments, refunds, fraud review and provider webhooks under /api/v1:
//   POST /orders/{order_id}/payments                         pay (customer, or staff for them)
//   POST /orders/{order_id}/payments/{payment_id}/confirm    the customer is back from the provider
//   POST /orders/{order_id}/payments/{payment_id}/capture    capture an authorization (operator)
//   POST /orders/{order_id}/payments/{payment_id}/approve    release a payment held by fraud rules (operator)
//   POST /orders/{order_id}/payments/{payment_id}/reject     refuse it (operator)
//   POST /orders/{order_id}/refunds                          refund by amount or items (manager)
//   POST /webhooks/{org_id}/{instance_id}                    provider webhooks (signed, no token)
// The rows keep `payments` by reference: it must outlive the table they go into.
std::vector<RouteRow> paymentRoutes(services::PaymentService& payments);

}  // namespace ordersvc::api
