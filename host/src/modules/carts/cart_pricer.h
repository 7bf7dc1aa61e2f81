#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/cart.h"
#include "domain/cart_pricing.h"
#include "domain/commerce_settings.h"
#include "platform/plugins/plugin_gateway.h"
#include "platform/storage/database.h"

namespace ordersvc::services {

// A cart's money with the explanations a shopper needs.
struct CartQuote {
  domain::Totals totals;
  std::vector<int64_t> lineTax;  // per cart item, same order
  bool shippingFree = false;
  std::optional<std::string> shippingInstance;  // carrier instance that quoted
  std::optional<std::string> shippingServiceName;
  std::optional<std::string> shippingNotice;  // why shipping is not priced yet / not possible
  std::optional<std::string> couponNotice;    // why the coupon gives nothing now
  bool couponFreeShipping = false;
};

// Prices a cart: subtotal from the snapshotted line prices, the coupon, shipping from
// the organization's carrier plugin (the chosen service's quote; free from the coupon
// or FREE_SHIPPING_THRESHOLD), tax from its tax plugin over the discounted lines and
// shipping. Inclusive or exclusive prices are what the tax plugin says.
//
// `strict` is checkout: anything that makes the price incomplete (no shipping method
// or address, a destination the carrier does not serve, a coupon that no longer
// applies) is an error (Unprocessable) instead of a notice.
class CartPricer {
 public:
  CartPricer(PluginGateway& plugins, const CommerceSettings& settings) : plugins_(plugins), settings_(settings) {}

  // `organizationCountry` stands in for the destination when the cart has no address yet.
  Result<CartQuote> price(storage::Connection& connection, const domain::Cart& cart,
                          const std::string& organizationCountry, const std::string& requestId, int64_t nowMs,
                          bool strict) const;

 private:
  PluginGateway& plugins_;
  const CommerceSettings& settings_;
};

}  // namespace ordersvc::services
