// The configuration of one pos-card instance (the "config_schema" of plugin.json.in).
#pragma once

#include <optional>
#include <string_view>

#include "common/problems.h"

namespace ordersvc::plugins::pos_card {

struct PosCardConfig {
  bool requireTerminalId = false;

  // Reads and checks a configuration; on any problem returns nullopt with every problem
  // added to `problems` at its JSON pointer.
  static std::optional<PosCardConfig> parse(std::string_view json, common::Problems& problems);
};

}  // namespace ordersvc::plugins::pos_card
