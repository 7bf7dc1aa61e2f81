#pragma once

#include "kernel/clock.h"

#include <vector>

#include "modules/catalog/catalog_port.h"
#include "modules/catalog/local_catalog.h"
#include "modules/catalog/local_inventory.h"
#include "platform/http/route_table.h"

namespace ordersvc::api {

// The catalog the routes read, and the local tables admins may edit (only while the
// catalog and the stock are the service's own, not the remote Catalog/Inventory services).
struct CatalogRouteDependencies {
  services::CatalogPort& catalog;
  integrations::LocalCatalog* localCatalog;      // null when remote
  integrations::LocalInventory* localInventory;  // null when remote
  Clock clock;                                   // stamps admin edits
};

// GET /api/v1/products for the organization's shoppers, and the product and stock edits
// of managers and admins (422 while the catalog or the stock is remote).
std::vector<RouteRow> catalogRoutes(CatalogRouteDependencies deps);

}  // namespace ordersvc::api
