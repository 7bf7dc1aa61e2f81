#include "kernel/money.h"

#include <cassert>

namespace ordersvc {

namespace {

bool isCurrencyCodeShape(std::string_view code) {
  if (code.size() != 3) return false;
  for (const char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

Error overflow(const std::string& what) {
  return Error::unprocessable("amount out of range: " + what + " does not fit in a 64-bit count of minor units");
}

}  // namespace

Result<Money> Money::of(int64_t minor, std::string_view currency) {
  if (!isCurrencyCodeShape(currency)) {
    return Error::invalidArgument("currency: an ISO 4217 code such as CLP, not '" + std::string(currency) + "'");
  }
  return Money(minor, std::string(currency));
}

Money Money::zero(std::string_view currency) {
  assert(isCurrencyCodeShape(currency));
  return Money(0, std::string(currency));
}

Status Money::sameCurrency(const Money& other) const {
  if (other.currency_ == currency_) return Status::ok();
  return Error::invalidArgument("cannot combine " + currency_ + " with " + other.currency_);
}

Result<Money> Money::plus(const Money& other) const {
  if (auto same = sameCurrency(other); !same) return same.error();
  int64_t sum = 0;
  if (__builtin_add_overflow(minor_, other.minor_, &sum)) return overflow(toString() + " + " + other.toString());
  return Money(sum, currency_);
}

Result<Money> Money::minus(const Money& other) const {
  if (auto same = sameCurrency(other); !same) return same.error();
  int64_t difference = 0;
  if (__builtin_sub_overflow(minor_, other.minor_, &difference)) {
    return overflow(toString() + " - " + other.toString());
  }
  return Money(difference, currency_);
}

Result<Money> Money::times(int64_t factor) const {
  int64_t product = 0;
  if (__builtin_mul_overflow(minor_, factor, &product)) return overflow(toString() + " x " + std::to_string(factor));
  return Money(product, currency_);
}

std::string Money::toString() const {
  return std::to_string(minor_) + " " + currency_;
}

}  // namespace ordersvc
