// Amounts as MercadoPago writes them: decimal numbers in the currency's major unit
// (transaction_amount 12.34 for 1234 centavos), never our integer minor units. MercadoPago
// takes no currency in a request: the account's site decides it (BRL in Brazil, CLP in
// Chile), so the caller keeps the currency.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <Poco/Dynamic/Var.h>

#include "common/money.h"

namespace ordersvc::plugins::mercadopago {

// The largest amount in minor units that a JSON number carries exactly: a double holds 15
// significant decimal digits, and MercadoPago parses transaction_amount as one.
inline constexpr int64_t kMaxExactMinorUnits = 999'999'999'999'999;

// The JSON value of `money` in major units: an integer when there is no fraction (CLP, or
// 1200 centavos = 12), otherwise a double whose shortest text is the exact decimal
// (1234 centavos = 12.34). nullopt when negative or above kMaxExactMinorUnits.
std::optional<Poco::Dynamic::Var> toMajorUnits(const common::Money& money);

// Minor units of `currency` from a MercadoPago amount (a JSON number, or a numeric string
// as some answers carry), rounded to the currency's minor unit. nullopt when it is not a
// finite non-negative number within kMaxExactMinorUnits.
std::optional<int64_t> toMinorUnits(const Poco::Dynamic::Var& value, std::string_view currency);

}  // namespace ordersvc::plugins::mercadopago
