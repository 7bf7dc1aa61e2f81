#pragma once

#include <Poco/JSON/Object.h>

#include "domain/order.h"
#include "platform/http/json_values.h"

namespace ordersvc::api {

// The order as the API shows it (items, addresses, payments, refunds, timeline).
Poco::JSON::Object::Ptr orderJson(const domain::Order& order);
// One line of a list of orders.
Poco::JSON::Object::Ptr orderSummaryJson(const domain::Order& order);
// The checkout answer of the description.
Poco::JSON::Object::Ptr checkoutJson(const domain::Order& order);

}  // namespace ordersvc::api
