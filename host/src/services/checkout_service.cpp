#include "services/checkout_service.h"

#include <ctime>

#include "common/ids.h"
#include "domain/money.h"
#include "services/cache_keys.h"
#include "services/json_util.h"
#include "services/order_events.h"
#include "storage/address_store.h"
#include "storage/cart_store.h"
#include "storage/coupon_store.h"
#include "storage/order_store.h"
#include "storage/outbox_store.h"
#include "storage/sql_errors.h"
#include "storage/sql_query.h"

namespace ordersvc::services {

namespace {

Error unprocessable(const std::string& message) { return Error{ErrorCode::Unprocessable, message}; }

int yearOf(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return utc.tm_year + 1900;
}

}  // namespace

Result<domain::Order> CheckoutService::checkout(const Actor& actor, const CheckoutRequest& request) {
  // Who the order is for: the signed-in customer, or the customer a staff member names
  // (phone and in-store orders).
  std::optional<std::string> customerId;
  if (actor.staff) {
    customerId = request.customerId;
    if (request.type == domain::OrderType::Phone && !customerId) {
      return Error::invalidArgument("customer_id: a phone order is placed for a customer");
    }
  } else {
    if (request.type != domain::OrderType::Online && request.type != domain::OrderType::B2b &&
        request.type != domain::OrderType::Subscription) {
      return Error{ErrorCode::PermissionDenied, "only staff place " + std::string(domain::orderTypeName(request.type)) + " orders"};
    }
    if (!actor.isGuest()) customerId = actor.subject;
  }
  if (request.type == domain::OrderType::B2b && !request.b2bDetailsJson) {
    return Error::invalidArgument("b2b: purchase_order_number and buyer_tax_id are required for a b2b order");
  }

  // 1. Read the cart, then compare its prices with the catalog holding no connection
  //    (the catalog may be remote, and the local one takes its own connection).
  std::optional<storage::CartRecord> snapshot;
  {
    auto connection = database_.acquire();
    if (!connection) return connection.error();
    try {
      snapshot = storage::cart_store::find(*connection, actor.organizationId, request.cartId, false);
      if (!snapshot) return Error::notFound("cart " + request.cartId + " not found");
      if (auto access = checkCartAccess(actor, snapshot->cart, snapshot->tokenHash); !access) return access.error();
      if (snapshot->cart.status == "checked_out") {
        const auto orderId = storage::order_store::findIdByCart(*connection, actor.organizationId, request.cartId);
        return Error::conflict("cart " + request.cartId + " was already checked out" +
                               (orderId ? " as order " + *orderId : std::string()));
      }
    } catch (const std::exception& e) {
      return storage::translateDatabaseError(e, *connection, "");
    }
  }
  if (snapshot->cart.status != "active") return Error::conflict("cart " + request.cartId + " is " + snapshot->cart.status);
  if (snapshot->cart.items.empty()) return unprocessable("cart " + request.cartId + " is empty");
  std::string changed;
  for (const auto& item : snapshot->cart.items) {
    auto variant = catalog_.variant(actor.organizationId, item.variantId);
    if (!variant) {
      if (variant.error().code == ErrorCode::NotFound) return unprocessable(item.sku + " is no longer in the catalog");
      return variant.error();
    }
    if (!variant->active) return unprocessable(item.sku + " is no longer for sale");
    const auto price = variant->prices.find(snapshot->cart.currency);
    if (price == variant->prices.end()) return unprocessable(item.sku + " has no price in " + snapshot->cart.currency);
    if (price->second != item.unitPriceMinor) {
      changed += (changed.empty() ? "" : "; ") + item.sku + " from " +
                 domain::formatMajorUnits(item.unitPriceMinor, snapshot->cart.currency) + " to " +
                 domain::formatMajorUnits(price->second, snapshot->cart.currency);
    }
  }
  if (!changed.empty()) {
    return unprocessable("prices changed since these items were added (" + changed +
                         "); update the cart lines to accept the new prices");
  }

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
    if (cart.status != "active" || cart.version != snapshot->cart.version) {
      // Another checkout (or an edit) got here first: the second request loses cleanly.
      const auto orderId = storage::order_store::findIdByCart(c, actor.organizationId, request.cartId);
      return Error::conflict("cart " + request.cartId + " changed or was checked out meanwhile" +
                             (orderId ? " (order " + *orderId + ")" : std::string()));
    }
    const std::string addressOwner = customerId.value_or(cart.customerId.value_or(""));
    auto resolveAddress = [&](const std::optional<std::string>& id,
                              const std::optional<std::string>& inlineJson) -> Result<std::optional<std::string>> {
      if (inlineJson) return std::optional<std::string>(*inlineJson);
      if (!id) return std::optional<std::string>();
      if (addressOwner.empty()) return Error::notFound("address " + *id + " not found");
      auto stored = storage::address_store::find(c, actor.organizationId, addressOwner, *id);
      if (!stored) return Error::notFound("address " + *id + " not found");
      return std::optional<std::string>(stored->bodyJson);
    };
    auto shipping = resolveAddress(request.shippingAddressId, request.shippingAddressJson);
    if (!shipping) return shipping.error();
    auto billing = resolveAddress(request.billingAddressId, request.billingAddressJson);
    if (!billing) return billing.error();
    if (*shipping) cart.shippingAddressJson = **shipping;
    if (request.shippingMethod) cart.shippingMethod = request.shippingMethod;
    if (!cart.shippingAddressJson) return Error::invalidArgument("shipping_address_id or shipping_address is required");
    if (customerId && !cart.customerId) cart.customerId = customerId;

    auto priced = carts_.view(c, cart, request.requestId, true);
    if (!priced) return priced.error();
    const domain::Totals& totals = priced->quote.totals;
    auto minimum = domain::parseMajorUnits(settings_.minOrderAmount, cart.currency);
    if (minimum && totals.total < *minimum) {
      return unprocessable("the order total " + domain::formatMajorUnits(totals.total, cart.currency) + " " + cart.currency +
                           " is below the minimum of " + settings_.minOrderAmount + " " + cart.currency);
    }

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
    order.billingAddressJson = billing->value_or(*cart.shippingAddressJson);
    order.couponCode = totals.discount > 0 || priced->quote.couponFreeShipping ? cart.couponCode : std::nullopt;
    order.paymentMethod = request.paymentMethod;
    order.email = cart.email;
    order.b2bDetailsJson = request.b2bDetailsJson;
    order.createdAtMs = order.updatedAtMs = now;
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
      line.taxMinor = priced->quote.lineTax[i];
      line.totalMinor = item.unitPriceMinor * item.quantity - line.discountMinor + (totals.pricesIncludeTax ? 0 : line.taxMinor);
      order.items.push_back(line);
      order.itemsCount += item.quantity;
      stock.push_back({item.variantId, item.sku, item.quantity});
    }

    auto reservation = inventory_.reserve(c, actor.organizationId, order.id, stock, settings_.reservationTtlMinutes * 60, now);
    if (!reservation) return reservation.error();
    order.reservationId = reservation->reservationId;
    order.reservationExpiresAtMs = reservation->expiresAtMs;

    auto releaseRemote = [&] {
      if (!inventory_.transactional()) (void)inventory_.release(c, actor.organizationId, reservation->reservationId, now);
    };
    storage::order_store::insert(c, order);
    if (order.couponCode &&
        !storage::coupon_store::redeem(c, actor.organizationId, *order.couponCode, order.id, order.customerId, now)) {
      releaseRemote();
      return unprocessable("coupon " + *order.couponCode + " has been used up");
    }
    if (auto placed = applyOrderAction(c, order, domain::OrderAction::Place, actor.label(), "", now); !placed) {
      releaseRemote();
      return placed.error();
    }
    domain::Cart closed = record->cart;
    closed.status = "checked_out";
    closed.version += 1;
    closed.updatedAtMs = now;
    if (!storage::cart_store::updateHeader(c, closed, record->cart.version)) {
      releaseRemote();
      return Error::conflict("cart " + cart.id + " changed meanwhile");
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
