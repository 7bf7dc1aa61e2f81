#include "modules/admin/catalog_seed.h"

#include <fstream>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "domain/coupon.h"
#include "modules/carts/coupon_store.h"
#include "platform/logging/log.h"

namespace ordersvc::modules {

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

Result<Object::Ptr> readSeedFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  try {
    return Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
  } catch (const std::exception& e) {
    return Error::invalidArgument(path + ": not a JSON object");
  }
}

services::VariantDetails variantDetails(const Object::Ptr& variant) {
  services::VariantDetails details;
  details.variantId = variant->getValue<std::string>("id");
  details.sku = variant->getValue<std::string>("sku");
  details.name = variant->optValue<std::string>("name", "");
  details.weightGrams = variant->optValue<int>("weight_grams", 0);
  const Object::Ptr prices = variant->getObject("prices");
  for (const auto& currency : prices->getNames()) details.prices[currency] = prices->getValue<int64_t>(currency);
  return details;
}

integrations::ProductUpsert productUpsert(const Object::Ptr& product) {
  integrations::ProductUpsert upsert;
  upsert.product.productId = product->getValue<std::string>("id");
  upsert.product.name = product->getValue<std::string>("name");
  upsert.product.description = product->optValue<std::string>("description", "");
  upsert.product.taxClass = product->optValue<std::string>("tax_class", "standard");
  const Array::Ptr variants = product->getArray("variants");
  for (std::size_t v = 0; variants && v < variants->size(); ++v) {
    upsert.product.variants.push_back(variantDetails(variants->getObject(static_cast<unsigned>(v))));
  }
  return upsert;
}

Status seedProducts(const Object::Ptr& seed, const std::string& orgId, integrations::LocalCatalog& catalog,
                    int64_t nowMs) {
  const Array::Ptr products = seed->getArray("products");
  for (std::size_t p = 0; products && p < products->size(); ++p) {
    const Object::Ptr product = products->getObject(static_cast<unsigned>(p));
    if (auto done = catalog.upsertProduct(orgId, productUpsert(product), nowMs); !done) return done;
  }
  return Status::ok();
}

Status seedStock(const Object::Ptr& seed, const std::string& orgId, integrations::LocalInventory& inventory,
                 int64_t nowMs) {
  const Array::Ptr stock = seed->getArray("stock");
  for (std::size_t s = 0; stock && s < stock->size(); ++s) {
    const Object::Ptr level = stock->getObject(static_cast<unsigned>(s));
    if (auto done = inventory.setStock(orgId, level->getValue<std::string>("variant_id"),
                                       level->getValue<std::string>("warehouse_id"),
                                       level->getValue<int64_t>("on_hand"), nowMs);
        !done) {
      return done;
    }
  }
  return Status::ok();
}

// Coupons go straight to the store, on a connection taken after the catalog and inventory gave theirs back.
Status seedCoupons(const Object::Ptr& seed, const std::string& orgId, storage::Database& database, int64_t nowMs) {
  auto connection = database.acquire();
  if (!connection) return connection.error();
  const Array::Ptr coupons = seed->getArray("coupons");
  for (std::size_t k = 0; coupons && k < coupons->size(); ++k) {
    const Object::Ptr entry = coupons->getObject(static_cast<unsigned>(k));
    domain::Coupon coupon;
    coupon.code = entry->getValue<std::string>("code");
    coupon.kind =
        domain::parseCouponKind(entry->getValue<std::string>("kind")).value_or(domain::CouponKind::Percentage);
    coupon.percentBasisPoints = entry->optValue<int64_t>("percent_basis_points", 0);
    coupon.amountMinor = entry->optValue<int64_t>("amount_minor", 0);
    coupon.currency = entry->optValue<std::string>("currency", "");
    coupon.minSubtotalMinor = entry->optValue<int64_t>("min_subtotal_minor", 0);
    if (auto valid = domain::normalizeCoupon(coupon); !valid) return valid;
    storage::coupon_store::upsert(*connection, orgId, coupon, nowMs);
  }
  return Status::ok();
}

}  // namespace

Status applyCatalogSeed(const std::string& path, storage::Database& database, integrations::LocalCatalog& catalog,
                        integrations::LocalInventory& inventory, int64_t nowMs) {
  auto root = readSeedFile(path);
  if (!root) return root.error();
  const Array::Ptr organizations = (*root)->getArray("organizations");
  for (std::size_t i = 0; organizations && i < organizations->size(); ++i) {
    const Object::Ptr org = organizations->getObject(static_cast<unsigned>(i));
    const Object::Ptr seed = org ? org->getObject("catalog") : nullptr;
    if (!seed) continue;
    const std::string orgId = org->getValue<std::string>("id");
    // Skipped when the organization has products. The catalog takes its own connection
    // and gives it back: one connection at a time.
    auto seeded = catalog.hasProducts(orgId);
    if (!seeded) return seeded.error();
    if (*seeded) continue;
    try {
      if (auto done = seedProducts(seed, orgId, catalog, nowMs); !done) return done;
      if (auto done = seedStock(seed, orgId, inventory, nowMs); !done) return done;
      if (auto done = seedCoupons(seed, orgId, database, nowMs); !done) return done;
    } catch (const Poco::Exception& e) {
      return Error::invalidArgument(path + ": catalog of " + orgId + ": " + e.displayText());
    }
    logging::info("catalog seeded", {{"organization_id", orgId}});
  }
  return Status::ok();
}

}  // namespace ordersvc::modules
