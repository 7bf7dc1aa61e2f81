#include "payments/cash/cash_config.h"

#include "common/json_reader.h"

namespace ordersvc::plugins::cash {

using common::Need;

int64_t CashConfig::smallestCoinFor(std::string_view currency) const {
  const auto it = smallestCoin.find(currency);
  return it == smallestCoin.end() ? 1 : it->second;
}

std::optional<CashConfig> CashConfig::parse(std::string_view json, common::Problems& problems) {
  const Poco::JSON::Object::Ptr root = common::parseObject(json, problems);
  if (!root) return std::nullopt;
  const common::JsonObjectReader config(root, "", problems);
  config.rejectUnknown({"currency_rounding"});

  CashConfig out;
  if (auto rounding = config.object("currency_rounding", Need::Optional)) {
    for (const std::string& currency : rounding->keys()) {
      if (!common::isCurrencyCode(currency)) {
        problems.add(rounding->pathOf(currency), "must be an ISO 4217 code of three upper-case letters");
        continue;
      }
      // A million minor units is far above any coin; beyond it the value is a mistake.
      if (auto coin = rounding->integer(currency, Need::Required, 1, 1000000)) out.smallestCoin[currency] = *coin;
    }
  }
  if (!problems.empty()) return std::nullopt;
  return out;
}

}  // namespace ordersvc::plugins::cash
