#pragma once

#include <vector>

#include "modules/fraud/fraud_service.h"
#include "platform/http/route_table.h"

namespace ordersvc::api {

// The fraud rules of the caller's organization (order.manager or order.admin; customers
// and operators get 403). Rate limited like the commerce routes.
//   GET /api/v1/fraud-rules   {"version": 0, "updated_at": null, "rules": {...}}: the
//                             defaults at version 0 until the first save
//   PUT /api/v1/fraud-rules   {"version": <as read>, "rules": {...}} replaces them:
//                             200 with the stored rules at version + 1, 400 naming each
//                             bad field (error.details.fields), 409 when the version is
//                             not the stored one any more (someone saved meanwhile)
// The rules document is the one of domain/fraud_rules.h; fields left out keep defaults.
// The rows keep `fraud` by reference: it must outlive the table they go into.
std::vector<RouteRow> fraudRoutes(services::FraudService& fraud);

}  // namespace ordersvc::api
