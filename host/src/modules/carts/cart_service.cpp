#include "modules/carts/cart_service.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "domain/money.h"
#include "kernel/event_types.h"
#include "kernel/ids.h"
#include "kernel/json_util.h"
#include "modules/carts/cart_store.h"
#include "modules/carts/coupon_store.h"
#include "platform/integrations/cache_keys.h"
#include "platform/storage/outbox_store.h"
#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"
#include "platform/tenancy/sql_organization_repository.h"

namespace ordersvc::services {

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

Error cartNotFound(const std::string& cartId) {
  return Error::notFound("cart " + cartId + " not found");
}

Status requireActive(const domain::Cart& cart) {
  if (cart.status == "active") return Status::ok();
  return Error::conflict("cart " + cart.id + " is " + cart.status + " and can no longer change");
}

domain::CartLimits limitsOf(const CommerceSettings& settings) {
  return domain::CartLimits{settings.maxItemsPerOrder, settings.maxItemsPerOrder};
}

int64_t unitsExcept(const domain::Cart& cart, const std::string& itemId) {
  int64_t units = 0;
  for (const auto& item : cart.items) {
    if (item.id != itemId) units += item.quantity;
  }
  return units;
}

// Adds the guest cart's lines to the customer's own cart (quantities summed per variant,
// within the per-order maximum), fills what the own cart lacks and marks the guest cart
// merged, in the caller's transaction. Returns the own cart's id.
Result<std::string> mergeIntoOwnCart(storage::Connection& c, domain::Cart target, const domain::Cart& guest,
                                     int64_t maxItemsPerOrder, int64_t now) {
  std::map<std::string, domain::CartItem*> byVariant;
  for (auto& item : target.items) byVariant[item.variantId] = &item;
  int64_t units = 0;
  for (const auto& item : target.items) units += item.quantity;
  for (const auto& item : guest.items) {
    units += item.quantity;
    if (units > maxItemsPerOrder) {
      return Error::unprocessable("the merged cart would hold more than " + std::to_string(maxItemsPerOrder) +
                                  " items");
    }
    if (auto found = byVariant.find(item.variantId); found != byVariant.end()) {
      found->second->quantity += item.quantity;
      storage::cart_store::updateItem(c, target.organizationId, target.id, *found->second);
    } else {
      domain::CartItem copy = item;
      copy.id = newId("ci");
      storage::cart_store::insertItem(c, target.organizationId, target.id, copy);
    }
  }
  if (!target.couponCode && guest.couponCode) target.couponCode = guest.couponCode;
  if (!target.shippingAddressJson) target.shippingAddressJson = guest.shippingAddressJson;
  if (!target.shippingMethod) target.shippingMethod = guest.shippingMethod;
  const int64_t expected = target.version;
  target.version += 1;
  target.updatedAtMs = now;
  if (!storage::cart_store::updateHeader(c, target, expected)) return Error::conflict("cart changed meanwhile");
  domain::Cart merged = guest;
  merged.status = "merged";
  merged.version += 1;
  merged.updatedAtMs = now;
  if (!storage::cart_store::updateHeader(c, merged, guest.version)) return Error::conflict("cart changed meanwhile");
  return target.id;
}

}  // namespace

Status checkCartAccess(const Actor& actor, const domain::Cart& cart, const std::optional<std::string>& tokenHash) {
  if (cart.organizationId != actor.organizationId) return cartNotFound(cart.id);
  if (actor.staff) return Status::ok();
  if (cart.customerId) {
    if (!actor.subject.empty() && actor.subject == *cart.customerId) return Status::ok();
    return cartNotFound(cart.id);
  }
  if (tokenHash && actor.cartTokenHash && *actor.cartTokenHash == *tokenHash) return Status::ok();
  return cartNotFound(cart.id);
}

Result<CartView> CartService::view(storage::Connection& connection, const domain::Cart& cart,
                                   const std::string& requestId, bool strict) {
  // Read on the caller's connection: taking a second one from the pool while holding
  // this one could starve the pool under load.
  const auto country = storage::SqlOrganizationRepository::countryOf(connection, cart.organizationId);
  if (!country) return Error::notFound("organization not found");
  auto quote = pricer_.price(connection, cart, *country, requestId, clock_(), strict);
  if (!quote) return quote.error();
  return CartView{cart, std::move(*quote), std::nullopt, std::nullopt};
}

