#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ordersvc::domain {

// A line of a cart: the variant and the price snapshotted from the catalog when it was
// added (checkout compares it with the catalog again and says so when it changed).
struct CartItem {
  std::string id;  // "ci_…"
  std::string variantId;
  std::string sku;
  std::string name;
  std::string taxClass;
  int64_t unitPriceMinor = 0;
  int64_t quantity = 0;
  int weightGrams = 0;
  int64_t createdAtMs = 0;
};

// A shopping cart, a guest's (reached with its token) or a customer's.
struct Cart {
  std::string organizationId;
  std::string id;                         // "cart_…"
  std::optional<std::string> customerId;  // the token subject; empty for a guest cart
  std::string currency;
  std::string status = "active";                   // active, checked_out, merged, expired
  std::optional<std::string> shippingMethod;       // carrier service code, e.g. "standard"
  std::optional<std::string> shippingAddressJson;  // destination for quotes and tax
  std::optional<std::string> couponCode;
  std::optional<std::string> email;
  int64_t version = 1;
  int64_t createdAtMs = 0;
  int64_t updatedAtMs = 0;
  int64_t expiresAtMs = 0;
  std::optional<int64_t> abandonedAtMs;
  std::vector<CartItem> items;

  bool isGuest() const { return !customerId.has_value(); }
};

}  // namespace ordersvc::domain
