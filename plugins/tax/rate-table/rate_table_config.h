// The configuration of one rate-table instance (the "config_schema" of plugin.json.in):
// tax rates by country, optional region and product tax class.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/problems.h"

namespace ordersvc::plugins::rate_table {

// Rates are parts per million of the taxed amount: 19% is 190000. Integer, so the
// arithmetic in tax_math.h is exact.
inline constexpr int64_t kPpmPerUnit = 1000000;

struct TaxRate {
  std::string country;
  std::string region;  // upper case; "" for the whole country
  std::string taxClass;
  int64_t ppm = 0;
  std::string percent;  // as configured, e.g. "8.875"
  std::string name;     // "" when not configured
};

struct RateTableConfig {
  bool pricesIncludeTax = false;
  std::string shippingTaxClass = "standard";
  std::vector<TaxRate> rates;

  // The rate for `taxClass` in `country` and `region` (any case): the regional rate if
  // one is configured, else the country-wide one; for "exempt" without either, a
  // built-in 0%. nullptr when there is none.
  const TaxRate* find(std::string_view country, std::string_view region, std::string_view taxClass) const;

  // Reads and checks a configuration, including what a schema cannot say (the same
  // country, region and class twice). nullopt with every problem at its JSON pointer.
  static std::optional<RateTableConfig> parse(std::string_view json, common::Problems& problems);
};

// "19" → 190000, "8.875" → 88750; nullopt unless the text matches
// ^(0|[1-9][0-9]{0,2})(\.[0-9]{1,4})?$.
std::optional<int64_t> percentToPpm(std::string_view percent);

bool isTaxClass(std::string_view taxClass);

}  // namespace ordersvc::plugins::rate_table