Result<CartView> CartService::load(const Actor& actor, const std::string& cartId, const std::string& requestId) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    auto record = storage::cart_store::find(*connection, actor.organizationId, cartId, false);
    if (!record) return cartNotFound(cartId);
    if (auto access = checkCartAccess(actor, record->cart, record->tokenHash); !access) return access.error();
    auto result = view(*connection, record->cart, requestId, false);
    if (result) result->tokenHash = record->tokenHash;
    return result;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<CartView> CartService::create(const Actor& actor, const std::optional<std::string>& currency,
                                     const CartDetails& details, const std::string& requestId) {
  auto org = organizations_.findById(actor.organizationId);
  if (!org) return org.error().code == ErrorCode::NotFound ? Error::notFound("organization not found") : org.error();
  if (org->status != "active") return Error::unprocessable("organization " + org->id + " is suspended");
  const std::string cartCurrency = currency.value_or(org->defaultCurrency);
  if (!domain::isCurrencyCode(cartCurrency)) return Error::invalidArgument("currency: an ISO 4217 code such as CLP");
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    if (!actor.isGuest() && !actor.staff) {
      if (auto existing =
              storage::cart_store::findActiveIdForCustomer(*connection, actor.organizationId, actor.subject)) {
        auto record = storage::cart_store::find(*connection, actor.organizationId, *existing, false);
        if (record && record->cart.currency == cartCurrency) return view(*connection, record->cart, requestId, false);
      }
    }
    const int64_t now = clock_();
    storage::CartRecord record;
    domain::Cart& cart = record.cart;
    cart.organizationId = actor.organizationId;
    cart.id = newId("cart");
    cart.currency = cartCurrency;
    cart.shippingMethod = details.shippingMethod;
    cart.shippingAddressJson = details.shippingAddressJson;
    cart.email = details.email;
    cart.createdAtMs = cart.updatedAtMs = now;
    cart.expiresAtMs = now + settings_.cartExpiryDays * kDayMs;
    std::optional<std::string> token;
    if (actor.isGuest() || actor.staff) {
      // Staff create guest carts for walk-in and phone customers; the token is the key.
      token = newSecretToken();
      record.tokenHash = hashToken(*token);
    } else {
      cart.customerId = actor.subject;
    }
    storage::cart_store::insert(*connection, record);
    auto result = view(*connection, cart, requestId, false);
    if (result) result->token = token;
    return result;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<CartView> CartService::get(const Actor& actor, const std::string& cartId, const std::string& requestId) {
  return load(actor, cartId, requestId);
}

Result<CartView> CartService::mutate(const Actor& actor, const std::string& cartId, const std::string& requestId,
                                     const Mutation& change) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    domain::Cart cart;
    {
      storage::Transaction tx(c);
      auto record = storage::cart_store::find(c, actor.organizationId, cartId, true);
      if (!record) return cartNotFound(cartId);
      if (auto access = checkCartAccess(actor, record->cart, record->tokenHash); !access) return access.error();
      cart = std::move(record->cart);
      if (auto active = requireActive(cart); !active) return active.error();
      if (auto changed = change(c, cart); !changed) return changed.error();
      const int64_t expected = cart.version;
      const int64_t now = clock_();
      cart.version += 1;
      cart.updatedAtMs = now;
      cart.expiresAtMs = now + settings_.cartExpiryDays * kDayMs;
      cart.abandonedAtMs.reset();
      if (!storage::cart_store::updateHeader(c, cart, expected)) {
        return Error::conflict("cart " + cartId + " changed meanwhile; read it again");
      }
      tx.commit();
      cache_.erase(cartCacheKey(actor.organizationId, cartId));
    }
    auto reread = storage::cart_store::find(c, actor.organizationId, cartId, false);
    if (!reread) return cartNotFound(cartId);
    return view(c, reread->cart, requestId, false);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "this variant is already in the cart");
  }
}

Result<CartView> CartService::update(const Actor& actor, const std::string& cartId, const CartDetails& details,
                                     const std::string& requestId) {
  return mutate(actor, cartId, requestId, [&](storage::Connection&, domain::Cart& cart) -> Status {
    if (details.shippingMethod) cart.shippingMethod = details.shippingMethod;
    if (details.shippingAddressJson) cart.shippingAddressJson = details.shippingAddressJson;
    if (details.email) cart.email = details.email;
    return Status::ok();
  });
}

