#pragma once

#include <memory>

#include "modules/catalog/catalog_port.h"
#include "modules/catalog/grpc_catalog.h"
#include "modules/catalog/grpc_inventory.h"
#include "modules/catalog/inventory_port.h"
#include "modules/catalog/local_catalog.h"
#include "modules/catalog/local_inventory.h"
#include "platform/modules/module.h"
#include "platform/modules/module_context.h"

namespace ordersvc::modules {

// Products and stock: the local tables (embedded default, seeded from the bootstrap
// file by the admin module) or the Catalog and Inventory services over gRPC when CATALOG_GRPC_HOST /
// INVENTORY_GRPC_HOST are set. Other modules reach them through catalog() and
// inventory().
class CatalogModule final : public platform::Module {
 public:
  explicit CatalogModule(platform::ModuleContext& context);

  std::string_view name() const override { return "catalog"; }
  void registerWith(platform::ModuleRegistrar& registrar) override;

  // The local tables (for the bootstrap seed); filled even when reads go to gRPC.
  integrations::LocalCatalog& localCatalog() { return local_; }
  integrations::LocalInventory& localInventory() { return localInventory_; }

  services::CatalogPort& catalog() {
    return grpcCatalog_ ? *grpcCatalog_ : static_cast<services::CatalogPort&>(local_);
  }
  services::InventoryPort& inventory() {
    return grpcInventory_ ? *grpcInventory_ : static_cast<services::InventoryPort&>(localInventory_);
  }

 private:
  Clock clock_;
  integrations::LocalCatalog local_;
  integrations::LocalInventory localInventory_;
  std::unique_ptr<integrations::GrpcCatalog> grpcCatalog_;
  std::unique_ptr<integrations::GrpcInventory> grpcInventory_;
};

}  // namespace ordersvc::modules
