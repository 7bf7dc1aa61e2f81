// Entry point and factory of the rate-table tax plugin: exports osp_plugin_entry_v1
// through the SDK and turns a validated rate table into a RateTableInstance. Identity,
// operations and the configuration schema come from plugin.json.in (generated
// plugin_manifest.h), so the manifest and the library always agree.
#include <memory>
#include <string>
#include <string_view>

#include "common/sdk_glue.h"
#include "osp/sdk/plugin.hpp"
#include "plugin_manifest.h"
#include "tax/rate-table/rate_table_config.h"
#include "tax/rate-table/rate_table_instance.h"

namespace ordersvc::plugins::rate_table {

class RateTablePlugin final : public osp::sdk::Plugin {
 public:
  std::string configSchema() const override { return std::string(manifest::kConfigSchema); }

  osp::sdk::Validation validateConfig(std::string_view config) const override {
    common::Problems problems;
    RateTableConfig::parse(config, problems);
    return common::toValidation(problems);
  }

  std::unique_ptr<osp::sdk::Instance> createInstance(const osp::sdk::Call&, std::string_view config) override {
    common::Problems problems;
    std::optional<RateTableConfig> parsed = RateTableConfig::parse(config, problems);
    if (!parsed) throw osp::sdk::ConfigError(problems.summary());
    return std::make_unique<RateTableInstance>(std::move(*parsed));
  }

  osp::sdk::Operations operations() const override {
    return osp::sdk::Operations(std::begin(manifest::kOperations), std::end(manifest::kOperations));
  }
};

}  // namespace ordersvc::plugins::rate_table

// No threads, no thread-locals, no callbacks left in the host: safe to unmap.
OSP_SDK_PLUGIN(ordersvc::plugins::rate_table::RateTablePlugin, ordersvc::plugins::rate_table::manifest::kId,
               ordersvc::plugins::rate_table::manifest::kVersion, ordersvc::plugins::rate_table::manifest::kName,
               ordersvc::plugins::rate_table::manifest::kVendor, OSP_FLAG_UNLOAD_SAFE)
