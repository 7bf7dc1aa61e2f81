#pragma once

#include "modules/catalog/catalog_port.h"
#include "platform/storage/database.h"

namespace ordersvc::integrations {

// What an admin sends to create or replace a product with its variants.
struct ProductUpsert {
  services::ProductSummary product;  // variants carry their prices; `active` per variant
  bool active = true;
};

// The catalog in the service's own tables (the embedded default).
class LocalCatalog final : public services::CatalogPort {
 public:
  explicit LocalCatalog(storage::Database& database) : database_(database) {}

  Result<services::VariantDetails> variant(const std::string& organizationId, const std::string& variantId) override;
  Result<std::vector<services::ProductSummary>> listProducts(const std::string& organizationId,
                                                             const std::string& afterProductId, int limit) override;

  // Whether the organization has any product, active or not (the bootstrap seed fills
  // only an organization that has none).
  Result<bool> hasProducts(const std::string& organizationId);

  // Creates or replaces a product and its variants and prices, in one transaction.
  // Errors: Conflict when a SKU belongs to another variant of the organization.
  Status upsertProduct(const std::string& organizationId, const ProductUpsert& upsert, int64_t nowMs);

 private:
  storage::Database& database_;
};

}  // namespace ordersvc::integrations
