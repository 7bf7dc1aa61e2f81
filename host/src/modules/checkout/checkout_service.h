#pragma once

#include <optional>
#include <string>

#include "domain/actor.h"
#include "domain/order.h"
#include "modules/carts/address_book.h"
#include "modules/carts/cart_service.h"
#include "modules/catalog/inventory_port.h"

namespace ordersvc::services {

struct CheckoutRequest {
  std::string cartId;
  std::optional<std::string> shippingAddressId;    // a saved address of the customer
  std::optional<std::string> shippingAddressJson;  // or inline (validated by the API)
  std::optional<std::string> billingAddressId;
  std::optional<std::string> billingAddressJson;  // neither: same as shipping
  std::optional<std::string> shippingMethod;      // overrides the cart's
  std::optional<std::string> paymentMethod;
  domain::OrderType type = domain::OrderType::Online;
  std::optional<std::string> customerId;      // phone/pos orders placed by staff for a customer
  std::optional<std::string> b2bDetailsJson;  // purchase order number, buyer tax id, net terms
  std::string requestId;
};

// Turns a cart into a pending order: validates the cart (not empty, prices still the
// catalog's, minimum amount, per-order maxima, the carrier serves the destination),
// prices it strictly, reserves stock for ORDER_RESERVATION_TTL_MINUTES, and writes the
// order, its items, the reservation, the coupon redemption, the timeline entry and the
// order.created event in one transaction. The cart's row lock plus the unique
// (organization, cart) key make two concurrent checkouts of one cart yield one order.
class CheckoutService {
 public:
  CheckoutService(storage::Database& database, CartService& carts, AddressBook& addresses, CatalogPort& catalog,
                  InventoryPort& inventory, const CommerceSettings& settings, Clock clock, integrations::Cache& cache)
      : database_(database),
        carts_(carts),
        addresses_(addresses),
        catalog_(catalog),
        inventory_(inventory),
        settings_(settings),
        clock_(std::move(clock)),
        cache_(cache) {}

  Result<domain::Order> checkout(const Actor& actor, const CheckoutRequest& request);

 private:
  storage::Database& database_;
  CartService& carts_;
  AddressBook& addresses_;  // the customer's saved addresses (the carts module's)
  CatalogPort& catalog_;
  InventoryPort& inventory_;
  const CommerceSettings& settings_;
  Clock clock_;
  integrations::Cache& cache_;
};

}  // namespace ordersvc::services
