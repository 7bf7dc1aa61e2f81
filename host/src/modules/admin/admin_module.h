#pragma once

#include "modules/catalog/catalog_module.h"
#include "platform/modules/module.h"
#include "platform/modules/module_context.h"
#include "platform/plugins/plugin_binding_service.h"
#include "platform/plugins/plugin_instances.h"
#include "platform/plugins/plugin_registry.h"

namespace ordersvc::modules {

// Administration of the platform: organizations, the plugins loaded, and each
// organization's plugin bindings; applies the bootstrap file (organizations and
// bindings, then their products, stock and coupons) at start-up.
class AdminModule final : public platform::Module {
 public:
  AdminModule(platform::ModuleContext& context, CatalogModule& catalog, plugins::PluginRegistry& registry,
              plugins::PluginInstances& instances, plugins::PluginBindingService& bindings)
      : context_(context), catalog_(catalog), registry_(registry), instances_(instances), bindings_(bindings) {}

  std::string_view name() const override { return "admin"; }
  void registerWith(platform::ModuleRegistrar& registrar) override;
  Status start() override;

 private:
  platform::ModuleContext& context_;
  CatalogModule& catalog_;
  plugins::PluginRegistry& registry_;
  plugins::PluginInstances& instances_;
  plugins::PluginBindingService& bindings_;
};

}  // namespace ordersvc::modules
