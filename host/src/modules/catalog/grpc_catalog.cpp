#include "modules/catalog/grpc_catalog.h"

#include <exception>

#include "platform/integrations/grpc_remote.h"
#include "proto/catalog.grpc.pb.h"

namespace ordersvc::integrations {

namespace v1 = ordersvc::catalog::v1;

namespace {

services::VariantDetails toDetails(const v1::Variant& variant, const std::string& productName, bool sellable) {
  services::VariantDetails details;
  details.variantId = variant.variant_id();
  details.productId = variant.product_id();
  details.sku = variant.sku();
  details.name = variant.name().empty() ? productName : productName + " - " + variant.name();
  details.taxClass = variant.tax_class();
  for (const auto& price : variant.prices()) details.prices[price.currency()] = price.amount_minor();
  details.weightGrams = variant.weight_grams();
  details.lengthMm = variant.dimensions().length_mm();
  details.widthMm = variant.dimensions().width_mm();
  details.heightMm = variant.dimensions().height_mm();
  details.active = sellable;
  return details;
}

}  // namespace

struct GrpcCatalog::Impl {
  Impl(std::string host, int port, std::chrono::milliseconds callTimeout)
      : remote("catalog", std::move(host), port, callTimeout), stub(v1::CatalogService::NewStub(remote.channel())) {}

  GrpcRemote remote;
  std::unique_ptr<v1::CatalogService::Stub> stub;
};

GrpcCatalog::GrpcCatalog(std::string host, int port, std::chrono::milliseconds callTimeout)
    : impl_(std::make_unique<Impl>(std::move(host), port, callTimeout)) {}

GrpcCatalog::~GrpcCatalog() = default;

Result<services::VariantDetails> GrpcCatalog::variant(const std::string& organizationId, const std::string& variantId) {
  if (organizationId.empty() || variantId.empty()) {
    return Error::invalidArgument("organization id and variant id are required");
  }
  try {
    v1::ValidateVariantRequest request;
    request.set_organization_id(organizationId);
    request.set_variant_id(variantId);
    v1::ValidateVariantResponse response;
    grpc::ClientContext context;
    impl_->remote.prepare(context);
    const grpc::Status status = impl_->stub->ValidateVariant(&context, request, &response);
    if (!status.ok()) return impl_->remote.toError(status, "variant " + variantId + " not found");
    if (!response.has_variant() || response.variant().variant_id() != variantId) {
      return impl_->remote.badAnswer("ValidateVariant answered for another variant");
    }
    return toDetails(response.variant(), response.product_name(), response.sellable());
  } catch (const std::exception& e) {
    return Error::internal("catalog call failed: " + std::string(e.what()));
  }
}

Result<std::vector<services::ProductSummary>> GrpcCatalog::listProducts(const std::string& organizationId,
                                                                        const std::string& afterProductId, int limit) {
  if (organizationId.empty()) return Error::invalidArgument("organization id is required");
  if (limit < 1) return Error::invalidArgument("limit must be at least 1");
  try {
    v1::ListProductsRequest request;
    request.set_organization_id(organizationId);
    request.set_after_product_id(afterProductId);
    request.set_page_size(limit);
    v1::ListProductsResponse response;
    grpc::ClientContext context;
    impl_->remote.prepare(context);
    const grpc::Status status = impl_->stub->ListProducts(&context, request, &response);
    if (!status.ok()) return impl_->remote.toError(status);
    if (response.products_size() > limit) return impl_->remote.badAnswer("ListProducts returned more than page_size");

    std::vector<services::ProductSummary> products;
    products.reserve(static_cast<std::size_t>(response.products_size()));
    for (const auto& product : response.products()) {
      services::ProductSummary summary;
      summary.productId = product.product_id();
      summary.name = product.name();
      summary.description = product.description();
      summary.taxClass = product.tax_class();
      for (const auto& variant : product.variants()) {
        // Sellable by the contract; re-checked so an inactive variant never reaches a cart.
        if (!variant.active()) continue;
        summary.variants.push_back(toDetails(variant, product.name(), product.active()));
      }
      products.push_back(std::move(summary));
    }
    return products;
  } catch (const std::exception& e) {
    return Error::internal("catalog call failed: " + std::string(e.what()));
  }
}

}  // namespace ordersvc::integrations
