#include "payments/pos-card/pos_card_config.h"

#include "common/json_reader.h"

namespace ordersvc::plugins::pos_card {

std::optional<PosCardConfig> PosCardConfig::parse(std::string_view json, common::Problems& problems) {
  const Poco::JSON::Object::Ptr root = common::parseObject(json, problems);
  if (!root) return std::nullopt;
  const common::JsonObjectReader config(root, "", problems);
  config.rejectUnknown({"require_terminal_id"});
  PosCardConfig out;
  out.requireTerminalId = config.boolean("require_terminal_id", common::Need::Optional).value_or(false);
  if (!problems.empty()) return std::nullopt;
  return out;
}

}  // namespace ordersvc::plugins::pos_card
