#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kernel/result.h"

namespace ordersvc {

// An amount of one currency: an integer count of the currency's minor unit (CLP has
// none, USD cents, KWD fils) and its ISO 4217 code. Never a floating-point number.
// Arithmetic is checked: mixing currencies, and any result that does not fit in 64
// bits, is an error rather than a wrong amount. Exponents, parsing and formatting of
// major units are domain rules (domain/money.h).
// Thread-safety: a value; copies are independent.
class Money {
 public:
  // Errors: InvalidArgument unless `currency` is three upper-case ASCII letters.
  static Result<Money> of(int64_t minor, std::string_view currency);
  // Zero of `currency` (which must be a valid code: a programming error otherwise).
  static Money zero(std::string_view currency);

  int64_t minor() const { return minor_; }
  const std::string& currency() const { return currency_; }
  bool isZero() const { return minor_ == 0; }
  bool isNegative() const { return minor_ < 0; }

  // Errors: InvalidArgument for another currency; Unprocessable on overflow.
  Result<Money> plus(const Money& other) const;
  Result<Money> minus(const Money& other) const;
  // Errors: Unprocessable on overflow.
  Result<Money> times(int64_t factor) const;

  bool operator==(const Money& other) const = default;

  // "19990 CLP", "-125 USD" (minor units; for logs and messages).
  std::string toString() const;

 private:
  Money(int64_t minor, std::string currency) : minor_(minor), currency_(std::move(currency)) {}
  Status sameCurrency(const Money& other) const;

  int64_t minor_ = 0;
  std::string currency_;
};

}  // namespace ordersvc
