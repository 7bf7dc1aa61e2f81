#pragma once

#include <Poco/JSON/Object.h>

#include "domain/order.h"
#include "services/cart_service.h"

namespace ordersvc::api {

// JSON shapes of the commerce API. Amounts are shown in major units as JSON numbers
// ("total": 125.5 USD, 19990 CLP) next to their currency, as in the service
// description; they are exact because they come from integer minor units.
Poco::Dynamic::Var moneyValue(int64_t minor, const std::string& currency);
std::string rfc3339(int64_t ms);

Poco::JSON::Object::Ptr cartJson(const services::CartView& view);
Poco::JSON::Object::Ptr orderJson(const domain::Order& order);
Poco::JSON::Object::Ptr orderSummaryJson(const domain::Order& order);
// The checkout answer of the description.
Poco::JSON::Object::Ptr checkoutJson(const domain::Order& order);

}  // namespace ordersvc::api
