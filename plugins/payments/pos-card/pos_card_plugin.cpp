// Entry point and factory of the pos-card plugin: exports osp_plugin_entry_v1 through the
// SDK and turns a validated configuration into a PosCardInstance. Identity, operations and
// the configuration schema come from plugin.json.in (generated plugin_manifest.h), so the
// manifest and the library always agree.
#include <memory>
#include <string>
#include <string_view>

#include "common/sdk_glue.h"
#include "osp/sdk/plugin.hpp"
#include "payments/pos-card/pos_card_config.h"
#include "payments/pos-card/pos_card_instance.h"
#include "plugin_manifest.h"

namespace ordersvc::plugins::pos_card {

class PosCardPlugin final : public osp::sdk::Plugin {
 public:
  std::string configSchema() const override { return std::string(manifest::kConfigSchema); }

  osp::sdk::Validation validateConfig(std::string_view config) const override {
    common::Problems problems;
    PosCardConfig::parse(config, problems);
    return common::toValidation(problems);
  }

  std::unique_ptr<osp::sdk::Instance> createInstance(const osp::sdk::Call&, std::string_view config) override {
    common::Problems problems;
    std::optional<PosCardConfig> parsed = PosCardConfig::parse(config, problems);
    if (!parsed) throw osp::sdk::ConfigError(problems.summary());
    return std::make_unique<PosCardInstance>(*parsed);
  }

  osp::sdk::Operations operations() const override {
    return osp::sdk::Operations(std::begin(manifest::kOperations), std::end(manifest::kOperations));
  }
};

}  // namespace ordersvc::plugins::pos_card

// No threads, no thread-locals, no callbacks left in the host: safe to unmap.
OSP_SDK_PLUGIN(ordersvc::plugins::pos_card::PosCardPlugin, ordersvc::plugins::pos_card::manifest::kId,
               ordersvc::plugins::pos_card::manifest::kVersion, ordersvc::plugins::pos_card::manifest::kName,
               ordersvc::plugins::pos_card::manifest::kVendor, OSP_FLAG_UNLOAD_SAFE)
