#pragma once

#include <string>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace ordersvc::services {

// Compact JSON text of a Poco JSON value.
std::string toJsonText(const Poco::Dynamic::Var& value);
// Parses text known to hold a JSON object (written by this service); throws otherwise.
Poco::JSON::Object::Ptr parseJsonObject(const std::string& text);
// Parses text known to hold a JSON array (written by this service); throws otherwise.
Poco::JSON::Array::Ptr parseJsonArray(const std::string& text);

}  // namespace ordersvc::services
