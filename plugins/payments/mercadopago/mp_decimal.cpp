#include "payments/mercadopago/mp_decimal.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace ordersvc::plugins::mercadopago {

namespace {

int64_t scaleOf(std::string_view currency) {
  int64_t scale = 1;
  for (int i = 0; i < common::currencyDecimals(currency); ++i) scale *= 10;
  return scale;
}

}  // namespace

std::optional<Poco::Dynamic::Var> toMajorUnits(const common::Money& money) {
  if (money.value < 0 || money.value > kMaxExactMinorUnits) return std::nullopt;
  const int64_t scale = scaleOf(money.currency);
  if (money.value % scale == 0) return Poco::Dynamic::Var(static_cast<Poco::Int64>(money.value / scale));
  // Both operands are exact doubles (below 2^53), and the quotient is the double nearest
  // the decimal, whose shortest round-trip text Poco writes: 1234 / 100 -> "12.34".
  return Poco::Dynamic::Var(static_cast<double>(money.value) / static_cast<double>(scale));
}

std::optional<int64_t> toMinorUnits(const Poco::Dynamic::Var& value, std::string_view currency) {
  double number = 0;
  try {
    if (value.isEmpty()) return std::nullopt;
    if (value.isString()) {
      const std::string text = value.extract<std::string>();
      char* end = nullptr;
      number = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
    } else if (value.isNumeric()) {
      number = value.convert<double>();
    } else {
      return std::nullopt;
    }
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
  const double scaled = number * static_cast<double>(scaleOf(currency));
  if (!std::isfinite(scaled) || scaled < 0 || scaled > static_cast<double>(kMaxExactMinorUnits)) return std::nullopt;
  return static_cast<int64_t>(std::llround(scaled));
}

}  // namespace ordersvc::plugins::mercadopago
