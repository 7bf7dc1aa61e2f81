#include "modules/catalog/catalog_routes.h"

#include <algorithm>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "domain/money.h"
#include "kernel/clock.h"
#include "kernel/json_util.h"
#include "platform/http/json_values.h"
#include "platform/http/request_fields.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using services::Actor;

Object::Ptr productJson(const services::ProductSummary& p) {
  Object::Ptr product = orderedObject();
  product->set("id", p.productId);
  product->set("name", p.name);
  product->set("description", p.description);
  product->set("tax_class", p.taxClass);
  Array::Ptr variants = new Array;
  for (const auto& v : p.variants) {
    Object::Ptr variant = orderedObject();
    variant->set("id", v.variantId);
    variant->set("sku", v.sku);
    variant->set("name", v.name);
    Object::Ptr prices = orderedObject();
    for (const auto& [currency, amount] : v.prices) prices->set(currency, moneyValue(amount, currency));
    variant->set("prices", prices);
    variant->set("weight_grams", v.weightGrams);
    variants->add(variant);
  }
  product->set("variants", variants);
  return product;
}

Response listProducts(services::CatalogPort& catalog, const Actor& actor, const Request& request) {
  auto query = queryOf(request);
  int limit = 50;
  try {
    if (query.count("limit")) limit = std::clamp(std::stoi(query["limit"]), 1, 200);
  } catch (...) {
    return failureResponse(Error::invalidArgument("limit: an integer from 1 to 200"));
  }
  auto products = catalog.listProducts(actor.organizationId, query["after"], limit);
  if (!products) return failureResponse(products.error());
  Array::Ptr list = new Array;
  for (const auto& p : *products) list->add(productJson(p));
  Object::Ptr out = orderedObject();
  out->set("products", list);
  // A full page may have a successor; a short one is the last.
  out->set("next_cursor", products->size() == static_cast<std::size_t>(limit)
                              ? Poco::Dynamic::Var(products->back().productId)
                              : Poco::Dynamic::Var());
  return successResponse(out);
}

// One entry of "variants"; its problems are collected in `vf` (reading `v`).
services::VariantDetails readVariant(const Object::Ptr& v, Fields& vf) {
  services::VariantDetails variant;
  variant.variantId = vf.text("id", true, 100).value_or("");
  variant.sku = vf.text("sku", true, 100).value_or("");
  variant.name = v->optValue<std::string>("name", "");
  variant.weightGrams = static_cast<int>(vf.integer("weight_grams", false, 0, 1000000).value_or(0));
  variant.lengthMm = static_cast<int>(vf.integer("length_mm", false, 0, 100000).value_or(0));
  variant.widthMm = static_cast<int>(vf.integer("width_mm", false, 0, 100000).value_or(0));
  variant.heightMm = static_cast<int>(vf.integer("height_mm", false, 0, 100000).value_or(0));
  variant.active = v->optValue<bool>("active", true);
  const Object::Ptr prices = v->getObject("prices");
  if (!prices || prices->size() == 0) vf.problem("prices", "at least one price, e.g. {\"CLP\": 19990}");
  const auto currencies = prices ? prices->getNames() : std::vector<std::string>();
  for (const std::string& currency : currencies) {
    if (!domain::isCurrencyCode(currency)) {
      vf.problem("prices." + currency, "not an ISO 4217 code");
      continue;
    }
    auto amount = domain::parseMajorUnits(prices->get(currency).convert<std::string>(), currency);
    if (!amount || *amount < 0)
      vf.problem("prices." + currency, amount ? "must not be negative" : amount.error().message);
    else
      variant.prices[currency] = *amount;
  }
  return variant;
}

// The product a PUT body describes; every bad field, of the variants too, goes into `f`.
integrations::ProductUpsert readProductUpsert(const Object::Ptr& body, const std::string& productId, Fields& f) {
  integrations::ProductUpsert upsert;
  upsert.product.productId = productId;
  upsert.product.name = f.text("name", true, 200).value_or("");
  upsert.product.description = body->optValue<std::string>("description", "");
  upsert.product.taxClass = f.text("tax_class", false, 40).value_or("standard");
  upsert.active = body->optValue<bool>("active", true);
  const Array::Ptr variants = body->getArray("variants");
  if (!variants || variants->size() == 0) f.problem("variants", "at least one variant is required");
  for (std::size_t i = 0; variants && i < variants->size(); ++i) {
    const std::string at = "variants[" + std::to_string(i) + "]";
    const Object::Ptr v = variants->getObject(static_cast<unsigned>(i));
    if (!v) {
      f.problem(at, "must be an object");
      continue;
    }
    Fields vf(v);
    upsert.product.variants.push_back(readVariant(v, vf));
    // One entry per variant keeps the 400 readable; its own fields are inside.
    if (!vf.ok()) f.problem(at, "invalid: " + services::toJsonText(vf.failure().body));
  }
  return upsert;
}

Response upsertProduct(integrations::LocalCatalog* local, const Clock& clock, const Actor& actor,
                       const Request& request) {
  if (!local) {
    return failureResponse(
        Error::unprocessable("the catalog is the Catalog service (CATALOG_GRPC_HOST); edit it there"));
  }
  Object::Ptr body = bodyOf(request);
  Fields f(body);
  const auto upsert = readProductUpsert(body, request.params.at("product_id"), f);
  if (!f.ok()) return f.failure();
  if (auto done = local->upsertProduct(actor.organizationId, upsert, clock()); !done) {
    return failureResponse(done.error());
  }
  Object::Ptr out = new Object;
  out->set("id", upsert.product.productId);
  out->set("variants", static_cast<int>(upsert.product.variants.size()));
  return successResponse(out);
}

Response setStock(integrations::LocalInventory* local, const Clock& clock, const Actor& actor, const Request& request) {
  if (!local)
    return failureResponse(Error::unprocessable("stock is kept by the Inventory service (INVENTORY_GRPC_HOST)"));
  Fields f(bodyOf(request));
  auto onHand = f.integer("on_hand", true, 0, 1'000'000'000);
  if (!f.ok()) return f.failure();
  const std::string& variantId = request.params.at("variant_id");
  const std::string& warehouseId = request.params.at("warehouse_id");
  if (auto done = local->setStock(actor.organizationId, variantId, warehouseId, *onHand, clock()); !done) {
    return failureResponse(done.error());
  }
  Object::Ptr out = orderedObject();
  out->set("variant_id", variantId);
  out->set("warehouse_id", warehouseId);
  out->set("on_hand", *onHand);
  return successResponse(out);
}

}  // namespace

std::vector<RouteRow> catalogRoutes(CatalogRouteDependencies deps) {
  return {
      {"GET",
       "/api/v1/products",
       Audience::Shoppers,
       {},
       kRateLimited,
       [&catalog = deps.catalog](const Actor& actor, const Request& request) {
         return listProducts(catalog, actor, request);
       }},
      {"PUT", "/api/v1/admin/products/{product_id}", Audience::Permitted, Permission::ManageCatalog, kRateLimited,
       [local = deps.localCatalog, clock = deps.clock](const Actor& actor, const Request& request) {
         return upsertProduct(local, clock, actor, request);
       }},
      {"PUT", "/api/v1/admin/stock/{variant_id}/{warehouse_id}", Audience::Permitted, Permission::ManageCatalog,
       kRateLimited,
       [local = deps.localInventory, clock = deps.clock](const Actor& actor, const Request& request) {
         return setStock(local, clock, actor, request);
       }},
  };
}

}  // namespace ordersvc::api
