#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "platform/http/http_types.h"

namespace ordersvc::api {

// PCI DSS scope: card numbers and security codes never reach this service; browsers
// and terminals hand them to the gateway, which gives us a token. A request body that
// carries something shaped like a card number (13 to 19 digits, alone or grouped by
// spaces or dashes, passing the Luhn check) or a field named like card data (cvv, cvc,
// card_number, pan, ...) is refused before anything reads, stores or logs it.
//
// Returns why the body is refused, without repeating the digits; nullopt when clean.
std::optional<std::string> findCardData(std::string_view body);

// Wraps a handler: a body with card data gets 400 CARD_DATA_REFUSED-style invalid
// argument and the handler never runs.
Handler refusingCardData(Handler handler);

}  // namespace ordersvc::api
