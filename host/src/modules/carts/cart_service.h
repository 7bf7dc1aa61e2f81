#pragma once

#include <optional>
#include <string>

#include "domain/actor.h"
#include "domain/cart.h"
#include "domain/commerce_settings.h"
#include "modules/carts/cart_pricer.h"
#include "modules/catalog/catalog_port.h"
#include "platform/integrations/cache.h"
#include "platform/storage/database.h"
#include "platform/tenancy/organization_repository.h"

namespace ordersvc::services {

// A cart with its current price, as the API shows it.
struct CartView {
  domain::Cart cart;
  CartQuote quote;
  std::optional<std::string> token;      // only when the guest cart was just created
  std::optional<std::string> tokenHash;  // of the guest cart's token (for access checks on cached copies)
};

// What may change on a cart besides its items.
struct CartDetails {
  std::optional<std::string> shippingMethod;
  std::optional<std::string> shippingAddressJson;  // validated by the API
  std::optional<std::string> email;
};

// Carts: guest carts (reached with their token) and customer carts (reached by their
// owner), items with prices snapshotted from the catalog, coupons, merge on sign-in and
// recovery of abandoned carts. Every change is one transaction that bumps the cart's
// version; a cart nobody may see answers NotFound, exactly like one that does not exist.
// Thread-safety: stateless apart from its dependencies; any thread.
class CartService {
 public:
  CartService(storage::Database& database, CatalogPort& catalog, CartPricer& pricer,
              OrganizationRepository& organizations, const CommerceSettings& settings, Clock clock,
              integrations::Cache& cache)
      : database_(database),
        catalog_(catalog),
        pricer_(pricer),
        organizations_(organizations),
        settings_(settings),
        clock_(std::move(clock)),
        cache_(cache) {}

  // A signed-in customer gets their active cart back when they have one.
  Result<CartView> create(const Actor& actor, const std::optional<std::string>& currency, const CartDetails& details,
                          const std::string& requestId);
  Result<CartView> get(const Actor& actor, const std::string& cartId, const std::string& requestId);
  Result<CartView> update(const Actor& actor, const std::string& cartId, const CartDetails& details,
                          const std::string& requestId);
  Result<CartView> addItem(const Actor& actor, const std::string& cartId, const std::string& variantId,
                           int64_t quantity, const std::string& requestId);
  Result<CartView> setItemQuantity(const Actor& actor, const std::string& cartId, const std::string& itemId,
                                   int64_t quantity, const std::string& requestId);
  Result<CartView> removeItem(const Actor& actor, const std::string& cartId, const std::string& itemId,
                              const std::string& requestId);
  Result<CartView> applyCoupon(const Actor& actor, const std::string& cartId, const std::string& code,
                               const std::string& requestId);
  Result<CartView> removeCoupon(const Actor& actor, const std::string& cartId, const std::string& requestId);

  // The signed-in customer takes over the guest cart `guestCartId` (proved by the
  // actor's cart token): its lines are added to the customer's active cart (quantities
  // summed per variant), or the guest cart becomes theirs when they have none.
  Result<CartView> mergeGuestCart(const Actor& actor, const std::string& guestCartId, const std::string& requestId);

  // Restores an abandoned cart from its recovery token; emits cart.recovered.
  Result<CartView> recover(const std::string& organizationId, const std::string& recoveryToken,
                           const std::string& requestId);

  // Reads and prices a cart inside the caller's transaction, for checkout.
  Result<CartView> view(storage::Connection& connection, const domain::Cart& cart, const std::string& requestId,
                        bool strict);

 private:
  using Mutation = std::function<Status(storage::Connection&, domain::Cart&)>;
  Result<CartView> mutate(const Actor& actor, const std::string& cartId, const std::string& requestId,
                          const Mutation& change);
  Result<CartView> load(const Actor& actor, const std::string& cartId, const std::string& requestId);

  storage::Database& database_;
  CatalogPort& catalog_;
  CartPricer& pricer_;
  OrganizationRepository& organizations_;
  const CommerceSettings& settings_;
  Clock clock_;
  integrations::Cache& cache_;
};

// NotFound unless `actor` may see the cart: its owner, staff of the organization, or a
// guest holding the cart's token.
Status checkCartAccess(const Actor& actor, const domain::Cart& cart, const std::optional<std::string>& tokenHash);

}  // namespace ordersvc::services
