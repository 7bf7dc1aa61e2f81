// Amounts between the host's minor units (ISO 4217 exponents, host/src/domain/money.cpp)
// and the integer "amount" of Stripe's API, which is in Stripe's idea of the currency's
// smallest unit. The two agree for every currency but two:
//
//  - ISK: ISO 4217 has no minor unit, the host counts whole krónur. Stripe kept ISK a
//    two-decimal currency for backwards compatibility (amount 100 = 1 króna) and since
//    April 2023 refuses amounts not divisible by 100. So Stripe amount = host value x 100.
//  - MGA: ISO 4217 gives two decimals, Stripe treats the ariary as zero-decimal. So
//    Stripe amount = host value / 100, and a host value not divisible by 100 cannot be
//    charged at all.
//
// HUF and TWD: zero-decimal at Stripe for payouts only; charges take two decimals, as ISO
// and the host count them. UGX: zero-decimal in ISO, in the host and at Stripe. The
// three-decimal currencies (BHD, JOD, KWD, OMR, TND) have the same scale at Stripe, which
// however wants the last digit 0: such an amount is refused here before anything is sent.
// Every other currency passes through unchanged; Stripe itself refuses those it does not
// support.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/money.h"

namespace ordersvc::plugins::stripe {

// The Stripe "amount" for a host money value, or nullopt with `why` set when Stripe
// cannot take it (not representable, or would overflow).
std::optional<int64_t> toStripeAmount(const common::Money& money, std::string* why);

// The host money value of a Stripe "amount" in `currency` (upper-case ISO code), or
// nullopt when it does not convert exactly (an ISK amount not divisible by 100).
std::optional<common::Money> fromStripeAmount(int64_t amount, const std::string& currency);

// Stripe writes currencies in lower case; the host in upper case.
std::string stripeCurrency(std::string_view isoCode);
// The upper-case ISO code of a Stripe currency, or nullopt if it is not three letters.
std::optional<std::string> isoCurrency(std::string_view stripeCode);

}  // namespace ordersvc::plugins::stripe
