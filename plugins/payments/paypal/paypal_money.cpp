#include "payments/paypal/paypal_money.h"

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

#include "common/json_writer.h"

namespace ordersvc::plugins::paypal {

namespace {

struct PaypalCurrency {
  std::string_view code;
  int decimals;  // what PayPal accepts, which for HUF and TWD is fewer than ISO 4217's
};

// PayPal's REST currency codes (developer.paypal.com, "Currency codes"). CLP, for one,
// is not among them.
constexpr std::array<PaypalCurrency, 24> kCurrencies = {{
    {"AUD", 2}, {"BRL", 2}, {"CAD", 2}, {"CNY", 2}, {"CZK", 2}, {"DKK", 2}, {"EUR", 2}, {"HKD", 2},
    {"HUF", 0}, {"ILS", 2}, {"JPY", 0}, {"MYR", 2}, {"MXN", 2}, {"TWD", 0}, {"NZD", 2}, {"NOK", 2},
    {"PHP", 2}, {"PLN", 2}, {"GBP", 2}, {"SGD", 2}, {"SEK", 2}, {"CHF", 2}, {"THB", 2}, {"USD", 2},
}};

std::optional<int> paypalDecimals(std::string_view currency) {
  for (const auto& c : kCurrencies) {
    if (c.code == currency) return c.decimals;
  }
  return std::nullopt;
}

uint64_t powerOfTen(int exponent) {
  uint64_t out = 1;
  for (int i = 0; i < exponent; ++i) out *= 10;
  return out;
}

}  // namespace

std::variant<std::string, Unpayable> toPaypalValue(const common::Money& money) {
  const std::optional<int> decimals = paypalDecimals(money.currency);
  if (!decimals) {
    return Unpayable{"currency_not_supported", "PayPal does not accept payments in " + money.currency};
  }
  if (money.value <= 0) return Unpayable{"amount_not_representable", "PayPal takes positive amounts only"};
  const int isoDecimals = common::currencyDecimals(money.currency);
  const uint64_t minor = static_cast<uint64_t>(money.value);
  // ISO minor units per PayPal unit of its last decimal: 100 for HUF (whole forint only).
  const uint64_t step = powerOfTen(isoDecimals - *decimals);
  if (minor % step != 0) {
    return Unpayable{"amount_not_representable", "PayPal takes " + money.currency + " in whole units only; " +
                                                     common::formatMoney(money) + " has a fraction"};
  }
  const uint64_t units = minor / step;  // in PayPal's smallest unit
  const uint64_t scale = powerOfTen(*decimals);
  std::string out = std::to_string(units / scale);
  if (*decimals > 0) {
    const std::string fraction = std::to_string(units % scale);
    out += '.';
    out += std::string(static_cast<std::size_t>(*decimals) - fraction.size(), '0');
    out += fraction;
  }
  return out;
}

Poco::JSON::Object::Ptr paypalMoneyJson(const std::string& currency, const std::string& value) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("currency_code", currency);
  out->set("value", value);
  return out;
}

std::optional<common::Money> fromPaypalMoney(const Poco::JSON::Object::Ptr& money) {
  if (!money) return std::nullopt;
  const Poco::Dynamic::Var currency = money->get("currency_code");
  const Poco::Dynamic::Var value = money->get("value");
  if (!currency.isString() || !value.isString()) return std::nullopt;
  const std::string code = currency.toString();
  const std::string text = value.toString();
  if (!common::isCurrencyCode(code) || text.empty()) return std::nullopt;

  const int decimals = common::currencyDecimals(code);
  uint64_t units = 0;
  int fractionDigits = -1;  // -1 until the point is seen
  for (char c : text) {
    if (c == '.') {
      if (fractionDigits >= 0) return std::nullopt;
      fractionDigits = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (fractionDigits >= 0 && ++fractionDigits > decimals) {
      // PayPal writes "10.00" for a zero-decimal currency at times: extra zeros are fine.
      if (c != '0') return std::nullopt;
      continue;
    }
    if (units > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - 9) / 10) return std::nullopt;
    units = units * 10 + static_cast<uint64_t>(c - '0');
  }
  const int written = fractionDigits < 0 ? 0 : std::min(fractionDigits, decimals);
  const uint64_t scale = powerOfTen(decimals - written);
  if (units > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / scale) return std::nullopt;
  return common::Money{static_cast<int64_t>(units * scale), code};
}

}  // namespace ordersvc::plugins::paypal
