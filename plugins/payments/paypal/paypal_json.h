// Reading PayPal's JSON answers, which the plugin trusts for nothing: every accessor
// tolerates an absent member or one of the wrong type, and an unreadable answer is a null
// pointer, never an exception.
#pragma once

#include <cstddef>
#include <string>

#include <Poco/JSON/Object.h>

namespace ordersvc::plugins::paypal {

// The answer as a JSON object, or null when it is not one (garbage, an HTML error page).
Poco::JSON::Object::Ptr parseAnswer(const std::string& text);

// A string member, or "" when absent or not a string.
std::string stringOf(const Poco::JSON::Object::Ptr& object, const std::string& key);

// An object member, or null when absent or not an object.
Poco::JSON::Object::Ptr objectOf(const Poco::JSON::Object::Ptr& object, const std::string& key);

// PayPal ids (orders, captures, authorizations, refunds) are letters, digits, '-' and '_'
// (at most 64); anything else would change the URL path it is put in.
bool isPaypalId(const std::string& id);

// At most `limit` bytes, cut before a UTF-8 continuation byte so the text stays valid.
std::string cutUtf8(const std::string& text, std::size_t limit);

}  // namespace ordersvc::plugins::paypal
