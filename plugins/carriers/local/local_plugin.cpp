// Entry point and factory of the local carrier plugin: exports osp_plugin_entry_v1 through
// the SDK and turns a validated rate card into a LocalCarrierInstance. Identity,
// operations and the configuration schema come from plugin.json.in (generated
// plugin_manifest.h), so the manifest and the library always agree.
#include <memory>
#include <string>
#include <string_view>

#include "carriers/local/local_config.h"
#include "carriers/local/local_instance.h"
#include "common/sdk_glue.h"
#include "osp/sdk/plugin.hpp"
#include "plugin_manifest.h"

namespace ordersvc::plugins::local_carrier {

class LocalCarrierPlugin final : public osp::sdk::Plugin {
 public:
  std::string configSchema() const override { return std::string(manifest::kConfigSchema); }

  osp::sdk::Validation validateConfig(std::string_view config) const override {
    common::Problems problems;
    LocalCarrierConfig::parse(config, problems);
    return common::toValidation(problems);
  }

  std::unique_ptr<osp::sdk::Instance> createInstance(const osp::sdk::Call&, std::string_view config) override {
    common::Problems problems;
    std::optional<LocalCarrierConfig> parsed = LocalCarrierConfig::parse(config, problems);
    if (!parsed) throw osp::sdk::ConfigError(problems.summary());
    return std::make_unique<LocalCarrierInstance>(std::move(*parsed));
  }

  osp::sdk::Operations operations() const override {
    return osp::sdk::Operations(std::begin(manifest::kOperations), std::end(manifest::kOperations));
  }
};

}  // namespace ordersvc::plugins::local_carrier

// No threads, no thread-locals, no callbacks left in the host: safe to unmap.
OSP_SDK_PLUGIN(ordersvc::plugins::local_carrier::LocalCarrierPlugin, ordersvc::plugins::local_carrier::manifest::kId,
               ordersvc::plugins::local_carrier::manifest::kVersion, ordersvc::plugins::local_carrier::manifest::kName,
               ordersvc::plugins::local_carrier::manifest::kVendor, OSP_FLAG_UNLOAD_SAFE)
