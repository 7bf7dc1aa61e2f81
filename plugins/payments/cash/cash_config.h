// The configuration of one cash instance (the "config_schema" of plugin.json.in).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/problems.h"

namespace ordersvc::plugins::cash {

struct CashConfig {
  // Currency → smallest coin in minor units ({"CLP": 10}). Immutable after parse().
  std::map<std::string, int64_t, std::less<>> smallestCoin;

  // The smallest coin for `currency`, or 1 (no rounding) when it is not configured.
  int64_t smallestCoinFor(std::string_view currency) const;

  // Reads and checks a configuration; on any problem returns nullopt with every problem
  // added to `problems` at its JSON pointer.
  static std::optional<CashConfig> parse(std::string_view json, common::Problems& problems);
};

}  // namespace ordersvc::plugins::cash
