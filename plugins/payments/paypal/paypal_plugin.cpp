// Entry point and factory of the PayPal plugin: exports osp_plugin_entry_v1 through the
// SDK and turns a validated configuration into a PaypalInstance. Identity, operations and
// the configuration schema come from plugin.json.in (generated plugin_manifest.h).
#include <memory>
#include <string>
#include <string_view>

#include "common/sdk_glue.h"
#include "osp/sdk/plugin.hpp"
#include "payments/paypal/paypal_config.h"
#include "payments/paypal/paypal_instance.h"
#include "plugin_manifest.h"

namespace ordersvc::plugins::paypal {

class PaypalPlugin final : public osp::sdk::Plugin {
 public:
  std::string configSchema() const override { return std::string(manifest::kConfigSchema); }

  osp::sdk::Validation validateConfig(std::string_view config) const override {
    common::Problems problems;
    PaypalConfig::parse(config, problems);
    return common::toValidation(problems);
  }

  std::unique_ptr<osp::sdk::Instance> createInstance(const osp::sdk::Call&, std::string_view config) override {
    common::Problems problems;
    std::optional<PaypalConfig> parsed = PaypalConfig::parse(config, problems);
    if (!parsed) throw osp::sdk::ConfigError(problems.summary());
    return std::make_unique<PaypalInstance>(std::move(*parsed));
  }

  osp::sdk::Operations operations() const override {
    return osp::sdk::Operations(std::begin(manifest::kOperations), std::end(manifest::kOperations));
  }
};

}  // namespace ordersvc::plugins::paypal

// No threads, no thread-locals, no callbacks left in the host: safe to unmap.
OSP_SDK_PLUGIN(ordersvc::plugins::paypal::PaypalPlugin, ordersvc::plugins::paypal::manifest::kId,
               ordersvc::plugins::paypal::manifest::kVersion, ordersvc::plugins::paypal::manifest::kName,
               ordersvc::plugins::paypal::manifest::kVendor, OSP_FLAG_UNLOAD_SAFE)
