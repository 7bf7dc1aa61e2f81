// Keeps card numbers out of the service. The terminal handles the card; what reaches the
// host is an authorization code and at most the last four digits. An operator who types
// the card number into a field instead (the token, a note, the customer's name) would put
// it into the database, the logs and the events, which PCI DSS forbids for a system that
// has no need to store it. So a request carrying anything shaped like a card number is
// refused before anything is recorded.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

namespace ordersvc::plugins::pos_card {

// True when `text` holds 13 or more digits in a row, single spaces or dashes between
// digit groups included ("4111 1111 1111 1111", "4111-1111-1111-1111"): a card number
// has 13 to 19 digits (ISO/IEC 7812), and one with more digits next to it (an expiry
// date typed after it) is still one.
bool looksLikeCardNumber(std::string_view text);

// The JSON pointer of the first string value or member name in `request` that looks like a
// card number, searching nested objects and arrays, and skipping the top-level members
// named in `skip` (the host's own ids, the plugin's provider_data); nullopt when none.
std::optional<std::string> findCardNumber(const Poco::JSON::Object::Ptr& request,
                                          std::initializer_list<std::string_view> skip);

}  // namespace ordersvc::plugins::pos_card
