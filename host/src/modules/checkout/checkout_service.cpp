#include "modules/checkout/checkout_service.h"

#include <ctime>

#include "domain/money.h"
#include "kernel/ids.h"
#include "kernel/json_util.h"
#include "modules/carts/cart_store.h"
#include "modules/carts/coupon_store.h"
#include "modules/orders/order_events.h"
#include "modules/orders/order_store.h"
#include "platform/integrations/cache_keys.h"
#include "platform/storage/outbox_store.h"
#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"
#include "platform/storage/unit_of_work.h"

namespace ordersvc::services {

namespace {

Error unprocessable(const std::string& message) {
  return Error::unprocessable(message);
}

int yearOf(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return utc.tm_year + 1900;
}

// Who the order is for: the signed-in customer, or the customer a staff member names
// (phone and in-store orders). Also refuses a b2b order without its details.
Result<std::optional<std::string>> orderCustomer(const Actor& actor, const CheckoutRequest& request) {
  std::optional<std::string> customerId;
  if (actor.staff) {
    customerId = request.customerId;
    if (request.type == domain::OrderType::Phone && !customerId) {
      return Error::invalidArgument("customer_id: a phone order is placed for a customer");
    }
  } else {
    if (request.type != domain::OrderType::Online && request.type != domain::OrderType::B2b &&
        request.type != domain::OrderType::Subscription) {
      return Error::permissionDenied("only staff place " + std::string(domain::orderTypeName(request.type)) +
                                     " orders");
    }
    if (!actor.isGuest()) customerId = actor.subject;
  }
  if (request.type == domain::OrderType::B2b && !request.b2bDetailsJson) {
    return Error::invalidArgument("b2b: purchase_order_number and buyer_tax_id are required for a b2b order");
  }
  return customerId;
}

// Reads the cart on a connection of its own that is given back on return, so the catalog
// comparison that follows holds no connection.
Result<storage::CartRecord> readCartSnapshot(storage::Database& database, const Actor& actor,
                                             const std::string& cartId) {
  auto connection = database.acquire();
  if (!connection) return connection.error();
  try {
    auto snapshot = storage::cart_store::find(*connection, actor.organizationId, cartId, false);
    if (!snapshot) return Error::notFound("cart " + cartId + " not found");
    if (auto access = checkCartAccess(actor, snapshot->cart, snapshot->tokenHash); !access) return access.error();
    if (snapshot->cart.status == "checked_out") {
      const auto orderId = storage::order_store::findIdByCart(*connection, actor.organizationId, cartId);
      return Error::conflict("cart " + cartId + " was already checked out" +
                             (orderId ? " as order " + *orderId : std::string()));
    }
    return *snapshot;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

// Every line must still be for sale at the price it was added with; all changed prices
// are named in one error.
Status checkCatalogPrices(CatalogPort& catalog, const std::string& organizationId, const domain::Cart& cart) {
  std::string changed;
  for (const auto& item : cart.items) {
    auto variant = catalog.variant(organizationId, item.variantId);
    if (!variant) {
      if (variant.error().code == ErrorCode::NotFound) return unprocessable(item.sku + " is no longer in the catalog");
      return variant.error();
    }
    if (!variant->active) return unprocessable(item.sku + " is no longer for sale");
    const auto price = variant->prices.find(cart.currency);
    if (price == variant->prices.end()) return unprocessable(item.sku + " has no price in " + cart.currency);
    if (price->second != item.unitPriceMinor) {
      changed += (changed.empty() ? "" : "; ") + item.sku + " from " +
                 domain::formatMajorUnits(item.unitPriceMinor, cart.currency) + " to " +
                 domain::formatMajorUnits(price->second, cart.currency);
    }
  }
  if (!changed.empty()) {
    return unprocessable("prices changed since these items were added (" + changed +
                         "); update the cart lines to accept the new prices");
  }
  return Status::ok();
}

// Another checkout (or an edit) got here first: the second request loses cleanly.
Status checkCartUnchanged(storage::Connection& c, const Actor& actor, const std::string& cartId,
                          const domain::Cart& locked, int64_t snapshotVersion) {
  if (locked.status != "active" || locked.version != snapshotVersion) {
    const auto orderId = storage::order_store::findIdByCart(c, actor.organizationId, cartId);
    return Error::conflict("cart " + cartId + " changed or was checked out meanwhile" +
                           (orderId ? " (order " + *orderId + ")" : std::string()));
  }
  return Status::ok();
}

// An address given inline wins; a saved one must belong to the order's customer.
Result<std::optional<std::string>> resolveAddress(storage::Connection& c, AddressBook& addresses,
                                                  const std::string& organizationId, const std::string& addressOwner,
                                                  const std::optional<std::string>& id,
                                                  const std::optional<std::string>& inlineJson) {
  if (inlineJson) return std::optional<std::string>(*inlineJson);
  if (!id) return std::optional<std::string>();
  if (addressOwner.empty()) return Error::notFound("address " + *id + " not found");
  // Read in this checkout's transaction, through a unit joined to it.
  auto stored = addresses.savedAddress(*storage::SqlUnitOfWork::joining(c), organizationId, addressOwner, *id);
  if (!stored) return Error::notFound("address " + *id + " not found");
  return std::optional<std::string>(*stored);
}

// Applies the request's shipping address, shipping method and customer to the locked
// cart; returns the billing address (none: same as shipping).
Result<std::optional<std::string>> applyCheckoutDetails(storage::Connection& c, AddressBook& addresses,
                                                        const Actor& actor, const CheckoutRequest& request,
                                                        const std::optional<std::string>& customerId,
                                                        domain::Cart& cart) {
  const std::string addressOwner = customerId.value_or(cart.customerId.value_or(""));
  auto shipping = resolveAddress(c, addresses, actor.organizationId, addressOwner, request.shippingAddressId,
                                 request.shippingAddressJson);
  if (!shipping) return shipping.error();
  auto billing = resolveAddress(c, addresses, actor.organizationId, addressOwner, request.billingAddressId,
                                request.billingAddressJson);
  if (!billing) return billing.error();
  if (*shipping) cart.shippingAddressJson = **shipping;
  if (request.shippingMethod) cart.shippingMethod = request.shippingMethod;
  if (!cart.shippingAddressJson) return Error::invalidArgument("shipping_address_id or shipping_address is required");
  if (customerId && !cart.customerId) cart.customerId = customerId;
  return billing;
}

Status checkMinimumOrder(const CommerceSettings& settings, const domain::Totals& totals, const std::string& currency) {
  auto minimum = domain::parseMajorUnits(settings.minOrderAmount, currency);
  if (minimum && totals.total < *minimum) {
    return unprocessable("the order total " + domain::formatMajorUnits(totals.total, currency) + " " + currency +
                         " is below the minimum of " + settings.minOrderAmount + " " + currency);
  }
  return Status::ok();
}

// The order's header from the strictly priced cart; takes the next order number.
domain::Order draftOrder(storage::Connection& c, const Actor& actor, const CheckoutRequest& request,
                         const domain::Cart& cart, const CartQuote& quote,
                         const std::optional<std::string>& billingAddressJson, int64_t now) {
  const domain::Totals& totals = quote.totals;
  domain::Order order;
  order.organizationId = actor.organizationId;
  order.id = newId("ord");
  order.orderNumber = storage::order_store::nextOrderNumber(c, actor.organizationId, yearOf(now));
  order.cartId = cart.id;
  order.customerId = cart.customerId;
  order.placedBy = actor.label();
  order.type = request.type;
  order.status = domain::OrderStatus::Cart;
  order.currency = cart.currency;
  order.subtotalMinor = totals.subtotal;
  order.discountMinor = totals.discount;
  order.shippingMinor = totals.shipping;
  order.taxMinor = totals.tax;
  order.totalMinor = totals.total;
  order.pricesIncludeTax = totals.pricesIncludeTax;
  order.shippingMethod = *cart.shippingMethod;
  order.shippingAddressJson = *cart.shippingAddressJson;
  order.billingAddressJson = billingAddressJson.value_or(*cart.shippingAddressJson);
  order.couponCode = totals.discount > 0 || quote.couponFreeShipping ? cart.couponCode : std::nullopt;
  order.paymentMethod = request.paymentMethod;
  order.email = cart.email;
  order.b2bDetailsJson = request.b2bDetailsJson;
  order.createdAtMs = order.updatedAtMs = now;
  return order;
}

// Copies the cart's lines into the order with their share of discount and tax; returns
// the stock to reserve for them.
std::vector<StockLine> addOrderLines(domain::Order& order, const domain::Cart& cart, const CartQuote& quote) {
  const domain::Totals& totals = quote.totals;
  std::vector<StockLine> stock;
  for (std::size_t i = 0; i < cart.items.size(); ++i) {
    const auto& item = cart.items[i];
    domain::OrderItem line;
    line.lineNo = static_cast<int>(i + 1);
    line.variantId = item.variantId;
    line.sku = item.sku;
    line.name = item.name;
    line.taxClass = item.taxClass;
    line.quantity = item.quantity;
    line.unitPriceMinor = item.unitPriceMinor;
    line.discountMinor = totals.lineDiscounts[i];
    line.taxMinor = quote.lineTax[i];
    line.totalMinor =
        item.unitPriceMinor * item.quantity - line.discountMinor + (totals.pricesIncludeTax ? 0 : line.taxMinor);
    order.items.push_back(line);
    order.itemsCount += item.quantity;
    stock.push_back({item.variantId, item.sku, item.quantity});
  }
  return stock;
}

// The order's writes inside the checkout transaction: the order, the coupon redemption,
// the Place action (timeline, event) and the cart closed. An error leaves the caller to
// release a remote reservation.
Status recordOrder(storage::Connection& c, const Actor& actor, domain::Order& order, const domain::Cart& lockedCart,
                   int64_t now) {
  storage::order_store::insert(c, order);
  if (order.couponCode &&
      !storage::coupon_store::redeem(c, actor.organizationId, *order.couponCode, order.id, order.customerId, now)) {
    return unprocessable("coupon " + *order.couponCode + " has been used up");
  }
  if (auto placed = applyOrderAction(c, order, domain::OrderAction::Place, actor.label(), "", now); !placed) {
    return placed.error();
  }
  domain::Cart closed = lockedCart;
  closed.status = "checked_out";
  closed.version += 1;
  closed.updatedAtMs = now;
  if (!storage::cart_store::updateHeader(c, closed, lockedCart.version)) {
    return Error::conflict("cart " + lockedCart.id + " changed meanwhile");
  }
  return Status::ok();
}

}  // namespace

Result<domain::Order> CheckoutService::checkout(const Actor& actor, const CheckoutRequest& request) {
  auto customerId = orderCustomer(actor, request);
  if (!customerId) return customerId.error();

  // 1. Read the cart, then compare its prices with the catalog holding no connection
  //    (the catalog may be remote, and the local one takes its own connection).
  auto snapshot = readCartSnapshot(database_, actor, request.cartId);
  if (!snapshot) return snapshot.error();
  if (snapshot->cart.status != "active") {
    return Error::conflict("cart " + request.cartId + " is " + snapshot->cart.status);
  }
  if (snapshot->cart.items.empty()) return unprocessable("cart " + request.cartId + " is empty");
  if (auto prices = checkCatalogPrices(catalog_, actor.organizationId, snapshot->cart); !prices) return prices.error();

  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    // 2. One transaction: lock the cart, price it strictly, reserve, write the order.
    const int64_t now = clock_();
    storage::Transaction tx(c);
    auto record = storage::cart_store::find(c, actor.organizationId, request.cartId, true);
    if (!record) return Error::notFound("cart " + request.cartId + " not found");
    domain::Cart cart = record->cart;
    if (auto unchanged = checkCartUnchanged(c, actor, request.cartId, cart, snapshot->cart.version); !unchanged) {
      return unchanged.error();
    }
    auto billing = applyCheckoutDetails(c, addresses_, actor, request, *customerId, cart);
    if (!billing) return billing.error();

    auto priced = carts_.view(c, cart, request.requestId, true);
    if (!priced) return priced.error();
    if (auto minimum = checkMinimumOrder(settings_, priced->quote.totals, cart.currency); !minimum) {
      return minimum.error();
    }

    domain::Order order = draftOrder(c, actor, request, cart, priced->quote, *billing, now);
    const std::vector<StockLine> stock = addOrderLines(order, cart, priced->quote);

    auto reservation =
        inventory_.reserve(c, actor.organizationId, order.id, stock, settings_.reservationTtlMinutes * 60, now);
    if (!reservation) return reservation.error();
    order.reservationId = reservation->reservationId;
    order.reservationExpiresAtMs = reservation->expiresAtMs;

    auto releaseRemote = [&] {
      if (!inventory_.transactional()) {
        (void)inventory_.release(c, actor.organizationId, reservation->reservationId, now);
      }
    };
    if (auto recorded = recordOrder(c, actor, order, record->cart, now); !recorded) {
      releaseRemote();
      return recorded.error();
    }
    try {
      tx.commit();
    } catch (...) {
      releaseRemote();
      throw;
    }
    cache_.erase(cartCacheKey(actor.organizationId, cart.id));
    return order;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "cart " + request.cartId + " was already checked out");
  }
}

}  // namespace ordersvc::services
