#include "tax/rate-table/rate_table_config.h"

#include <algorithm>

#include "common/address.h"
#include "common/json_reader.h"

namespace ordersvc::plugins::rate_table {

using common::Need;

namespace {

const TaxRate kExempt{"", "", "exempt", 0, "0", ""};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<int64_t> percentToPpm(std::string_view percent) {
  const std::size_t dot = percent.find('.');
  const std::string_view whole = percent.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : percent.substr(dot + 1);
  if (whole.empty() || whole.size() > 3 || !std::all_of(whole.begin(), whole.end(), isDigit)) return std::nullopt;
  if (whole.size() > 1 && whole[0] == '0') return std::nullopt;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 4)) return std::nullopt;
  if (!std::all_of(fraction.begin(), fraction.end(), isDigit)) return std::nullopt;
  // One percent is 10^4 ppm; each fraction digit is a tenth of the one before.
  int64_t ppm = 0;
  for (char c : whole) ppm = ppm * 10 + (c - '0');
  ppm *= 10000;
  int64_t scale = 1000;
  for (char c : fraction) {
    ppm += (c - '0') * scale;
    scale /= 10;
  }
  return ppm;
}

bool isTaxClass(std::string_view taxClass) {
  if (taxClass.empty() || taxClass.size() > 40 || taxClass[0] < 'a' || taxClass[0] > 'z') return false;
  return std::all_of(taxClass.begin(), taxClass.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || isDigit(c) || c == '_'; });
}

const TaxRate* RateTableConfig::find(std::string_view country, std::string_view region,
                                     std::string_view taxClass) const {
  const std::string wantedRegion = common::upperAscii(region);
  const TaxRate* countryWide = nullptr;
  for (const TaxRate& rate : rates) {
    if (rate.country != country || rate.taxClass != taxClass) continue;
    if (rate.region.empty()) {
      countryWide = &rate;
    } else if (!wantedRegion.empty() && rate.region == wantedRegion) {
      return &rate;
    }
  }
  if (countryWide == nullptr && taxClass == "exempt") return &kExempt;
  return countryWide;
}

std::optional<RateTableConfig> RateTableConfig::parse(std::string_view json, common::Problems& problems) {
  const Poco::JSON::Object::Ptr root = common::parseObject(json, problems);
  if (!root) return std::nullopt;
  const common::JsonObjectReader config(root, "", problems);
  config.rejectUnknown({"prices_include_tax", "shipping_tax_class", "rates"});

  RateTableConfig out;
  if (auto inclusive = config.boolean("prices_include_tax", Need::Required)) out.pricesIncludeTax = *inclusive;
  if (auto shipping = config.string("shipping_tax_class", Need::Optional)) {
    if (!isTaxClass(*shipping)) {
      problems.add(config.pathOf("shipping_tax_class"),
                   "must be 1-40 characters of a-z, 0-9 and _, starting with a letter");
    }
    out.shippingTaxClass = *shipping;
  }
  if (auto rates = config.array("rates", Need::Required, 1)) {
    for (std::size_t i = 0; i < rates->size(); ++i) {
      auto entry = rates->object(i);
      if (!entry) continue;
      entry->rejectUnknown({"country", "region", "tax_class", "rate_percent", "name"});
      const std::size_t before = problems.list().size();
      TaxRate rate;
      if (auto country = entry->string("country", Need::Required)) {
        if (!common::isCountryCode(*country)) {
          problems.add(entry->pathOf("country"), "must be an ISO 3166-1 alpha-2 code in upper case");
        }
        rate.country = *country;
      }
      rate.region = common::upperAscii(entry->string("region", Need::Optional, 1, 100).value_or(""));
      if (auto taxClass = entry->string("tax_class", Need::Required)) {
        if (!isTaxClass(*taxClass)) {
          problems.add(entry->pathOf("tax_class"), "must be 1-40 characters of a-z, 0-9 and _, starting with a letter");
        }
        rate.taxClass = *taxClass;
      }
      if (auto percent = entry->string("rate_percent", Need::Required)) {
        auto ppm = percentToPpm(*percent);
        if (!ppm) {
          problems.add(entry->pathOf("rate_percent"),
                       "must be a percentage as a decimal string with up to 4 decimals, like \"19\" or \"8.875\"");
        } else {
          rate.ppm = *ppm;
          rate.percent = *percent;
        }
      }
      rate.name = entry->string("name", Need::Optional, 0, 50).value_or("");
      if (problems.list().size() != before) continue;
      const bool duplicate = std::any_of(out.rates.begin(), out.rates.end(), [&](const TaxRate& other) {
        return other.country == rate.country && other.region == rate.region && other.taxClass == rate.taxClass;
      });
      if (duplicate) {
        problems.add(entry->path(), "repeats the rate for " + rate.taxClass + " in " + rate.country +
                                        (rate.region.empty() ? "" : " region " + rate.region));
        continue;
      }
      out.rates.push_back(std::move(rate));
    }
  }
  if (!problems.empty()) return std::nullopt;
  return out;
}

}  // namespace ordersvc::plugins::rate_table
