// Cash rounding: what a customer pays in cash when the smallest coin is larger than the
// currency's minor unit (Chile withdrew the 1 and 5 peso coins in 2017).
#pragma once

#include <cstdint>
#include <optional>

namespace ordersvc::plugins::cash {

struct CashDue {
  int64_t due;         // what the customer pays, a multiple of the smallest coin
  int64_t adjustment;  // due - amount: negative when rounded down
};

// Rounds `amount` (> 0, minor units) to the nearest multiple of `smallestCoin` (>= 1).
// An exact half rounds down, in the customer's favour: Chile's Ley 20.956 rounds totals
// ending in 1-5 down and 6-9 up. A total below half a coin would round to nothing, so it
// is charged one coin. nullopt when the result does not fit in int64.
std::optional<CashDue> roundForCash(int64_t amount, int64_t smallestCoin);

}  // namespace ordersvc::plugins::cash
