// Money between the plugin ABI (integer minor units per ISO 4217) and PayPal's REST APIs
// ({"currency_code": "USD", "value": "12.34"}: a decimal string).
//
// PayPal accepts only its own list of currencies, and for three of them fewer decimals
// than ISO 4217 gives: HUF and TWD have 2 ISO decimals but PayPal takes whole units only
// (a decimal amount is an error), like JPY. So 1050 HUF minor units (10.50 forint) cannot
// be sent; 1000 (10 forint) is sent as "10".
#pragma once

#include <optional>
#include <string>
#include <variant>

#include <Poco/JSON/Object.h>

#include "common/money.h"

namespace ordersvc::plugins::paypal {

// Why PayPal cannot take an amount: a gateway_error code and message.
struct Unpayable {
  std::string code;  // "currency_not_supported" or "amount_not_representable"
  std::string message;
};

// PayPal's decimal string for `money` ("12.34", "1500" for JPY), or why there is none.
std::variant<std::string, Unpayable> toPaypalValue(const common::Money& money);

// {"currency_code": ..., "value": ...} for a value toPaypalValue produced.
Poco::JSON::Object::Ptr paypalMoneyJson(const std::string& currency, const std::string& value);

// Reads PayPal's money object back into minor units of the ISO currency, or nullopt when
// it is absent, malformed, negative or has more decimals than the currency's minor unit.
std::optional<common::Money> fromPaypalMoney(const Poco::JSON::Object::Ptr& money);

}  // namespace ordersvc::plugins::paypal
