#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

namespace ordersvc::api {

// JSON values every module renders the same way. Amounts are shown in major units as
// JSON numbers ("total": 125.5 USD, 19990 CLP) next to their currency, as in the
// service description; they are exact because they come from integer minor units.
Poco::Dynamic::Var moneyValue(int64_t minor, const std::string& currency);
// "2026-12-07T23:27:58.123Z" for milliseconds since the epoch.
std::string rfc3339(int64_t ms);
// The JSON value of text this service stored as JSON; empty (null) when there is none.
Poco::Dynamic::Var parsedJson(const std::optional<std::string>& json);
// An object that keeps its keys in insertion order (the wire shapes are read by people).
inline Poco::JSON::Object::Ptr orderedObject() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

}  // namespace ordersvc::api
