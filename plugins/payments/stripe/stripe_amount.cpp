#include "payments/stripe/stripe_amount.h"

#include <array>
#include <cctype>

namespace ordersvc::plugins::stripe {

namespace {

// Powers of ten Stripe's amount is above (+) or below (-) the host's minor unit.
int scaleOf(std::string_view currency) {
  if (currency == "ISK") return 2;
  if (currency == "MGA") return -2;
  return 0;
}

bool lastDigitMustBeZero(std::string_view currency) {
  constexpr std::array<std::string_view, 5> kThreeDecimal = {"BHD", "JOD", "KWD", "OMR", "TND"};
  for (std::string_view c : kThreeDecimal) {
    if (c == currency) return true;
  }
  return false;
}

}  // namespace

std::optional<int64_t> toStripeAmount(const common::Money& money, std::string* why) {
  const int scale = scaleOf(money.currency);
  int64_t amount = money.value;
  if (scale > 0) {
    if (__builtin_mul_overflow(money.value, int64_t{100}, &amount)) {
      if (why) *why = "amount is too large for Stripe";
      return std::nullopt;
    }
  } else if (scale < 0) {
    if (money.value % 100 != 0) {
      if (why)
        *why = "Stripe charges " + money.currency + " in whole units only: " + std::to_string(money.value) +
               " minor units is not a multiple of 100";
      return std::nullopt;
    }
    amount = money.value / 100;
  }
  if (lastDigitMustBeZero(money.currency) && amount % 10 != 0) {
    if (why) *why = "Stripe takes " + money.currency + " amounts only in multiples of 10 minor units";
    return std::nullopt;
  }
  return amount;
}

std::optional<common::Money> fromStripeAmount(int64_t amount, const std::string& currency) {
  const int scale = scaleOf(currency);
  if (scale > 0) {
    if (amount % 100 != 0) return std::nullopt;
    return common::Money{amount / 100, currency};
  }
  if (scale < 0) {
    int64_t value = 0;
    if (__builtin_mul_overflow(amount, int64_t{100}, &value)) return std::nullopt;
    return common::Money{value, currency};
  }
  return common::Money{amount, currency};
}

std::string stripeCurrency(std::string_view isoCode) {
  std::string out(isoCode);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> isoCurrency(std::string_view stripeCode) {
  std::string out(stripeCode);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!common::isCurrencyCode(out)) return std::nullopt;
  return out;
}

}  // namespace ordersvc::plugins::stripe
