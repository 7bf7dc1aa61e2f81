#include "modules/catalog/catalog_module.h"

#include "modules/catalog/catalog_routes.h"
#include "platform/logging/log.h"

namespace ordersvc::modules {

CatalogModule::CatalogModule(platform::ModuleContext& context)
    : clock_(context.clock), local_(context.database), localInventory_(context.database) {
  const auto& settings = context.settings;
  const auto timeout = std::chrono::milliseconds(settings.getInt("GRPC_CALL_TIMEOUT_MS"));
  if (!settings.get("CATALOG_GRPC_HOST").empty()) {
    grpcCatalog_ = std::make_unique<integrations::GrpcCatalog>(
        settings.get("CATALOG_GRPC_HOST"), static_cast<int>(settings.getInt("CATALOG_GRPC_PORT")), timeout);
  }
  if (!settings.get("INVENTORY_GRPC_HOST").empty()) {
    grpcInventory_ = std::make_unique<integrations::GrpcInventory>(
        settings.get("INVENTORY_GRPC_HOST"), static_cast<int>(settings.getInt("INVENTORY_GRPC_PORT")), timeout);
  }
  logging::info("catalog and inventory",
                {{"catalog", grpcCatalog_ ? "grpc" : "local"}, {"inventory", grpcInventory_ ? "grpc" : "local"}});
}

void CatalogModule::registerWith(platform::ModuleRegistrar& registrar) {
  // The admin routes edit the local tables only; a remote catalog is edited at its source.
  registrar.addRoutes(api::catalogRoutes(api::CatalogRouteDependencies{
      catalog(), grpcCatalog_ ? nullptr : &local_, grpcInventory_ ? nullptr : &localInventory_, clock_}));
}

}  // namespace ordersvc::modules
