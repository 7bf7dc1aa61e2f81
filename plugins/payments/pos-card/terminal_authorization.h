// What the store's terminal says about a card payment, as the host's sale/authorize request
// carries it:
//   payment_method.token   the authorization code the terminal printed (or the operator
//                          typed): typically 6 letters and digits; 4 to 12 of A-Z and 0-9
//                          are accepted, lower case is upper-cased
//   metadata.terminal_id   which terminal, 1 to 32 of A-Z, a-z, 0-9, '-' and '_'
//   metadata.card_last4    the card's last four digits, exactly 4 digits: never more
#pragma once

#include <optional>
#include <string>

#include "common/payment_requests.h"
#include "common/problems.h"

namespace ordersvc::plugins::pos_card {

struct TerminalAuthorization {
  std::string code;  // upper case
  std::optional<std::string> terminalId;
  std::optional<std::string> cardLast4;
};

// Reads the fields above from `request`, adding a problem at the JSON pointer of each
// missing or malformed one; nullopt when there was any.
std::optional<TerminalAuthorization> readTerminalAuthorization(const common::ChargeRequest& request,
                                                               common::Problems& problems);

}  // namespace ordersvc::plugins::pos_card
