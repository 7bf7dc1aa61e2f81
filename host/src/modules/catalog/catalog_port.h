#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/result.h"

namespace ordersvc::services {

// What the order service needs to know about a sellable variant. Prices are integer
// minor units per ISO 4217 currency ("CLP" -> 19990 pesos, "USD" -> 1999 cents).
struct VariantDetails {
  std::string variantId;
  std::string productId;
  std::string sku;
  std::string name;                       // "<product> - <variant>" as shown on a cart line
  std::string taxClass;                   // "standard", "reduced", "exempt", ...
  std::map<std::string, int64_t> prices;  // currency -> minor units
  int weightGrams = 0;
  int lengthMm = 0;
  int widthMm = 0;
  int heightMm = 0;
  bool active = true;  // product and variant both active
};

struct ProductSummary {
  std::string productId;
  std::string name;
  std::string description;
  std::string taxClass;
  std::vector<VariantDetails> variants;
};

// The catalog as the order service sees it. Two adapters: the service's own tables
// (local, the embedded default) and the Catalog service over gRPC.
//
// Errors: NotFound for an unknown variant (in this organization), Unavailable when the
// catalog cannot be reached (the API answers 503), DeadlineExceeded on a time-out.
// Thread-safety: implementations are safe to call from any thread.
class CatalogPort {
 public:
  virtual ~CatalogPort() = default;

  virtual Result<VariantDetails> variant(const std::string& organizationId, const std::string& variantId) = 0;

  // Sellable products (active, with at least one active variant), ordered by product id,
  // after `afterProductId`, at most `limit`.
  virtual Result<std::vector<ProductSummary>> listProducts(const std::string& organizationId,
                                                           const std::string& afterProductId, int limit) = 0;
};

}  // namespace ordersvc::services
