// Entry point and factory of the MercadoPago plugin: exports osp_plugin_entry_v1 through
// the SDK and turns a validated configuration into a MercadoPagoInstance. Identity,
// operations and the configuration schema come from plugin.json.in (generated
// plugin_manifest.h), so the manifest and the library always agree.
#include <memory>
#include <string>
#include <string_view>

#include "common/sdk_glue.h"
#include "osp/sdk/plugin.hpp"
#include "payments/mercadopago/mercadopago_config.h"
#include "payments/mercadopago/mercadopago_instance.h"
#include "plugin_manifest.h"

namespace ordersvc::plugins::mercadopago {

class MercadoPagoPlugin final : public osp::sdk::Plugin {
 public:
  std::string configSchema() const override { return std::string(manifest::kConfigSchema); }

  osp::sdk::Validation validateConfig(std::string_view config) const override {
    common::Problems problems;
    MercadoPagoConfig::parse(config, problems);
    return common::toValidation(problems);
  }

  std::unique_ptr<osp::sdk::Instance> createInstance(const osp::sdk::Call&, std::string_view config) override {
    common::Problems problems;
    std::optional<MercadoPagoConfig> parsed = MercadoPagoConfig::parse(config, problems);
    if (!parsed) throw osp::sdk::ConfigError(problems.summary());
    return std::make_unique<MercadoPagoInstance>(std::move(*parsed));
  }

  osp::sdk::Operations operations() const override {
    return osp::sdk::Operations(std::begin(manifest::kOperations), std::end(manifest::kOperations));
  }
};

}  // namespace ordersvc::plugins::mercadopago

// No threads, no thread-locals, no callbacks left in the host: safe to unmap.
OSP_SDK_PLUGIN(ordersvc::plugins::mercadopago::MercadoPagoPlugin, ordersvc::plugins::mercadopago::manifest::kId,
               ordersvc::plugins::mercadopago::manifest::kVersion, ordersvc::plugins::mercadopago::manifest::kName,
               ordersvc::plugins::mercadopago::manifest::kVendor, OSP_FLAG_UNLOAD_SAFE)