Result<CartView> CartService::addItem(const Actor& actor, const std::string& cartId, const std::string& variantId,
                                      int64_t quantity, const std::string& requestId) {
  if (quantity <= 0) return Error::invalidArgument("quantity: must be at least 1");
  // Ask the catalog before taking the cart's lock: it may be a remote service.
  auto variant = catalog_.variant(actor.organizationId, variantId);
  if (!variant) {
    if (variant.error().code == ErrorCode::NotFound) {
      return Error::unprocessable("variant " + variantId + " does not exist in this catalog");
    }
    return variant.error();
  }
  if (!variant->active) return Error::unprocessable("variant " + variantId + " is not for sale");
  return mutate(actor, cartId, requestId, [&](storage::Connection& c, domain::Cart& cart) -> Status {
    const auto price = variant->prices.find(cart.currency);
    if (price == variant->prices.end()) {
      return Error::unprocessable("variant " + variantId + " has no price in " + cart.currency);
    }
    for (auto& item : cart.items) {
      if (item.variantId != variantId) continue;
      const int64_t wanted = item.quantity + quantity;
      if (auto ok = domain::checkQuantity(wanted, unitsExcept(cart, item.id), limitsOf(settings_)); !ok) return ok;
      item.quantity = wanted;
      item.unitPriceMinor = price->second;  // adding again takes today's price
      item.name = variant->name;
      storage::cart_store::updateItem(c, cart.organizationId, cart.id, item);
      return Status::ok();
    }
    if (auto ok = domain::checkQuantity(quantity, unitsExcept(cart, ""), limitsOf(settings_)); !ok) return ok;
    domain::CartItem item;
    item.id = newId("ci");
    item.variantId = variant->variantId;
    item.sku = variant->sku;
    item.name = variant->name;
    item.taxClass = variant->taxClass;
    item.unitPriceMinor = price->second;
    item.quantity = quantity;
    item.weightGrams = variant->weightGrams;
    item.createdAtMs = clock_();
    storage::cart_store::insertItem(c, cart.organizationId, cart.id, item);
    return Status::ok();
  });
}

Result<CartView> CartService::setItemQuantity(const Actor& actor, const std::string& cartId, const std::string& itemId,
                                              int64_t quantity, const std::string& requestId) {
  if (quantity <= 0) return Error::invalidArgument("quantity: must be at least 1 (DELETE the item to remove it)");
  return mutate(actor, cartId, requestId, [&](storage::Connection& c, domain::Cart& cart) -> Status {
    for (auto& item : cart.items) {
      if (item.id != itemId) continue;
      if (auto ok = domain::checkQuantity(quantity, unitsExcept(cart, itemId), limitsOf(settings_)); !ok) return ok;
      item.quantity = quantity;
      storage::cart_store::updateItem(c, cart.organizationId, cart.id, item);
      return Status::ok();
    }
    return Error::notFound("item " + itemId + " is not in cart " + cart.id);
  });
}

Result<CartView> CartService::removeItem(const Actor& actor, const std::string& cartId, const std::string& itemId,
                                         const std::string& requestId) {
  return mutate(actor, cartId, requestId, [&](storage::Connection& c, domain::Cart& cart) -> Status {
    for (const auto& item : cart.items) {
      if (item.id != itemId) continue;
      storage::cart_store::deleteItem(c, cart.organizationId, cart.id, itemId);
      return Status::ok();
    }
    return Error::notFound("item " + itemId + " is not in cart " + cart.id);
  });
}

