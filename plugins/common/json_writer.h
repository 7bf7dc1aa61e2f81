// Building result JSON with Poco::JSON. Objects keep the order members were set in, so
// results read in the order the schemas list their fields.
#pragma once

#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "common/money.h"

namespace ordersvc::plugins::common {

Poco::JSON::Object::Ptr makeObject();
Poco::JSON::Array::Ptr makeArray();

// {"value": <minor units>, "currency": "XXX"}
Poco::JSON::Object::Ptr moneyJson(const Money& money);

// Compact JSON text of the object.
std::string toJson(const Poco::JSON::Object::Ptr& object);

// {"code": ..., "message": ...}: the provider_error shape of plugin-api/schemas/common.json.
Poco::JSON::Object::Ptr providerErrorJson(const std::string& code, const std::string& message);

// RFC 3339 UTC time with seconds, "2026-03-01T12:00:00Z", from Unix milliseconds.
std::string formatUtc(int64_t unixMs);

}  // namespace ordersvc::plugins::common
