#include "modules/admin/admin_module.h"

#include "modules/admin/bootstrap.h"
#include "modules/admin/catalog_seed.h"
#include "modules/admin/organization_routes.h"
#include "modules/admin/plugin_routes.h"

namespace ordersvc::modules {

void AdminModule::registerWith(platform::ModuleRegistrar& registrar) {
  registrar.addRoutes(api::pluginRoutes(registry_, instances_));
  registrar.addRoutes(api::organizationRoutes(context_.organizations, bindings_, instances_));
}

Status AdminModule::start() {
  if (context_.bootstrapFile.empty()) return Status::ok();
  if (auto applied = applyBootstrapFile(context_.bootstrapFile, context_.organizations, bindings_); !applied) {
    return applied;
  }
  return applyCatalogSeed(context_.bootstrapFile, context_.database, catalog_.localCatalog(), catalog_.localInventory(),
                          context_.clock());
}

}  // namespace ordersvc::modules