Result<CartView> CartService::applyCoupon(const Actor& actor, const std::string& cartId, const std::string& code,
                                          const std::string& requestId) {
  std::string normalized = code;
  std::transform(normalized.begin(), normalized.end(), normalized.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return mutate(actor, cartId, requestId, [&](storage::Connection& c, domain::Cart& cart) -> Status {
    const auto coupon = storage::coupon_store::find(c, cart.organizationId, normalized);
    if (!coupon) return Error::unprocessable("coupon " + normalized + " does not exist");
    std::vector<domain::PricingLine> lines;
    for (const auto& item : cart.items)
      lines.push_back({item.id, item.unitPriceMinor, item.quantity, item.weightGrams});
    const int64_t used =
        cart.customerId ? storage::coupon_store::redemptionsBy(c, cart.organizationId, normalized, *cart.customerId)
                        : 0;
    // Refuse now what would not apply, with the reason; the pricer re-checks each time.
    const auto subtotal = domain::subtotalOf(lines, cart.currency);
    if (!subtotal) return subtotal.error();
    auto effect = domain::evaluateCoupon(*coupon, *subtotal, cart.currency, clock_(), used);
    if (!effect) return effect.error();
    cart.couponCode = normalized;
    return Status::ok();
  });
}

Result<CartView> CartService::removeCoupon(const Actor& actor, const std::string& cartId,
                                           const std::string& requestId) {
  return mutate(actor, cartId, requestId, [&](storage::Connection&, domain::Cart& cart) -> Status {
    cart.couponCode.reset();
    return Status::ok();
  });
}

Result<CartView> CartService::mergeGuestCart(const Actor& actor, const std::string& guestCartId,
                                             const std::string& requestId) {
  if (actor.isGuest() || actor.staff)
    return Error::invalidArgument("sign in as the customer to take over a guest cart");
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    std::string resultId;
    {
      storage::Transaction tx(c);
      auto guest = storage::cart_store::find(c, actor.organizationId, guestCartId, true);
      if (!guest || guest->cart.customerId || !actor.cartTokenHash || !guest->tokenHash ||
          *guest->tokenHash != *actor.cartTokenHash) {
        if (guest && guest->cart.customerId && *guest->cart.customerId == actor.subject) {
          return view(c, guest->cart, requestId, false);  // already theirs: merging twice is harmless
        }
        return cartNotFound(guestCartId);
      }
      if (auto active = requireActive(guest->cart); !active) return active.error();
      const int64_t now = clock_();
      auto ownId = storage::cart_store::findActiveIdForCustomer(c, actor.organizationId, actor.subject);
      std::optional<storage::CartRecord> own;
      if (ownId) own = storage::cart_store::find(c, actor.organizationId, *ownId, true);
      if (!own || own->cart.currency != guest->cart.currency) {
        domain::Cart adopted = guest->cart;
        adopted.customerId = actor.subject;
        adopted.version += 1;
        adopted.updatedAtMs = now;
        if (!storage::cart_store::updateHeader(c, adopted, guest->cart.version)) {
          return Error::conflict("cart changed meanwhile");
        }
        resultId = adopted.id;
      } else {
        auto merged = mergeIntoOwnCart(c, own->cart, guest->cart, settings_.maxItemsPerOrder, now);
        if (!merged) return merged.error();
        resultId = *merged;
      }
      tx.commit();
      cache_.erase(cartCacheKey(actor.organizationId, guestCartId));
      cache_.erase(cartCacheKey(actor.organizationId, resultId));
    }
    auto record = storage::cart_store::find(c, actor.organizationId, resultId, false);
    if (!record) return cartNotFound(resultId);
    return view(c, record->cart, requestId, false);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<CartView> CartService::recover(const std::string& organizationId, const std::string& recoveryToken,
                                      const std::string& requestId) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    std::string cartId;
    std::optional<std::string> guestToken;
    {
      storage::Transaction tx(c);
      auto record = storage::cart_store::findByRecoveryToken(c, organizationId, hashToken(recoveryToken));
      if (!record) return Error::notFound("recovery link not found or already used");
      domain::Cart cart = record->cart;
      const int64_t now = clock_();
      if (cart.status == "expired") cart.status = "active";  // recovery brings it back
      if (cart.status != "active") return Error::conflict("cart " + cart.id + " is " + cart.status);
      const int64_t expected = cart.version;
      cart.version += 1;
      cart.updatedAtMs = now;
      cart.expiresAtMs = now + settings_.cartExpiryDays * kDayMs;
      cart.abandonedAtMs.reset();
      if (!storage::cart_store::updateHeader(c, cart, expected)) return Error::conflict("cart changed meanwhile");
      storage::cart_store::setRecoveryToken(c, organizationId, cart.id, std::nullopt, std::nullopt);
      if (cart.isGuest()) {
        // The guest lost their token with the session; the recovery link is the proof
        // of ownership, so it is exchanged for a fresh cart token.
        guestToken = newSecretToken();
        storage::cart_store::setGuestTokenHash(c, organizationId, cart.id, hashToken(*guestToken));
      }
      Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
      data->set("cart_id", cart.id);
      if (cart.customerId) data->set("customer_id", *cart.customerId);
      storage::outbox_store::append(c, organizationId, events::kCartRecovered, toJsonText(data), now);
      tx.commit();
      cache_.erase(cartCacheKey(organizationId, cart.id));
      cartId = cart.id;
    }
    auto record = storage::cart_store::find(c, organizationId, cartId, false);
    if (!record) return cartNotFound(cartId);
    auto result = view(c, record->cart, requestId, false);
    if (result) result->token = guestToken;
    return result;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

}  // namespace ordersvc::services
