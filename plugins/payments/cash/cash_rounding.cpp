#include "payments/cash/cash_rounding.h"

namespace ordersvc::plugins::cash {

std::optional<CashDue> roundForCash(int64_t amount, int64_t smallestCoin) {
  if (amount <= 0 || smallestCoin < 1) return std::nullopt;
  const int64_t remainder = amount % smallestCoin;
  int64_t due = amount - remainder;
  // "remainder > coin - remainder" is "remainder * 2 > coin" without the overflow; an
  // exact half is not greater, so it stays rounded down.
  if (remainder > smallestCoin - remainder) {
    if (__builtin_add_overflow(due, smallestCoin, &due)) return std::nullopt;
  }
  if (due == 0) due = smallestCoin;
  return CashDue{due, due - amount};
}

}  // namespace ordersvc::plugins::cash
