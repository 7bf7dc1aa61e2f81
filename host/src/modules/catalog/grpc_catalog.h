#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "modules/catalog/catalog_port.h"

namespace ordersvc::integrations {

// CatalogPort over the Catalog service's gRPC API (host/proto/catalog.proto,
// ordersvc.catalog.v1.CatalogService): variant() calls ValidateVariant, listProducts()
// calls ListProducts.
//
// Errors, beyond the port's contract: InvalidArgument for an empty organization or
// variant id or a limit below 1 (checked before any call), Internal when the remote
// answers outside its contract. Unavailable messages read "catalog service at host:port
// unavailable: ...".
//
// Thread-safety: safe to call from any thread; all calls share one channel.
// gRPC headers stay in the .cpp (they are costly to compile).
class GrpcCatalog final : public services::CatalogPort {
 public:
  // host:port of the Catalog service (CATALOG_GRPC_HOST, CATALOG_GRPC_PORT) and the
  // deadline of each call (GRPC_CALL_TIMEOUT_MS). Does not connect: the first call does.
  // Throws std::invalid_argument for an empty host, a bad port or a timeout <= 0.
  GrpcCatalog(std::string host, int port, std::chrono::milliseconds callTimeout);
  ~GrpcCatalog() override;
  GrpcCatalog(const GrpcCatalog&) = delete;
  GrpcCatalog& operator=(const GrpcCatalog&) = delete;

  // VariantDetails.name is "<product> - <variant>" (the product name alone when the
  // variant has none); active is false when the variant or its product is inactive.
  Result<services::VariantDetails> variant(const std::string& organizationId, const std::string& variantId) override;

  // Each product carries its active variants only.
  Result<std::vector<services::ProductSummary>> listProducts(const std::string& organizationId,
                                                             const std::string& afterProductId, int limit) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordersvc::integrations
