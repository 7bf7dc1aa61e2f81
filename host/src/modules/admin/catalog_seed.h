#pragma once

#include <string>

#include "modules/catalog/local_catalog.h"
#include "modules/catalog/local_inventory.h"
#include "platform/storage/database.h"

namespace ordersvc::modules {

// Seeds the local catalog of organizations from the bootstrap file's "catalog" entries:
//
//   {"organizations": [{"id": "demo", ..., "catalog": {
//       "products": [{"id": "p_tee", "name": "T-shirt", "tax_class": "standard",
//                     "variants": [{"id": "v_tee_m", "sku": "TEE-M", "name": "M",
//                                   "weight_grams": 200, "prices": {"CLP": 9990}}]}],
//       "stock": [{"variant_id": "v_tee_m", "warehouse_id": "main", "on_hand": 100}],
//       "coupons": [{"code": "WELCOME10", "kind": "percentage", "percent_basis_points": 1000}]}}]}
//
// Prices are minor units. An organization that already has products is left alone, so
// the seed fills a fresh database once and never overwrites what admins changed.
Status applyCatalogSeed(const std::string& path, storage::Database& database, integrations::LocalCatalog& catalog,
                        integrations::LocalInventory& inventory, int64_t nowMs);

}  // namespace ordersvc::modules
