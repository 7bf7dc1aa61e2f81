#include "modules/catalog/local_catalog.h"

#include <map>

#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"
#include "platform/storage/unit_of_work.h"

namespace ordersvc::integrations {

using storage::intAt;
using storage::SqlQuery;
using storage::textAt;

namespace {

constexpr const char* kVariantColumns =
    "SELECT v.id, v.product_id, v.sku, p.name, v.name, p.tax_class, v.weight_grams, v.length_mm, v.width_mm, "
    "v.height_mm, v.active * p.active, p.description FROM variants v JOIN products p ON p.organization_id = "
    "v.organization_id AND p.id = v.product_id ";

services::VariantDetails readVariant(const Poco::Data::RecordSet& r, std::size_t i) {
  services::VariantDetails v;
  v.variantId = textAt(r, 0, i);
  v.productId = textAt(r, 1, i);
  v.sku = textAt(r, 2, i);
  const std::string productName = textAt(r, 3, i);
  const std::string variantName = textAt(r, 4, i);
  v.name = variantName.empty() || variantName == productName ? productName : productName + " - " + variantName;
  v.taxClass = textAt(r, 5, i);
  v.weightGrams = static_cast<int>(intAt(r, 6, i));
  v.lengthMm = static_cast<int>(intAt(r, 7, i));
  v.widthMm = static_cast<int>(intAt(r, 8, i));
  v.heightMm = static_cast<int>(intAt(r, 9, i));
  v.active = intAt(r, 10, i) != 0;
  return v;
}

void loadPrices(storage::Connection& c, const std::string& org,
                std::map<std::string, services::VariantDetails*>& byId) {
  if (byId.empty()) return;
  std::string placeholders;
  for (std::size_t i = 0; i < byId.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
  SqlQuery query(c,
                 "SELECT variant_id, currency, amount_minor FROM variant_prices WHERE organization_id = ? AND "
                 "variant_id IN (" +
                     placeholders + ")");
  query.arg(org);
  for (const auto& [id, v] : byId) query.arg(id);
  auto rows = query.rows();
  for (std::size_t i = 0; i < rows.rowCount(); ++i) {
    byId[textAt(rows, 0, i)]->prices[textAt(rows, 1, i)] = intAt(rows, 2, i);
  }
}

}  // namespace

Result<services::VariantDetails> LocalCatalog::variant(const std::string& org, const std::string& variantId) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    auto rows = SqlQuery(*connection, std::string(kVariantColumns) + "WHERE v.organization_id = ? AND v.id = ?")
                    .arg(org)
                    .arg(variantId)
                    .rows();
    if (rows.rowCount() == 0) return Error::notFound("variant " + variantId + " does not exist");
    services::VariantDetails v = readVariant(rows, 0);
    std::map<std::string, services::VariantDetails*> byId{{v.variantId, &v}};
    loadPrices(*connection, org, byId);
    return v;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<bool> LocalCatalog::hasProducts(const std::string& org) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    auto rows =
        SqlQuery(*connection, "SELECT COUNT(*) AS products FROM products WHERE organization_id = ?").arg(org).rows();
    return storage::Row(rows, 0).integer("products") > 0;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<std::vector<services::ProductSummary>> LocalCatalog::listProducts(const std::string& org,
                                                                         const std::string& afterProductId, int limit) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    auto products =
        SqlQuery(*connection,
                 "SELECT p.id, p.name, p.description, p.tax_class FROM products p WHERE p.organization_id = ? "
                 "AND p.active = 1 AND p.id > ? AND EXISTS (SELECT 1 FROM variants v WHERE "
                 "v.organization_id = p.organization_id AND v.product_id = p.id AND v.active = 1) "
                 "ORDER BY p.id LIMIT ?")
            .arg(org)
            .arg(afterProductId)
            .arg(static_cast<int64_t>(limit))
            .rows();
    std::vector<services::ProductSummary> out;
    for (std::size_t i = 0; i < products.rowCount(); ++i) {
      services::ProductSummary p{
          textAt(products, 0, i), textAt(products, 1, i), textAt(products, 2, i), textAt(products, 3, i), {}};
      auto variants =
          SqlQuery(*connection, std::string(kVariantColumns) +
                                    "WHERE v.organization_id = ? AND v.product_id = ? AND v.active = 1 ORDER BY v.sku")
              .arg(org)
              .arg(p.productId)
              .rows();
      for (std::size_t k = 0; k < variants.rowCount(); ++k) p.variants.push_back(readVariant(variants, k));
      std::map<std::string, services::VariantDetails*> byId;
      for (auto& v : p.variants) byId[v.variantId] = &v;
      loadPrices(*connection, org, byId);
      out.push_back(std::move(p));
    }
    return out;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

namespace {

// The product row, updated in place or inserted, in the caller's transaction.
void writeProduct(storage::Connection& c, const std::string& org, const ProductUpsert& upsert, int64_t nowMs) {
  const auto& p = upsert.product;
  if (SqlQuery(c,
               "UPDATE products SET name = ?, description = ?, tax_class = ?, active = ?, updated_at_ms = ? "
               "WHERE organization_id = ? AND id = ?")
          .arg(p.name)
          .arg(p.description)
          .arg(p.taxClass)
          .arg(upsert.active)
          .arg(nowMs)
          .arg(org)
          .arg(p.productId)
          .exec() > 0) {
    return;
  }
  SqlQuery(c,
           "INSERT INTO products (organization_id, id, name, description, tax_class, active, created_at_ms, "
           "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .arg(org)
      .arg(p.productId)
      .arg(p.name)
      .arg(p.description)
      .arg(p.taxClass)
      .arg(upsert.active)
      .arg(nowMs)
      .arg(nowMs)
      .exec();
}

// One variant row of `productId` (updated in place or inserted) and its prices, which
// replace the ones it had. Errors: Conflict when the variant belongs to another product.
Status writeVariant(storage::Connection& c, const std::string& org, const std::string& productId,
                    const services::VariantDetails& v, int64_t nowMs) {
  auto owner = SqlQuery(c, "SELECT product_id FROM variants WHERE organization_id = ? AND id = ?")
                   .arg(org)
                   .arg(v.variantId)
                   .rows();
  if (owner.rowCount() > 0 && textAt(owner, 0, 0) != productId) {
    return Error::conflict("variant " + v.variantId + " belongs to product " + textAt(owner, 0, 0));
  }
  if (SqlQuery(c,
               "UPDATE variants SET sku = ?, name = ?, weight_grams = ?, length_mm = ?, width_mm = ?, height_mm = ?, "
               "active = ?, updated_at_ms = ? WHERE organization_id = ? AND id = ?")
          .arg(v.sku)
          .arg(v.name)
          .arg(static_cast<int64_t>(v.weightGrams))
          .arg(static_cast<int64_t>(v.lengthMm))
          .arg(static_cast<int64_t>(v.widthMm))
          .arg(static_cast<int64_t>(v.heightMm))
          .arg(v.active)
          .arg(nowMs)
          .arg(org)
          .arg(v.variantId)
          .exec() == 0) {
    SqlQuery(c,
             "INSERT INTO variants (organization_id, id, product_id, sku, name, weight_grams, length_mm, width_mm, "
             "height_mm, active, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .arg(org)
        .arg(v.variantId)
        .arg(productId)
        .arg(v.sku)
        .arg(v.name)
        .arg(static_cast<int64_t>(v.weightGrams))
        .arg(static_cast<int64_t>(v.lengthMm))
        .arg(static_cast<int64_t>(v.widthMm))
        .arg(static_cast<int64_t>(v.heightMm))
        .arg(v.active)
        .arg(nowMs)
        .arg(nowMs)
        .exec();
  }
  SqlQuery(c, "DELETE FROM variant_prices WHERE organization_id = ? AND variant_id = ?")
      .arg(org)
      .arg(v.variantId)
      .exec();
  for (const auto& [currency, amount] : v.prices) {
    SqlQuery(c, "INSERT INTO variant_prices (organization_id, variant_id, currency, amount_minor) VALUES (?, ?, ?, ?)")
        .arg(org)
        .arg(v.variantId)
        .arg(currency)
        .arg(amount)
        .exec();
  }
  return Status::ok();
}

}  // namespace

Status LocalCatalog::upsertProduct(const std::string& org, const ProductUpsert& upsert, int64_t nowMs) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    storage::Transaction tx(c);
    writeProduct(c, org, upsert, nowMs);
    for (const auto& variant : upsert.product.variants) {
      if (auto written = writeVariant(c, org, upsert.product.productId, variant, nowMs); !written) return written;
    }
    tx.commit();
    return Status::ok();
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "a SKU of this product is used by another variant");
  }
}

}  // namespace ordersvc::integrations
