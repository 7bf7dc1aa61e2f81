#include "tax/rate-table/tax_math.h"

#include <limits>

#include "tax/rate-table/rate_table_config.h"

namespace ordersvc::plugins::rate_table {

namespace {

using Wide = __int128;  // GCC and Clang on every platform we build for

// numerator / denominator, both >= 0, as a decimal cut (not rounded) after 6 digits,
// without trailing zeros: 8925/2 → "4462.5".
std::string decimalString(Wide numerator, Wide denominator) {
  Wide whole = numerator / denominator;
  Wide remainder = numerator % denominator;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(whole % 10)));
    whole /= 10;
  } while (whole > 0);
  std::string fraction;
  for (int i = 0; i < 6 && remainder != 0; ++i) {
    remainder *= 10;
    fraction += static_cast<char>('0' + static_cast<int>(remainder / denominator));
    remainder %= denominator;
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fraction.empty() ? digits : digits + "." + fraction;
}

// floor(n / d + 1/2) for n >= 0, d > 0: round half up.
Wide roundHalfUp(Wide numerator, Wide denominator) {
  return (2 * numerator + denominator) / (2 * denominator);
}

bool fitsInt64(Wide value) {
  return value >= std::numeric_limits<int64_t>::min() && value <= std::numeric_limits<int64_t>::max();
}

}  // namespace

std::optional<LineTax> computeLineTax(int64_t amount, int64_t ratePpm, bool pricesIncludeTax) {
  if (amount < 0 || ratePpm < 0) return std::nullopt;
  // The exact tax is numerator / denominator minor units:
  //   exclusive: amount × ppm / 10^6
  //   inclusive: amount × ppm / (10^6 + ppm)   (= amount × r / (1 + r) with r = ppm / 10^6)
  const Wide numerator = static_cast<Wide>(amount) * ratePpm;
  const Wide denominator = pricesIncludeTax ? kPpmPerUnit + static_cast<Wide>(ratePpm) : Wide{kPpmPerUnit};
  const Wide tax = roundHalfUp(numerator, denominator);
  const Wide net = pricesIncludeTax ? amount - tax : Wide{amount};
  const Wide gross = pricesIncludeTax ? Wide{amount} : amount + tax;
  if (!fitsInt64(tax) || !fitsInt64(net) || !fitsInt64(gross)) return std::nullopt;
  return LineTax{static_cast<int64_t>(net), static_cast<int64_t>(tax), static_cast<int64_t>(gross),
                 decimalString(numerator, denominator)};
}

}  // namespace ordersvc::plugins::rate_table
